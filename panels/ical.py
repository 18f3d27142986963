"""
A calendar invitation for a panel meeting (RFC 5545), written by hand: one
VEVENT, text values escaped, lines folded at 75 octets, CRLF line ends.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

MEETING_LENGTH = timedelta(hours=2)
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, newlines as \\n,
    other control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return "".join(ch for ch in value if ch == "\t" or " " <= ch != "\x7f")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, never inside a character."""
    pieces, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += ch
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_calendar(meeting, *, panel_title: str, method: str = "REQUEST") -> bytes:
    """The meeting as an iCalendar file."""
    site = settings.SITE_URL.rstrip("/")
    host = urlsplit(site).hostname or "sfoqa"
    url = site + reverse("panels:meeting", kwargs={"pk": meeting.pk})
    description = "\n".join(meeting.agenda_items)
    location = meeting.place or meeting.link
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//HM Inspectorate of Probation//SFO quality assurance//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:panel-meeting-{meeting.pk}@{host}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.starts_at + MEETING_LENGTH)}",
        f"SUMMARY:{escape_text(panel_title)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")

"""Dates and times as the service shows them: UK local time, GOV.UK style.

Times are stored in UTC. Everything a person reads, and every date that a
rule counts in days or weeks, is in Europe/London, so that a deadline does not
move by a day when the clocks change.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LONDON = ZoneInfo("Europe/London")


def uk_local(moment: datetime) -> datetime:
    """The moment as a wall-clock time in the UK."""
    return moment.astimezone(LONDON)


def uk_date_of(moment: datetime | date) -> date:
    """The date in the UK at that moment (a date stays as it is)."""
    if isinstance(moment, datetime):
        return uk_local(moment).date()
    return moment


def uk_today() -> date:
    """Today's date in the UK."""
    return uk_date_of(timezone.now())


def uk_start_of(day: date) -> datetime:
    """The first moment of a UK calendar day, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def add_uk_days(moment: datetime, days: int) -> date:
    """The UK calendar date a number of days after the moment's UK date."""
    return uk_date_of(moment) + timedelta(days=days)


def format_date(value: datetime | date | None) -> str:
    """A date in GOV.UK style: "5 March 2021"."""
    return _formatted(value, _month_names(get_language()))


def date_formatter() -> Callable[[datetime | date | None], str]:
    """`format_date` for the many dates of one page, in the language active
    now: the month names are looked up once, not once a date."""
    return partial(_formatted, months=_month_names(get_language()))


def _formatted(value: datetime | date | None, months: tuple[str, ...]) -> str:
    if value is None or value == "":
        return ""
    # dateformat's "j F Y", without parsing the format on every call: tables
    # write dozens of dates a page.
    day = uk_date_of(value)
    return f"{day.day} {months[day.month]} {day.year:04d}"


@lru_cache(maxsize=8)
def _month_names(language: str | None) -> tuple[str, ...]:
    """The months' names in a language, translated once, not once a date."""
    return ("", *(str(MONTHS[month]) for month in range(1, 13)))


def format_short_date(value: datetime | date | None) -> str:
    """A date for narrow table columns: "5 Mar 2021"."""
    if value is None or value == "":
        return ""
    return dateformat.format(uk_date_of(value), "j M Y")


def format_time(moment: datetime | time | None) -> str:
    """A UK time in GOV.UK style: "9am", "8:37pm", "midday", "midnight (00:00)"."""
    if moment is None or moment == "":
        return ""
    local = uk_local(moment) if isinstance(moment, datetime) else moment
    if (local.hour, local.minute) == (0, 0):
        # "Midnight" alone leaves people unsure which day it ends or starts.
        return _("midnight (00:00)")
    if (local.hour, local.minute) == (12, 0):
        return _("midday")
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def format_date_time(moment: datetime | None, *, weekday: bool = False) -> str:
    """A moment in GOV.UK style: "8:37pm on 5 March 2021" (or "on Friday 5 ...")."""
    if moment is None or moment == "":
        return ""
    if not isinstance(moment, datetime):
        return format_date(moment)
    day = format_date(moment)
    if weekday:
        day = f"{dateformat.format(uk_date_of(moment), 'l')} {day}"
    return _("%(time)s on %(date)s") % {"time": format_time(moment), "date": day}

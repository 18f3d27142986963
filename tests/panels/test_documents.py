"""Downloaded PDF papers carry the stamp on every page; the calendar file
follows RFC 5545; the 7-minute briefing prints hostile text literally."""

import io
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pikepdf
import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from panels import services
from panels.ical import escape_text, fold, meeting_calendar
from panels.reports import build
from reports.models import ReportJob
from tests.panels.factories import add_learning, add_meeting, add_paper

pytestmark = pytest.mark.django_db


def page_texts(data: bytes) -> list[str]:
    """The text of each page, from pdftotext where installed."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        ).stdout.decode()
        for n in range(1, count + 1)
    ]


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)


@needs_poppler
def test_every_page_of_a_downloaded_pdf_paper_is_stamped(police_client, panel, lead):
    paper = add_paper(panel, lead, pages=3)
    response = police_client.get(
        reverse("panels:paper_download", kwargs={"pk": paper.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    texts = page_texts(response.content)
    assert len(texts) == 3
    for text in texts:
        flat = " ".join(text.split())
        assert "OFFICIAL-SENSITIVE, downloaded by" in flat
        assert "Test Constabulary" in flat
        assert "Agenda text." in flat  # the paper itself is still there
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.PANEL_PAPER_DOWNLOADED, object_id=str(paper.pk)
    ).exists()


@needs_poppler
def test_the_stamp_names_the_person_as_text_not_markup(client, panel, lead, police):
    from tests.conftest import sign_in

    police.full_name = "<b>Pat</b> & {{7*7}}"
    police.save()
    paper = add_paper(panel, lead, pages=1)
    response = sign_in(client, police).get(
        reverse("panels:paper_download", kwargs={"pk": paper.pk})
    )
    assert "<b>Pat</b> & {{7*7}}" in page_texts(response.content)[0]


def test_the_stored_paper_is_not_changed_by_a_download(police_client, panel, lead):
    from django.core.files.storage import default_storage

    paper = add_paper(panel, lead)
    with default_storage.open(paper.storage_name, "rb") as handle:
        before = handle.read()
    police_client.get(reverse("panels:paper_download", kwargs={"pk": paper.pk}))
    with default_storage.open(paper.storage_name, "rb") as handle:
        assert handle.read() == before


def test_calendar_text_is_escaped_and_lines_folded():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 80
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert "".join(pieces) == line


def test_the_meeting_calendar_file(panel, lead):
    meeting = add_meeting(panel, lead, agenda="Welcome, intros\nActions; next steps")
    data = meeting_calendar(meeting, panel_title="Panel, with; punctuation").decode()
    assert data.startswith("BEGIN:VCALENDAR\r\n") and data.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Panel\\, with\\; punctuation\r\n" in data
    assert "DESCRIPTION:Welcome\\, intros\\nActions\\; next steps" in data
    assert f"UID:panel-meeting-{meeting.pk}@" in data
    assert "METHOD:REQUEST" in data
    assert all(len(line.encode()) <= 75 for line in data.split("\r\n"))


def test_meeting_invitations_carry_the_calendar_file(
    panel, lead, police, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_meeting(panel, lead)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, police.email])
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert name == "meeting.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content


HOSTILE = (
    '<img src="http://127.0.0.1:{port}/img"> <link rel=attachment '
    'href="file:///etc/passwd"> <style>@import url(http://127.0.0.1:{port}/css);'
    "</style> <script>alert(1)</script> {{7*7}}"
)


class Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        Counter.hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@needs_poppler
def test_the_briefing_prints_hostile_text_literally_and_fetches_nothing(panel, lead):
    server = HTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        text = HOSTILE.replace("{port}", str(server.server_port))
        item = add_learning(panel, lead, title="Hostile", learning=text)
        services.learning_item_approve(item=item, by=lead)
        add_learning(panel, lead, title="Still a draft")
        job = ReportJob.objects.create(
            kind="panel_briefing", params={"panel_id": panel.pk}, requested_by=lead
        )
        rendered = build(job, lambda percent: None)
    finally:
        server.shutdown()
    assert Counter.hits == 0
    words = " ".join(" ".join(page_texts(rendered.content)).split())
    assert "<script>alert(1)</script>" in words
    assert "{{7*7}}" in words
    assert "Still a draft" not in words
    with pikepdf.open(io.BytesIO(rendered.content)) as pdf:
        assert len(pdf.pages) <= 2
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})


def test_a_member_asks_for_the_briefing_through_the_report_pipeline(
    police_client, panel, police
):
    response = police_client.post(reverse("panels:briefing", kwargs={"pk": panel.pk}))
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert job.kind == "panel_briefing" and job.requested_by == police
    from reports.kinds import get_kind

    assert get_kind("panel_briefing").can_download(police, job)


def test_evidence_files_are_scanned_and_then_download_for_the_panel(
    police_client, panel, lead, police, django_capture_on_commit_callbacks
):
    from tests.panels.factories import add_action, pdf_upload

    action = add_action(panel, lead)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.action_evidence_submit(
            action=action, by=police, text="See the audit", uploads=[pdf_upload()]
        )
    file = evidence.files.get()
    file.refresh_from_db()
    assert file.downloadable
    response = police_client.get(
        reverse("panels:evidence_file", kwargs={"pk": file.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.PANEL_EVIDENCE_DOWNLOADED, object_id=str(file.pk)
    ).exists()

"""Virus scanning with Debian's clamd, started by the tests with a signature
database made for them (see conftest.py): uploads through the real form."""

import socket
import threading

import pytest
from django.core import mail
from django.urls import reverse

from reviews import services
from reviews.models import DocumentVersion, Review
from sfoqa import antivirus
from tests.reviews.factories import form_data, unique_pdf
from tests.sfoqa.files import EICAR, docx_bytes, pikepdf_with, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(run_tasks_in_process):
    """Scans and emails queued after commit run here, whatever REDIS_URL says."""


def eicar_pdf() -> bytes:
    """A PDF whose page text, compressed, holds the EICAR string: it is not
    in the file's bytes, so only a scanner that reads PDFs finds it."""

    def build(pdf):
        page = pdf.pages[0]
        page.Contents = pdf.make_stream(b"BT (" + EICAR + b") Tj ET")

    content = pikepdf_with(build)
    assert EICAR not in content
    return content


def eicar_docx() -> bytes:
    """A Word document with the EICAR string in one of its (deflated) parts."""
    content = docx_bytes({"word/media/note.txt": EICAR})
    assert EICAR not in content
    return content


def send_review(client, content: bytes, name: str, capture):
    with capture(execute=True):
        response = client.post(
            reverse("reviews:new"),
            {**form_data(), "review_document": upload(content, name, "x")},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Review.objects.get()


@pytest.mark.parametrize(
    ("content", "name"),
    [(eicar_pdf(), "review.pdf"), (eicar_docx(), "review.docx")],
    ids=["pdf", "docx"],
)
def test_a_virus_in_an_upload_is_quarantined_and_the_uploader_told(
    clamav, hmpps_client, users, django_capture_on_commit_callbacks, content, name
):
    review = send_review(
        hmpps_client, content, name, django_capture_on_commit_callbacks
    )
    document = review.documents.get()
    assert document.scan_status == DocumentVersion.ScanStatus.INFECTED
    assert not document.downloadable
    download = reverse("reviews:document", kwargs={"pk": document.pk})
    assert hmpps_client.get(download).status_code == 404
    page = hmpps_client.get(reverse("reviews:detail", kwargs={"pk": review.pk}))
    text = page.content.decode()
    assert "Virus found" in text and download not in text
    assert "found a virus in this file" in text
    (notice,) = [e for e in mail.outbox if "virus" in e.subject.lower()]
    assert notice.to == [users["hmpps_sfo"].email]
    assert "quarantine" in notice.body and review.hmpps_reference in notice.body


def test_a_clean_upload_is_released_by_the_real_scanner(
    clamav, hmpps_client, django_capture_on_commit_callbacks
):
    review = send_review(
        hmpps_client, unique_pdf(), "review.pdf", django_capture_on_commit_callbacks
    )
    document = review.documents.get()
    assert document.scan_status == DocumentVersion.ScanStatus.CLEAN
    download = reverse("reviews:document", kwargs={"pk": document.pk})
    assert hmpps_client.get(download).status_code == 200
    assert not [e for e in mail.outbox if "virus" in e.subject.lower()]


@pytest.fixture
def silent_scanner(settings, tmp_path):
    """A Unix socket that accepts connections and never answers."""
    path = str(tmp_path / "silent.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.CLAMD_SOCKET = path
    settings.CLAMD_HOST = ""
    settings.CLAMD_TIMEOUT = 0.5
    yield path
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def dead_scanner(settings, tmp_path):
    """A socket path with no clamd behind it."""
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-here.sock")
    settings.CLAMD_HOST = ""
    settings.CLAMD_TIMEOUT = 0.5


@pytest.mark.parametrize("scanner", ["dead_scanner", "silent_scanner"])
def test_with_the_scanner_down_or_slow_the_file_stays_in_quarantine_and_is_rescanned(
    request,
    clamd_socket,
    settings,
    hmpps_client,
    django_capture_on_commit_callbacks,
    scanner,
):
    request.getfixturevalue(scanner)
    review = send_review(
        hmpps_client, eicar_pdf(), "review.pdf", django_capture_on_commit_callbacks
    )
    document = review.documents.get()
    assert document.scan_status == DocumentVersion.ScanStatus.ERROR
    download = reverse("reviews:document", kwargs={"pk": document.pk})
    assert hmpps_client.get(download).status_code == 404
    text = hmpps_client.get(
        reverse("reviews:detail", kwargs={"pk": review.pk})
    ).content.decode()
    assert "Virus scan failed" in text and "did not answer" in text
    assert download not in text
    # The sweep leaves it while the scanner is still down...
    DocumentVersion.objects.filter(pk=document.pk).update(
        uploaded_at=document.uploaded_at - services.intake.RESCAN_AFTER
    )
    assert services.documents_rescan() == 0
    document.refresh_from_db()
    assert document.scan_status == DocumentVersion.ScanStatus.ERROR
    # ... and scans it once clamd answers again.
    settings.CLAMD_SOCKET = clamd_socket
    settings.CLAMD_TIMEOUT = 10
    assert antivirus.antivirus_status()["answering"] is True
    from reviews.tasks import rescan_documents

    with django_capture_on_commit_callbacks(execute=True):
        assert rescan_documents.apply().get() == 1
    document.refresh_from_db()
    assert document.scan_status == DocumentVersion.ScanStatus.INFECTED
    assert [e for e in mail.outbox if "virus" in e.subject.lower()]


def test_the_sweep_leaves_a_document_just_uploaded_to_its_own_scan(
    clamav, hmpps_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-here.sock")
    review = send_review(
        hmpps_client, unique_pdf(), "review.pdf", django_capture_on_commit_callbacks
    )
    settings.CLAMD_SOCKET = clamav
    assert services.documents_rescan() == 0
    assert review.documents.get().scan_status == DocumentVersion.ScanStatus.ERROR


def test_the_rescan_is_on_the_schedule(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reviews.rescan_documents" in schedule

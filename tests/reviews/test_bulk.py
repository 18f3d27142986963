import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from reviews.bulk import COLUMNS
from reviews.models import Review
from tests.reviews.conftest import stored_files
from tests.reviews.factories import data_row, unique_pdf
from tests.sfoqa.files import hostile_uploads, macro_docx, upload

pytestmark = pytest.mark.django_db
URL = reverse("reviews:bulk_upload")


def manifest(rows) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("manifest.csv", buffer.getvalue().encode(), "text/csv")


def rows_and_files(count=3):
    rows, files = [], []
    for i in range(count):
        rows.append(
            {**data_row(hmpps_reference=f"SFO-B{i}"), "review_file": f"review-{i}.pdf"}
        )
        files.append(upload(unique_pdf(), f"review-{i}.pdf"))
    return rows, files


def test_a_valid_manifest_receives_every_review(
    hmpps_client, media_root, django_capture_on_commit_callbacks
):
    rows, files = rows_and_files()
    with django_capture_on_commit_callbacks(execute=True):
        response = hmpps_client.post(
            URL, {"manifest": manifest(rows), "documents": files}
        )
    assert response.url == reverse("reviews:list")
    assert sorted(Review.objects.values_list("hmpps_reference", flat=True)) == [
        "SFO-B0",
        "SFO-B1",
        "SFO-B2",
    ]
    assert len(stored_files(media_root)) == 3
    (email,) = mail.outbox
    assert "3 SFO reviews" in email.subject


def test_one_bad_row_saves_nothing_and_errors_are_listed_by_row_and_column(
    hmpps_client, media_root
):
    rows, files = rows_and_files()
    rows[1]["crn"] = "bad"
    rows[2]["region"] = "atlantis"
    rows[2]["review_file"] = "missing.pdf"
    files.append(upload(macro_docx(), "macro.docx"))
    rows.append({**data_row(hmpps_reference="SFO-B0"), "review_file": "macro.docx"})
    response = hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No review was saved" in page
    expected = [
        ("3", "crn", "Enter a CRN in the correct format"),
        ("4", "region", "Use one of the listed codes"),
        ("4", "review_file", "missing.pdf was not among the selected files"),
        ("5", "review_file", "contains macros"),
        ("\N{EN DASH}", "documents", "review-2.pdf is not named in the manifest"),
    ]
    for row, column, message in expected:
        assert (
            f'<td class="govuk-table__cell">{row}</td>\n'
            f'          <td class="govuk-table__cell">{column}</td>'
        ) in page
        assert message in page
    assert not Review.objects.exists()
    assert stored_files(media_root) == []


def test_duplicates_within_a_manifest_are_caught(hmpps_client, media_root):
    rows, files = rows_and_files(2)
    rows[1]["hmpps_reference"] = "sfo-b0"
    response = hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    assert "The same reference is already in row 2" in response.content.decode()
    assert not Review.objects.exists()


def test_a_failure_while_saving_removes_every_stored_file(
    hmpps_client, media_root, monkeypatch
):
    from reviews.services import intake

    rows, files = rows_and_files()
    real = intake.event_record
    calls = []

    def fail_on_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(intake, "event_record", fail_on_third)
    with pytest.raises(RuntimeError):
        hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    assert not Review.objects.exists()
    assert stored_files(media_root) == []


def test_a_manifest_without_the_columns_is_explained(hmpps_client, media_root):
    bad = SimpleUploadedFile("m.csv", b"reference,crn\nA,X123456\n", "text/csv")
    response = hmpps_client.post(
        URL, {"manifest": bad, "documents": [upload(unique_pdf())]}
    )
    assert "The manifest is missing these columns" in response.content.decode()


def test_the_template_has_every_column(hmpps_client):
    response = hmpps_client.get(reverse("reviews:bulk_template"))
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == list(COLUMNS)


@pytest.mark.parametrize(
    "role", ["inspector", "lead_inspector", "panel_member", "admin"]
)
def test_only_hmpps_uploads_in_bulk(client_for, role):
    assert client_for(role).get(URL).status_code == 403


HOSTILE = hostile_uploads()


@pytest.mark.parametrize(
    ("content", "name", "message"), HOSTILE.values(), ids=HOSTILE.keys()
)
def test_hostile_and_empty_files_are_refused_with_the_upload_checks_message(
    hmpps_client, media_root, content, name, message
):
    rows, files = rows_and_files(1)
    rows[0]["review_file"] = name
    files = [upload(content, name)]
    response = hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No review was saved" in page
    assert (
        '<td class="govuk-table__cell">2</td>\n'
        '          <td class="govuk-table__cell">review_file</td>\n'
        '          <td class="govuk-table__cell">'
        f"{escape(name)}: {escape(message)}</td>"
    ) in page
    assert not Review.objects.exists()
    assert stored_files(media_root) == []


def test_more_than_a_hundred_files_get_a_form_error_not_bad_request(
    hmpps_client, media_root
):
    rows, _ = rows_and_files(1)
    files = [upload(b"%PDF-1.4\n", f"review-{i}.pdf") for i in range(101)]
    response = hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Select 100 files or fewer" in page
    assert not Review.objects.exists()
    assert stored_files(media_root) == []


def test_a_hundred_files_are_not_too_many(hmpps_client, media_root):
    rows, _ = rows_and_files(1)
    files = [upload(b"%PDF-1.4\n", f"review-{i}.pdf") for i in range(100)]
    response = hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    assert response.status_code == 200
    assert "Select 100 files or fewer" not in response.content.decode()


def test_a_manifest_cell_over_the_csv_field_limit_is_a_row_error(
    hmpps_client, media_root
):
    rows, files = rows_and_files(3)
    rows[1]["reviewing_manager"] = "x" * (csv.field_size_limit() + 1)
    response = hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No review was saved" in page
    assert (
        '<td class="govuk-table__cell">3</td>\n'
        '          <td class="govuk-table__cell">Manifest</td>\n'
        '          <td class="govuk-table__cell">Row 3 has a value longer than '
        "131,072 characters: shorten it and try again</td>"
    ) in page
    assert not Review.objects.exists()
    assert stored_files(media_root) == []


def test_a_manifest_header_over_the_csv_field_limit_is_row_one(
    hmpps_client, media_root
):
    header = ",".join(COLUMNS) + "," + "x" * (csv.field_size_limit() + 1)
    bad = SimpleUploadedFile("m.csv", (header + "\n").encode(), "text/csv")
    response = hmpps_client.post(
        URL, {"manifest": bad, "documents": [upload(unique_pdf())]}
    )
    assert response.status_code == 200
    assert "Row 1 has a value longer than" in response.content.decode()

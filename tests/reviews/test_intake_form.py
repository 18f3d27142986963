import pytest
from django.core import mail
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape

from accounts.models import AuditEvent
from reviews.models import DocumentVersion, Review, ReviewEvent
from tests.reviews.conftest import stored_files
from tests.reviews.factories import ReviewFactory, form_data, unique_pdf
from tests.sfoqa.files import (
    docx_bytes,
    hostile_uploads,
    macro_docx,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


def post_review(client, files=None, **overrides):
    files = files if files is not None else {"review_document": upload(unique_pdf())}
    return client.post(reverse("reviews:new"), {**form_data(**overrides), **files})


def test_hmpps_sends_a_review_and_gets_an_acknowledgement(
    hmpps_client, users, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_review(
            hmpps_client,
            files={
                "review_document": upload(unique_pdf(), "review.pdf"),
                "action_plan": upload(docx_bytes(), "plan.docx", "x"),
            },
            hmpps_reference=" sfo-2025-0001 ",
        )
    review = Review.objects.get()
    assert response.url == reverse("reviews:received", kwargs={"pk": review.pk})
    assert review.hmpps_reference == "SFO-2025-0001"
    assert review.status == Review.Status.RECEIVED
    assert review.submitted_by == users["hmpps_sfo"]
    documents = list(review.documents.order_by("document_type"))
    assert [d.document_type for d in documents] == ["action_plan", "review"]
    assert [d.kind for d in documents] == ["docx", "pdf"]
    # No scanner configured: the documents are marked not scanned.
    assert {d.scan_status for d in documents} == {"not_scanned"}
    assert len(stored_files(media_root)) == 2
    assert ReviewEvent.objects.filter(review=review, kind="received").exists()
    assert AuditEvent.objects.filter(action="review_received", object_id=review.pk)
    (email,) = mail.outbox
    assert email.to == [users["hmpps_sfo"].email]
    assert "SFO-2025-0001" in email.body
    page = hmpps_client.get(response.url).content.decode()
    assert "Review received" in page and "SFO-2025-0001" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (png_bytes(), "review.pdf", "must be a PDF or Word document"),
        (macro_docx(), "review.docx", "contains macros"),
        (docx_bytes(), "review.pdf", "but its name ends in .pdf"),
    ],
)
def test_unsafe_or_wrong_files_are_refused_and_nothing_is_kept(
    hmpps_client, media_root, content, name, message
):
    response = post_review(
        hmpps_client, files={"review_document": upload(content, name)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Review.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_size_cap_is_refused(hmpps_client, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 100
    response = post_review(hmpps_client)
    assert "must be smaller than 1 KB" in response.content.decode()
    assert not Review.objects.exists()


def test_the_same_reference_twice_is_explained(hmpps_client, reference_data):
    ReviewFactory(hmpps_reference="SFO-2025-0001")
    response = post_review(hmpps_client, hmpps_reference="sfo-2025-0001")
    page = response.content.decode()
    assert "A review with HMPPS reference SFO-2025-0001 was already received" in page
    assert Review.objects.count() == 1


def test_the_same_file_twice_is_explained(hmpps_client, media_root):
    content = unique_pdf()
    post_review(hmpps_client, files={"review_document": upload(content)})
    response = post_review(
        hmpps_client,
        files={"review_document": upload(content)},
        hmpps_reference="SFO-2025-0002",
    )
    page = response.content.decode()
    assert "This exact file has already been received, as version 1 of review" in page
    assert Review.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_case_facts_are_checked(hmpps_client, reference_data):
    from reviews.models import DeliveryUnit, Region

    other_region = Region.objects.order_by("position")[1]
    response = post_review(
        hmpps_client,
        crn="12345",
        delivery_unit=DeliveryUnit.objects.filter(region=other_region).first().pk,
        charge_date_0="1",
        charge_date_1="4",
        charge_date_2="2024",
        family_meeting_offered="False",
        family_meeting_held="True",
    )
    page = response.content.decode()
    assert "Enter a CRN in the correct format, like X123456" in page
    assert "Choose a PDU in the North East region" in page
    assert "The charge date must be on or after the offence" in page
    assert "A family meeting can only have been held if it was offered" in page
    assert not Review.objects.exists()


def test_extra_fields_are_ignored(hmpps_client, media_root):
    post_review(hmpps_client, status="published", inspector="1")
    assert Review.objects.get().status == Review.Status.RECEIVED


@pytest.mark.parametrize(
    "role", ["inspector", "lead_inspector", "panel_member", "admin"]
)
def test_only_hmpps_may_send_reviews(client_for, role):
    assert client_for(role).get(reverse("reviews:new")).status_code == 403


def test_hmpps_sends_a_new_version_and_records_an_extension(
    hmpps_client, media_root, reference_data
):
    review = ReviewFactory()
    response = hmpps_client.post(
        reverse("reviews:version_add", kwargs={"pk": review.pk}),
        {"review_document": upload(unique_pdf())},
    )
    assert response.status_code == 302
    assert list(review.documents.values_list("number", flat=True)) == [1]
    response = hmpps_client.post(
        reverse("reviews:extension_add", kwargs={"pk": review.pk}),
        {
            "new_target_date_0": "1",
            "new_target_date_1": "10",
            "new_target_date_2": "2024",
            "reason": "Staff interviews delayed",
            "agreed_by": "Head of the PDU",
            "agreed_on_0": "1",
            "agreed_on_1": "9",
            "agreed_on_2": "2024",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert str(review.due_date) == "2024-10-01"
    assert review.extensions.count() == 1
    assert set(review.events.values_list("kind", flat=True)) == {
        "version_added",
        "extension_added",
    }


def test_an_extension_must_move_the_target_date_later(hmpps_client, reference_data):
    review = ReviewFactory()
    response = hmpps_client.post(
        reverse("reviews:extension_add", kwargs={"pk": review.pk}),
        {
            "new_target_date_0": "1",
            "new_target_date_1": "8",
            "new_target_date_2": "2024",
            "reason": "x",
            "agreed_by": "y",
            "agreed_on_0": "1",
            "agreed_on_1": "8",
            "agreed_on_2": "2024",
        },
    )
    assert (
        "The new target date must be after the current one" in response.content.decode()
    )


def test_another_organisations_review_cannot_be_changed(hmpps_client, reference_data):
    from accounts.models import Organisation

    other = Organisation.objects.create(name="Other HMPPS", kind="hmpps")
    review = ReviewFactory(organisation=other)
    url = reverse("reviews:extension_add", kwargs={"pk": review.pk})
    assert hmpps_client.get(url).status_code == 404
    assert not DocumentVersion.objects.exists()


@pytest.fixture
def another_organisations_review(reference_data):
    """A review, with a document, sent by another HMPPS organisation."""
    from accounts.models import Organisation
    from tests.reviews.factories import add_document

    other = Organisation.objects.create(
        name="HMPPS Wales SFO team", kind=Organisation.Kind.HMPPS
    )
    review = ReviewFactory(hmpps_reference="SFO-2025-0001", organisation=other)
    return review, add_document(review)


def test_another_organisations_reference_cannot_be_used_and_says_no_more(
    hmpps_client, another_organisations_review
):
    review, _document = another_organisations_review
    page = post_review(hmpps_client, hmpps_reference="SFO-2025-0001").content.decode()
    assert "This reference cannot be used" in page
    assert "already received" not in page
    assert date_format(review.received_on, "j F Y") not in page
    assert Review.objects.count() == 1


def test_another_organisations_file_cannot_be_used_and_says_no_more(
    hmpps_client, another_organisations_review, media_root
):
    from django.core.files.storage import default_storage

    review, document = another_organisations_review
    with default_storage.open(document.storage_name) as stored:
        content = stored.read()
    response = post_review(
        hmpps_client,
        files={"review_document": upload(content)},
        hmpps_reference="SFO-2025-0002",
    )
    page = response.content.decode()
    assert "This file cannot be used" in page
    assert "already been received" not in page
    assert review.hmpps_reference not in page
    assert Review.objects.count() == 1


def test_a_bulk_upload_says_the_same_of_another_organisations_reference_and_file(
    hmpps_client, another_organisations_review, media_root
):
    import csv
    import io

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reviews.bulk import COLUMNS
    from tests.reviews.factories import data_row

    review, document = another_organisations_review
    with default_storage.open(document.storage_name) as stored:
        content = stored.read()
    rows = [
        {**data_row(hmpps_reference="SFO-2025-0001"), "review_file": "a.pdf"},
        {**data_row(hmpps_reference="SFO-B2"), "review_file": "b.pdf"},
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    response = hmpps_client.post(
        reverse("reviews:bulk_upload"),
        {
            "manifest": SimpleUploadedFile("m.csv", buffer.getvalue().encode()),
            "documents": [upload(unique_pdf(), "a.pdf"), upload(content, "b.pdf")],
        },
    )
    page = response.content.decode()
    assert "This reference cannot be used" in page
    assert "This file cannot be used" in page
    assert "already" not in page
    assert date_format(review.received_on, "j F Y") not in page
    assert Review.objects.count() == 1


HOSTILE = hostile_uploads()


@pytest.mark.parametrize(
    ("content", "name", "message"), HOSTILE.values(), ids=HOSTILE.keys()
)
def test_hostile_and_empty_files_are_refused_with_the_upload_checks_message(
    hmpps_client, media_root, content, name, message
):
    response = post_review(
        hmpps_client, files={"review_document": upload(content, name)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert escape(message) in page
    assert not Review.objects.exists()
    assert stored_files(media_root) == []

"""Files in S3-compatible storage: moto's S3 server on loopback, the service
storing through the settings S3_BUCKET makes."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from consultations import services as consultation_services
from consultations.models import Document
from insights.models import AnnualReport
from panels.models import Evidence, EvidenceFile, Paper
from reports import services as report_services
from reports.models import ReportJob
from reviews.models import DocumentVersion, Review
from sfoqa.uploads import inspect_upload
from tests.conftest import sign_in
from tests.consultations.factories import ConsultationFactory
from tests.panels.factories import add_action, make_panel, partner, pdf_bytes
from tests.reviews.factories import ReviewFactory, form_data, unique_pdf
from tests.sfoqa.files import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(run_tasks_in_process):
    """Tasks queued after commit run here, whatever REDIS_URL says."""


def objects(client, bucket) -> list[str]:
    listing = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def assert_private_and_encrypted(client, bucket, key):
    head = client.head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


def test_settings_store_in_the_bucket_encrypted_and_private(s3_storage_options):
    assert s3_storage_options["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3_storage_options["OPTIONS"]
    assert options["bucket_name"] == "sfoqa-settings-check"
    assert options["region_name"] == "eu-west-2"
    assert options["endpoint_url"] == "http://127.0.0.1:9"
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True


def send_review(client, capture, content):
    with capture(execute=True):
        return client.post(
            reverse("reviews:new"),
            {**form_data(), "review_document": upload(content, "review.pdf")},
        )


def test_a_review_document_is_stored_in_the_bucket_and_streamed_by_the_view(
    s3_bucket, s3_client, s3_server, hmpps_client, django_capture_on_commit_callbacks
):
    content = unique_pdf()
    response = send_review(hmpps_client, django_capture_on_commit_callbacks, content)
    assert response.status_code == 302
    document = DocumentVersion.objects.get()
    assert objects(s3_client, s3_bucket) == [document.storage_name]
    assert_private_and_encrypted(s3_client, s3_bucket, document.storage_name)
    stored = s3_client.get_object(Bucket=s3_bucket, Key=document.storage_name)
    assert stored["Body"].read() == content
    download = hmpps_client.get(reverse("reviews:document", kwargs={"pk": document.pk}))
    assert download.status_code == 200 and download.streaming
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment")
    page = hmpps_client.get(
        reverse("reviews:detail", kwargs={"pk": document.review_id})
    ).content.decode()
    # Links lead to the service's own views, never to the bucket.
    assert s3_server not in page and s3_bucket not in page
    assert reverse("reviews:document", kwargs={"pk": document.pk}) in page


def test_a_document_the_user_may_not_see_is_not_served_from_the_bucket(
    s3_bucket, hmpps_client, inspector_client, django_capture_on_commit_callbacks
):
    send_review(hmpps_client, django_capture_on_commit_callbacks, unique_pdf())
    document = DocumentVersion.objects.get()
    url = reverse("reviews:document", kwargs={"pk": document.pk})
    assert inspector_client.get(url).status_code == 404


def test_a_bucket_that_refuses_the_upload_records_nothing_and_says_so(
    settings,
    s3_server,
    s3_client,
    s3_storage_options,
    hmpps_client,
    django_capture_on_commit_callbacks,
):
    from tests.integration.conftest import s3_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            s3_storage_options, endpoint=s3_server, bucket="sfoqa-no-such-bucket"
        ),
    }
    response = send_review(
        hmpps_client, django_capture_on_commit_callbacks, unique_pdf()
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The selected file could not be saved: try again later" in page
    assert not Review.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_a_report_job_file_is_kept_in_the_bucket_and_downloaded_through_the_view(
    s3_bucket,
    s3_client,
    users,
    client_for,
    builder,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_services.report_request(
            kind="test_report", params={}, requested_by=users[Role.LEAD_INSPECTOR]
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert objects(s3_client, s3_bucket) == [job.file]
    assert_private_and_encrypted(s3_client, s3_bucket, job.file)
    client = client_for(Role.LEAD_INSPECTOR)
    download = client.get(reverse("reports:job_download", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"report for job")
    other = client_for(Role.INSPECTOR)
    assert (
        other.get(reverse("reports:job_download", kwargs={"pk": job.pk})).status_code
        == 404
    )


def test_a_panel_paper_is_kept_in_the_bucket_and_downloaded_through_the_view(
    s3_bucket, s3_client, users, client_for, django_capture_on_commit_callbacks
):
    lead = users[Role.LEAD_INSPECTOR]
    panel = make_panel(lead)
    client = client_for(Role.LEAD_INSPECTOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("panels:paper_add", kwargs={"pk": panel.pk}),
            {
                "title": "Agenda",
                "paper_kind": "agenda",
                "document": upload(pdf_bytes(pages=1), "agenda.pdf"),
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    paper = Paper.objects.get()
    assert objects(s3_client, s3_bucket) == [paper.storage_name]
    assert_private_and_encrypted(s3_client, s3_bucket, paper.storage_name)
    download = client.get(reverse("panels:paper_download", kwargs={"pk": paper.pk}))
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")
    outsider = client_for(Role.HMPPS_SFO)
    refused = outsider.get(reverse("panels:paper_download", kwargs={"pk": paper.pk}))
    assert refused.status_code in (403, 404)
    assert b"%PDF-" not in refused.content


def test_a_bucket_that_refuses_a_panel_paper_records_nothing_and_says_so(
    settings, s3_server, s3_storage_options, users, client_for
):
    from tests.integration.conftest import s3_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            s3_storage_options, endpoint=s3_server, bucket="sfoqa-no-such-bucket"
        ),
    }
    panel = make_panel(users[Role.LEAD_INSPECTOR])
    response = client_for(Role.LEAD_INSPECTOR).post(
        reverse("panels:paper_add", kwargs={"pk": panel.pk}),
        {
            "title": "Agenda",
            "paper_kind": "agenda",
            "document": upload(pdf_bytes(pages=1), "agenda.pdf"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The selected file could not be saved: try again later" in page
    assert not Paper.objects.exists()


def test_a_removed_document_is_deleted_from_the_bucket(
    s3_bucket, s3_client, users, django_capture_on_commit_callbacks
):
    admin = users[Role.ADMIN]
    consultation = ConsultationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        document = consultation_services.document_add(
            by=admin,
            consultation=consultation,
            kind="consultation",
            title="The consultation",
            upload=inspect_upload(upload(unique_pdf(), "consultation.pdf")),
        )
    assert objects(s3_client, s3_bucket) == [document.storage_name]
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.document_remove(by=admin, document=document)
    assert objects(s3_client, s3_bucket) == []
    assert not default_storage.exists(document.storage_name)


NOT_SAVED = "The selected file could not be saved: try again later"


@pytest.fixture
def refusing_bucket(settings, s3_server, s3_storage_options):
    """The service storing in a bucket that refuses every write."""
    from tests.integration.conftest import s3_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            s3_storage_options, endpoint=s3_server, bucket="sfoqa-no-such-bucket"
        ),
    }


def assert_form_says_not_saved(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert NOT_SAVED in page


def test_a_bucket_that_refuses_a_new_review_version_records_nothing_and_says_so(
    refusing_bucket, hmpps_client
):
    review = ReviewFactory()
    response = hmpps_client.post(
        reverse("reviews:version_add", kwargs={"pk": review.pk}),
        {"review_document": upload(unique_pdf(), "review.pdf")},
    )
    assert_form_says_not_saved(response)
    assert not DocumentVersion.objects.exists()
    assert not review.events.exists()


def test_a_bucket_that_refuses_a_bulk_upload_records_nothing_and_says_so(
    refusing_bucket, hmpps_client
):
    from tests.reviews.test_bulk import manifest, rows_and_files

    rows, files = rows_and_files(count=2)
    response = hmpps_client.post(
        reverse("reviews:bulk_upload"),
        {"manifest": manifest(rows), "documents": files},
    )
    assert_form_says_not_saved(response)
    assert not Review.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_a_bucket_that_refuses_an_api_upload_answers_400_and_records_nothing(
    refusing_bucket, users
):
    from django.core.cache import cache
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from tests.reviews.factories import data_row

    cache.clear()  # the API's rate limit starts afresh
    key = Token.objects.create(user=users[Role.HMPPS_SFO]).key
    body = {
        **data_row(),
        "family_meeting_offered": "true",
        "family_meeting_held": "false",
        "review_document": upload(unique_pdf(), "review.pdf"),
    }
    del body["mappa_level"]
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").post(
        reverse("reviews_api:list"), body
    )
    assert response.status_code == 400
    assert response.json() == {"review_document": [NOT_SAVED]}
    assert not Review.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_a_bucket_that_refuses_a_consultation_document_records_nothing_and_says_so(
    refusing_bucket, admin_client
):
    consultation = ConsultationFactory()
    response = admin_client.post(
        reverse("consultations:document_add", kwargs={"pk": consultation.pk}),
        {
            "title": "The proposals",
            "kind": "consultation",
            "upload": upload(unique_pdf(), "proposals.pdf"),
        },
    )
    assert_form_says_not_saved(response)
    assert not Document.objects.exists()


def test_a_bucket_that_refuses_action_evidence_records_nothing_and_says_so(
    refusing_bucket, users, client
):
    lead = users[Role.LEAD_INSPECTOR]
    police = partner("police", email="police.partner@example.org")
    action = add_action(make_panel(lead, members=[police]), lead)
    response = sign_in(client, police).post(
        reverse("panels:action_evidence", kwargs={"pk": action.pk}),
        {
            "text": "The checklist now has the check.",
            "document_1": upload(pdf_bytes(pages=1), "checklist.pdf"),
        },
    )
    assert_form_says_not_saved(response)
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    action.refresh_from_db()
    assert action.status != action.Status.EVIDENCE_SUBMITTED


def test_a_bucket_that_refuses_a_report_file_fails_the_job_visibly(
    refusing_bucket, users, client_for, builder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_services.report_request(
            kind="test_report", params={}, requested_by=users[Role.LEAD_INSPECTOR]
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert (job.file, job.sha256, job.size) == ("", "", None)
    assert builder.runs == 3  # each attempt tried to store it, then it gave up
    client = client_for(Role.LEAD_INSPECTOR)
    page = client.get(reverse("reports:job_detail", kwargs={"pk": job.pk}))
    assert page.status_code == 200
    assert "The report could not be made" in page.content.decode()
    download = client.get(reverse("reports:job_download", kwargs={"pk": job.pk}))
    assert download.status_code == 302


def test_a_bucket_that_refuses_a_benchmarking_review_records_nothing_and_says_so(
    refusing_bucket, users, client_for
):
    import datetime

    from ratings.benchmarking import services as benchmark_services
    from ratings.models import SessionReview

    session = benchmark_services.benchmark_session_create(
        by=users[Role.LEAD_INSPECTOR],
        title="Spring benchmarking",
        held_on=datetime.date(2026, 3, 27),
    )
    response = client_for(Role.LEAD_INSPECTOR).post(
        reverse("ratings:benchmark_review_add", kwargs={"pk": session.pk}),
        {
            "title": "Review B",
            "source": "upload",
            "document": upload(unique_pdf(), "anonymised.pdf"),
        },
    )
    assert_form_says_not_saved(response)
    assert not SessionReview.objects.exists()


def _done_job(user, *, kind: str, days_ago: int) -> ReportJob:
    job = ReportJob.objects.create(
        kind=kind,
        requested_by=user,
        status=ReportJob.Status.DONE,
        filename="report.pdf",
        content_type="application/pdf",
        finished_at=timezone.now() - timedelta(days=days_ago),
    )
    name = default_storage.save(f"reports/job-{job.pk}.pdf", ContentFile(b"%PDF-"))
    ReportJob.objects.filter(pk=job.pk).update(file=name)
    job.refresh_from_db()
    return job


def test_retention_deletes_expired_report_files_from_the_bucket_and_keeps_published(
    s3_bucket, s3_client, users, builder, client, settings
):
    settings.REPORT_FILE_RETENTION_DAYS = 30
    lead = users[Role.LEAD_INSPECTOR]
    expired = _done_job(lead, kind="test_report", days_ago=31)
    recent = _done_job(lead, kind="test_report", days_ago=1)
    published = _done_job(lead, kind="annual_report", days_ago=400)
    AnnualReport.objects.create(
        year=2024,
        version=1,
        job=published,
        requested_by=lead,
        status=AnnualReport.Status.PUBLISHED,
    )
    assert objects(s3_client, s3_bucket) == sorted(
        [expired.file, recent.file, published.file]
    )

    assert report_services.report_files_expire() == {"deleted": 1, "failed": 0}

    assert objects(s3_client, s3_bucket) == sorted([recent.file, published.file])
    expired.refresh_from_db()
    assert expired.file == "" and expired.file_deleted_at is not None
    pdf = client.get(reverse("publications:publication_pdf", kwargs={"year": 2024}))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == b"%PDF-"
    assert report_services.report_files_expire() == {"deleted": 0, "failed": 0}
    assert len(objects(s3_client, s3_bucket)) == 2

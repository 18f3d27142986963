"""Files in S3-compatible storage: moto's S3 server on loopback, the service
storing through the settings S3_BUCKET makes."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.roles import Role
from consultations import services as consultation_services
from panels.models import Paper
from reports import services as report_services
from reports.models import ReportJob
from reviews.models import DocumentVersion, Review
from sfoqa.uploads import inspect_upload
from tests.consultations.factories import ConsultationFactory
from tests.panels.factories import make_panel, pdf_bytes
from tests.reviews.factories import form_data, unique_pdf
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

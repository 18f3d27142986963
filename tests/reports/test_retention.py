"""The daily retention task deletes report files past their retention period,
once, with an audit event; published reports keep theirs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from insights.models import AnnualReport
from ratings import services as rating_services
from ratings.models import Publication
from reports import services, tasks
from reports.models import ReportJob
from tests.ratings.conftest import make_allocation

pytestmark = pytest.mark.django_db
Status = ReportJob.Status
NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
RUN = AuditEvent.Action.REPORT_FILES_DELETED


@pytest.fixture(autouse=True)
def thirty_days(settings):
    settings.REPORT_FILE_RETENTION_DAYS = 30


@pytest.fixture
def lead(users):
    return users[Role.LEAD_INSPECTOR]


def done_job(user, *, days_ago: float, kind="test_report") -> ReportJob:
    """A done job whose file is in storage, finished `days_ago` before NOW."""
    job = ReportJob.objects.create(
        kind=kind,
        requested_by=user,
        status=Status.DONE,
        progress=100,
        filename="export.txt",
        content_type="text/plain",
        size=9,
        finished_at=NOW - timedelta(days=days_ago),
    )
    name = default_storage.save(f"reports/job-{job.pk}.txt", ContentFile(b"personal"))
    ReportJob.objects.filter(pk=job.pk).update(file=name)
    job.refresh_from_db()
    return job


def test_files_past_the_retention_period_are_deleted_and_the_rest_stay(lead, builder):
    old = done_job(lead, days_ago=31)
    recent = done_job(lead, days_ago=29)
    failed = ReportJob.objects.create(
        kind="test_report",
        requested_by=lead,
        status=Status.FAILED,
        finished_at=NOW - timedelta(days=90),
    )

    assert services.report_files_expire(now=NOW) == {"deleted": 1, "failed": 0}

    old_name = old.file
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not default_storage.exists(old_name)
    assert (old.file, old.file_deleted_at, old.file_deleted) == ("", NOW, True)
    assert (old.status, old.filename) == (Status.DONE, "export.txt")
    assert default_storage.exists(recent.file)
    assert recent.file_deleted_at is None
    assert ReportJob.objects.get(pk=failed.pk).file_deleted_at is None
    event = AuditEvent.objects.get(action=RUN)
    assert event.details == {"days": 30, "files_deleted": 1, "not_deleted": 0}
    assert event.outcome == AuditEvent.Outcome.OK


def test_the_period_is_the_setting(lead, builder, settings):
    settings.REPORT_FILE_RETENTION_DAYS = 7
    job = done_job(lead, days_ago=8)
    assert services.report_files_expire(now=NOW)["deleted"] == 1
    job.refresh_from_db()
    assert job.file_deleted


def test_running_twice_deletes_nothing_more(lead, builder):
    done_job(lead, days_ago=40)
    done_job(lead, days_ago=45)
    assert services.report_files_expire(now=NOW)["deleted"] == 2
    first = list(ReportJob.objects.order_by("pk").values())

    assert services.report_files_expire(now=NOW + timedelta(days=1)) == {
        "deleted": 0,
        "failed": 0,
    }
    assert list(ReportJob.objects.order_by("pk").values()) == first
    runs = AuditEvent.objects.filter(action=RUN).order_by("pk")
    assert [run.details["files_deleted"] for run in runs] == [2, 0]


def test_a_storage_error_on_one_file_leaves_it_for_the_next_run(
    lead, builder, monkeypatch
):
    refused = done_job(lead, days_ago=40)
    other = done_job(lead, days_ago=40)
    storage_class = type(default_storage._wrapped)
    delete = storage_class.delete

    def failing_delete(storage, name):
        if name == refused.file:
            raise OSError("storage unavailable")
        delete(storage, name)

    monkeypatch.setattr(storage_class, "delete", failing_delete)
    assert services.report_files_expire(now=NOW) == {"deleted": 1, "failed": 1}
    refused.refresh_from_db()
    other.refresh_from_db()
    assert refused.file and refused.file_deleted_at is None
    assert default_storage.exists(refused.file)
    assert other.file_deleted
    event = AuditEvent.objects.get(action=RUN)
    assert event.outcome == AuditEvent.Outcome.FAILED
    assert event.details["not_deleted"] == 1

    monkeypatch.undo()
    assert services.report_files_expire(now=NOW + timedelta(days=1))["deleted"] == 1
    refused.refresh_from_db()
    assert refused.file_deleted


def test_published_qa_reports_and_annual_reports_keep_their_files(users, lead, client):
    qa_job = done_job(lead, days_ago=400, kind="qa_report")
    assessment = rating_services.assessment_start(allocation=make_allocation(users))
    Publication.objects.create(
        assessment=assessment,
        number=1,
        snapshot={},
        published_by=lead,
        report_job=qa_job,
    )
    annual_jobs = {}
    for version, status in enumerate(AnnualReport.Status.values, start=1):
        job = done_job(lead, days_ago=400, kind="annual_report")
        AnnualReport.objects.create(
            year=2024, version=version, job=job, requested_by=lead, status=status
        )
        annual_jobs[status] = job
    # A job of a kept kind that no report points at is not kept.
    stray = done_job(lead, days_ago=400, kind="qa_report")

    assert services.report_files_expire(now=NOW)["deleted"] == 1

    stray.refresh_from_db()
    assert stray.file_deleted
    for job in [qa_job, *annual_jobs.values()]:
        job.refresh_from_db()
        assert job.file and not job.file_deleted_at
        assert default_storage.exists(job.file)
    pdf = client.get(reverse("publications:publication_pdf", kwargs={"year": 2024}))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == b"personal"


def test_a_deleted_files_page_says_so_and_offers_to_make_it_again(
    lead, builder, client_for, django_capture_on_commit_callbacks, run_tasks_in_process
):
    job = done_job(lead, days_ago=31)
    ReportJob.objects.filter(pk=job.pk).update(created_at=NOW - timedelta(days=31))
    services.report_files_expire(now=NOW)
    client = client_for(Role.LEAD_INSPECTOR)

    page = client.get(reverse("reports:job_detail", kwargs={"pk": job.pk}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "The file was deleted on 15 June 2026" in text
    assert "deleted 30 days after they are made" in text
    assert "Make the report again" in text
    assert reverse("reports:job_download", kwargs={"pk": job.pk}) not in text
    listing = client.get(reverse("reports:job_list")).content.decode()
    assert "File deleted" in listing

    download = client.get(reverse("reports:job_download", kwargs={"pk": job.pk}))
    assert download.status_code == 302
    assert download["Location"] == reverse("reports:job_detail", kwargs={"pk": job.pk})
    assert not AuditEvent.objects.filter(action="report_downloaded").exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:job_retry", kwargs={"pk": job.pk}))
    asked_before = NOW - timedelta(days=31)
    job.refresh_from_db()
    assert (job.status, job.file_deleted_at) == (Status.DONE, None)
    # Asked for again today, not a month and more ago.
    assert job.created_at > asked_before + timedelta(days=1)
    assert default_storage.open(job.file).read().startswith(b"report for job")
    again = client.get(reverse("reports:job_download", kwargs={"pk": job.pk}))
    assert again.status_code == 200


def test_others_cannot_see_a_deleted_files_page_or_make_it_again(
    lead, builder, client_for
):
    job = done_job(lead, days_ago=31)
    services.report_files_expire(now=NOW)
    for role in (Role.INSPECTOR, Role.HMPPS_SFO):
        client = client_for(role)
        assert (
            client.get(reverse("reports:job_detail", kwargs={"pk": job.pk})).status_code
            == 404
        )
        assert (
            client.post(reverse("reports:job_retry", kwargs={"pk": job.pk})).status_code
            == 404
        )
    job.refresh_from_db()
    assert job.file_deleted


def test_the_task_is_scheduled_daily_and_runs_the_service(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["report-file-retention"]
    assert schedule["task"] == tasks.expire_report_files.name
    assert schedule["schedule"] == timedelta(days=1)
    assert tasks.expire_report_files.run() == {"deleted": 0, "failed": 0}
    assert AuditEvent.objects.filter(action=RUN).count() == 1

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import AuditEvent
from accounts.roles import Role
from reports import services
from reports.models import ReportJob
from reports.tasks import run_report_job

Status = ReportJob.Status


@pytest.fixture
def lead(users):
    return users[Role.LEAD_INSPECTOR]


def request_job(user, **params):
    return services.report_request(kind="test_report", params=params, requested_by=user)


def stored_files(job):
    folder, _ = default_storage.listdir("reports")[1], None
    return [name for name in folder if name.startswith(f"job-{job.pk}.")]


@pytest.mark.django_db
def test_a_request_is_a_row_first_and_is_sent_after_commit(
    lead, builder, django_capture_on_commit_callbacks, run_tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request_job(lead, year=2025)
    assert ReportJob.objects.get(pk=job.pk).status == Status.QUEUED
    assert builder.runs == 0
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert job.progress == 100
    assert job.sent_at is not None
    content = default_storage.open(job.file).read()
    import hashlib

    assert job.sha256 == hashlib.sha256(content).hexdigest()
    assert job.size == len(content)


@pytest.mark.django_db
def test_running_a_job_twice_leaves_one_file_and_one_done_job(
    lead, builder, django_capture_on_commit_callbacks, run_tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(lead)
    run_report_job(job.pk)  # delivered again: already done, nothing happens
    assert builder.runs == 1
    # A worker killed mid-render leaves the job running; the re-delivery ends it.
    ReportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert builder.runs == 2
    assert stored_files(job) == [f"job-{job.pk}.txt"]


@pytest.mark.django_db
def test_with_the_broker_down_the_job_waits_and_the_sweeper_finishes_it(
    lead, builder, monkeypatch, django_capture_on_commit_callbacks, run_tasks_in_process
):
    def broker_down(*args, **kwargs):
        raise OperationalError(
            "Error 111 connecting to 127.0.0.1:6379. Connection refused."
        )

    monkeypatch.setattr(run_report_job, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(lead)
    job.refresh_from_db()
    assert (job.status, job.sent_at) == (Status.QUEUED, None)

    monkeypatch.undo()
    assert services.report_jobs_sweep() == {"resent": 1, "stuck": 0, "tasks": 0}
    job.refresh_from_db()
    assert job.status == Status.DONE


@pytest.mark.django_db
def test_the_report_page_stays_up_when_the_broker_is_down(
    client_for, lead, builder, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        run_report_job, "delay", lambda *a: (_ for _ in ()).throw(OSError("refused"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(lead)
    page = client_for(Role.LEAD_INSPECTOR).get(
        reverse("reports:job_detail", kwargs={"pk": job.pk})
    )
    assert page.status_code == 200
    assert "Waiting to start" in page.content.decode()


@pytest.mark.django_db
def test_a_failing_report_is_retried_then_fails_with_a_clear_error(
    lead, builder, django_capture_on_commit_callbacks, run_tasks_in_process
):
    builder.failures_left = 10
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(lead)
    job.refresh_from_db()
    assert builder.runs == 3
    assert job.status == Status.FAILED
    assert job.attempts == 3
    assert "could not be made" in job.error
    assert "renderer crashed" not in job.error


@pytest.mark.django_db
def test_a_failure_that_clears_on_retry_ends_done(
    lead, builder, django_capture_on_commit_callbacks, run_tasks_in_process
):
    builder.failures_left = 1
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(lead)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)


@pytest.mark.django_db
def test_the_sweeper_rescues_a_stuck_job_and_fails_one_out_of_attempts(
    lead, builder, run_tasks_in_process
):
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    rescued = ReportJob.objects.create(
        kind="test_report", requested_by=lead, status=Status.RUNNING,
        attempts=1, started_at=long_ago, sent_at=long_ago,
    )  # fmt: skip
    exhausted = ReportJob.objects.create(
        kind="test_report", requested_by=lead, status=Status.RUNNING,
        attempts=3, started_at=long_ago, sent_at=long_ago,
    )  # fmt: skip
    services.report_jobs_sweep()
    rescued.refresh_from_db()
    exhausted.refresh_from_db()
    assert rescued.status == Status.DONE
    assert exhausted.status == Status.FAILED


@pytest.mark.django_db
def test_the_requester_retries_a_failed_job_from_its_page(
    client_for, lead, builder, django_capture_on_commit_callbacks, run_tasks_in_process
):
    job = ReportJob.objects.create(
        kind="test_report", requested_by=lead, status=Status.FAILED, attempts=3
    )
    client = client_for(Role.LEAD_INSPECTOR)
    page = client.get(reverse("reports:job_detail", kwargs={"pk": job.pk}))
    assert "Try again" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:job_retry", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert job.status == Status.DONE


@pytest.mark.django_db
def test_only_the_requester_and_admins_can_see_or_download_a_job(
    client_for, lead, builder, django_capture_on_commit_callbacks, run_tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(lead)
    download = reverse("reports:job_download", kwargs={"pk": job.pk})
    for role in (Role.INSPECTOR, Role.HMPPS_SFO, Role.PANEL_MEMBER):
        assert client_for(role).get(download).status_code == 404
        assert (
            client_for(role)
            .post(reverse("reports:job_retry", kwargs={"pk": job.pk}))
            .status_code
            == 404
        )
    response = client_for(Role.LEAD_INSPECTOR).get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"report for job")
    assert client_for(Role.ADMIN).get(download).status_code == 200
    assert AuditEvent.objects.filter(action="report_downloaded").count() == 2


@pytest.mark.django_db
def test_an_admin_may_see_but_not_retry_someone_elses_job(client_for, lead, builder):
    job = ReportJob.objects.create(
        kind="test_report", requested_by=lead, status=Status.FAILED
    )
    admin = client_for(Role.ADMIN)
    assert (
        admin.get(reverse("reports:job_detail", kwargs={"pk": job.pk})).status_code
        == 200
    )
    assert (
        admin.post(reverse("reports:job_retry", kwargs={"pk": job.pk})).status_code
        == 302
    )


@pytest.mark.django_db
def test_the_status_endpoint_reports_progress(client_for, lead, builder):
    job = ReportJob.objects.create(kind="test_report", requested_by=lead, progress=40)
    data = (
        client_for(Role.LEAD_INSPECTOR)
        .get(reverse("reports:job_status", kwargs={"pk": job.pk}))
        .json()
    )
    assert data == {
        "status": "queued",
        "label": "Waiting to start",
        "progress": 40,
        "finished": False,
    }


@pytest.mark.django_db
def test_the_job_list_shows_only_your_jobs(
    client_for, users, builder, django_assert_num_queries
):
    from tests.conftest import SIGNED_IN_QUERIES

    lead = users[Role.LEAD_INSPECTOR]
    for _ in range(12):
        ReportJob.objects.create(kind="test_report", requested_by=lead)
    ReportJob.objects.create(kind="test_report", requested_by=users[Role.ADMIN])
    client = client_for(Role.LEAD_INSPECTOR)
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        response = client.get(reverse("reports:job_list"))
    assert len(response.context["page"].object_list) == 12


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_sent_again_once_its_heartbeat_stops(
    lead, builder, run_tasks_in_process, settings
):
    now = timezone.now()
    lease = timedelta(seconds=settings.REPORT_JOB_LEASE_SECONDS)
    dead = ReportJob.objects.create(
        kind="test_report", requested_by=lead, status=Status.RUNNING, attempts=1,
        started_at=now - 2 * lease, heartbeat_at=now - lease - timedelta(seconds=1),
        sent_at=now - 2 * lease,
    )  # fmt: skip
    alive = ReportJob.objects.create(
        kind="test_report", requested_by=lead, status=Status.RUNNING, attempts=1,
        started_at=now - timedelta(minutes=5), heartbeat_at=now - lease / 2,
        sent_at=now - timedelta(minutes=5),
    )  # fmt: skip
    assert services.report_jobs_sweep() == {"resent": 1, "stuck": 1, "tasks": 0}
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.attempts) == (Status.DONE, 2)
    assert alive.status == Status.RUNNING
    assert builder.runs == 1


def test_a_dead_workers_job_is_sent_again_within_two_minutes(settings):
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-report-jobs"]
    assert sweep["task"] == "reports.sweep"
    assert settings.REPORT_JOB_LEASE_SECONDS + sweep["schedule"].total_seconds() <= 120


@pytest.mark.django_db(transaction=True)
def test_a_running_job_renews_its_heartbeat_while_a_long_step_runs(users, settings):
    from reports.kinds import KINDS, Rendered, ReportKind

    settings.REPORT_JOB_LEASE_SECONDS = 0.3  # a heartbeat every 0.1 s
    seen = []

    def slow_builder(job, progress):
        # One long step with no progress reported: only the heartbeat moves.
        first = ReportJob.objects.get(pk=job.pk).heartbeat_at
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            current = ReportJob.objects.get(pk=job.pk).heartbeat_at
            if current != first:
                seen.append((first, current))
                break
            time.sleep(0.05)
        return Rendered(content=b"done", filename="slow.txt", content_type="text/plain")

    KINDS["slow_report"] = ReportKind(
        name="slow_report", title="Slow report", builder=slow_builder
    )
    try:
        job = ReportJob.objects.create(
            kind="slow_report", requested_by=users[Role.LEAD_INSPECTOR]
        )
        services.report_job_run(job_id=job.pk)
    finally:
        del KINDS["slow_report"]
    (renewed,) = seen
    assert renewed[1] > renewed[0]
    job.refresh_from_db()
    assert job.status == Status.DONE

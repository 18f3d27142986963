"""The pipeline on a real Celery worker through Redis (CI's second run)."""

import time

import pytest
from django.conf import settings

from accounts.roles import Role
from reports import services
from reports.models import ReportJob

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL,
        reason="REDIS_URL is not set: tasks run in-process (CI runs this with Redis)",
    ),
]


def wait_until_finished(job, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {seconds} s")


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    from sfoqa.celery import app

    # No ping check: it needs a result store, and tasks keep no results.
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False):
        yield


def test_a_real_worker_makes_the_report(users, builder, worker):
    job = services.report_request(
        kind="test_report", params={}, requested_by=users[Role.LEAD_INSPECTOR]
    )
    assert wait_until_finished(job).status == ReportJob.Status.DONE


def test_a_real_worker_retries_a_failure_with_a_pause(users, builder, worker):
    builder.failures_left = 1
    job = services.report_request(
        kind="test_report", params={}, requested_by=users[Role.LEAD_INSPECTOR]
    )
    job = wait_until_finished(job)
    assert (job.status, job.attempts, builder.runs) == (ReportJob.Status.DONE, 2, 2)

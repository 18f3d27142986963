"""The report pipeline: request, send, run, sweep, retry."""

import hashlib
import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, Outcome, audit_record
from reports.kinds import KINDS, get_kind
from reports.models import ReportJob
from sfoqa.outbox import pending_tasks_resend

logger = logging.getLogger(__name__)
Status = ReportJob.Status

# A queued job not picked up after this long is sent again by the sweeper.
RESEND_AFTER = timedelta(minutes=1)


def _stuck_after() -> timedelta:
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _lease() -> timedelta:
    return timedelta(seconds=settings.REPORT_JOB_LEASE_SECONDS)


@transaction.atomic
def report_request(*, kind: str, params: dict, requested_by, request=None) -> ReportJob:
    """Record a report request and send its task once the request commits."""
    get_kind(kind)  # an unknown kind fails here, not in a worker
    job = ReportJob.objects.create(kind=kind, params=params, requested_by=requested_by)
    audit_record(
        action=Action.REPORT_REQUESTED,
        request=request,
        actor=requested_by,
        target=job,
        details={"kind": kind},
    )
    transaction.on_commit(lambda: report_send(job_id=job.pk))
    return job


def report_send(*, job_id: int) -> bool:
    """Queue the job's task; if the broker is down, leave it for the sweeper."""
    from reports.tasks import run_report_job

    try:
        run_report_job.delay(job_id)
    except Exception as error:
        # Whatever the broker (or, in-process, the run) raised: never the
        # request's problem. The job row is the record the sweeper works from.
        logger.warning("Report job %s left for the sweeper: %r", job_id, error)
        return False
    ReportJob.objects.filter(pk=job_id).update(sent_at=timezone.now())
    return True


def _claim(job_id: int) -> ReportJob | None:
    """Mark the job running (again, after a lost worker); None if finished."""
    claimed = ReportJob.objects.filter(
        pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    return ReportJob.objects.get(pk=job_id) if claimed else None


def _progress(job_id: int):
    def record(percent: int) -> None:
        ReportJob.objects.filter(pk=job_id).update(
            progress=max(0, min(percent, 99)), heartbeat_at=timezone.now()
        )

    return record


def _beat(job_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(_lease().total_seconds() / 3):
            try:
                ReportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
            except Exception:
                logger.warning("Report job %s: heartbeat not recorded", job_id)
    finally:
        connection.close()


@contextmanager
def _heartbeat(job_id: int):
    """Renew the job's lease while it runs, however long one step takes."""
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(job_id, stop), daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()


def report_job_run(*, job_id: int) -> int | None:
    """
    Build the job's file and store it. Safe to run twice: one file, one done
    job. Returns the attempt number when the job failed and should be retried.
    """
    job = _claim(job_id)
    if job is None:
        return None
    kind = get_kind(job.kind)
    try:
        with _heartbeat(job.pk):
            rendered = kind.builder(job, _progress(job.pk))
            # A storage that refuses the file fails the attempt like a crash
            # does: retried, then failed with a clear error, never done.
            _store(job=job, rendered=rendered)
    except Exception:
        logger.exception("Report job %s failed on attempt %s", job.pk, job.attempts)
        return (
            job.attempts
            if _after_failure(job=job, max_attempts=kind.max_attempts)
            else None
        )
    return None


def _store(*, job: ReportJob, rendered) -> None:
    extension = (
        "." + rendered.filename.rsplit(".", 1)[-1] if "." in rendered.filename else ""
    )
    # One name per job, so a second run replaces rather than adds a file.
    name = f"reports/job-{job.pk}{extension}"
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(rendered.content))
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.DONE,
        progress=100,
        file=stored,
        filename=rendered.filename,
        content_type=rendered.content_type,
        size=len(rendered.content),
        sha256=hashlib.sha256(rendered.content).hexdigest(),
        error="",
        finished_at=timezone.now(),
    )


def _after_failure(*, job: ReportJob, max_attempts: int) -> bool:
    """Queue the job again if it has attempts left (True), else fail it."""
    if job.attempts >= max_attempts:
        ReportJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED,
            error=_("The report could not be made. Try again, or contact support."),
            finished_at=timezone.now(),
        )
        return False
    # sent_at now: the task's own retry is on its way, so the sweeper waits.
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.QUEUED, sent_at=timezone.now()
    )
    return True


def report_jobs_sweep() -> dict:
    """
    Send queued jobs again, rescue or fail jobs whose worker died (their
    heartbeat stopped) or that ran past the time limit, and send the tasks
    that other writes left unsent.
    """
    now = timezone.now()
    stale = Q(sent_at__isnull=True) | Q(sent_at__lt=now - RESEND_AFTER)
    queued = list(
        ReportJob.objects.filter(stale, status=Status.QUEUED).values_list(
            "pk", flat=True
        )
    )
    lost = Q(heartbeat_at__lt=now - _lease()) | Q(
        heartbeat_at__isnull=True, started_at__lt=now - _lease()
    )
    stuck = ReportJob.objects.filter(
        lost | Q(started_at__lt=now - _stuck_after()), status=Status.RUNNING
    )
    requeued = [
        job.pk
        for job in stuck
        if _after_failure(job=job, max_attempts=get_kind(job.kind).max_attempts)
    ]
    resent = 0
    for pk in [*queued, *requeued]:
        if not report_send(job_id=pk):
            break  # the broker is not answering: the rest wait for the next sweep
        resent += 1
    return {"resent": resent, "stuck": len(stuck), "tasks": pending_tasks_resend()}


@transaction.atomic
def report_job_retry(*, job: ReportJob, by, request=None) -> None:
    """Start a failed job, or one whose file was deleted, again from the start."""
    again = Q(status=Status.FAILED) | Q(
        status=Status.DONE, file="", file_deleted_at__isnull=False
    )
    # Asked for again now: the job says so, and comes first in Your reports.
    ReportJob.objects.filter(again, pk=job.pk).update(
        status=Status.QUEUED,
        attempts=0,
        error="",
        progress=0,
        created_at=timezone.now(),
        sent_at=None,
        started_at=None,
        finished_at=None,
        file_deleted_at=None,
    )
    audit_record(action=Action.REPORT_REQUESTED, request=request, actor=by, target=job)
    transaction.on_commit(lambda: report_send(job_id=job.pk))


def _expired_jobs(*, now) -> QuerySet[ReportJob]:
    cutoff = now - timedelta(days=settings.REPORT_FILE_RETENTION_DAYS)
    due = ReportJob.objects.filter(status=Status.DONE, finished_at__lt=cutoff).exclude(
        file=""
    )
    for kind in KINDS.values():
        if kind.kept_jobs is not None:
            due = due.exclude(kind=kind.name, pk__in=kind.kept_jobs())
    return due


def report_files_expire(*, now=None) -> dict:
    """
    Delete the stored files of done jobs finished more than the retention
    period ago, except those their kind keeps (published reports); record the
    deletion on each job and audit the run. Safe to run twice.
    """
    now = now or timezone.now()
    deleted = failed = 0
    for pk, name in _expired_jobs(now=now).values_list("pk", "file"):
        try:
            default_storage.delete(name)
        except Exception:
            # Storage refusing or unreachable: this file waits for the next run.
            logger.exception("Report job %s: file not deleted", pk)
            failed += 1
            continue
        # Each row right after its file, so a run cut short leaves no job
        # pointing at a deleted file (a storage call costs more than a query).
        deleted += ReportJob.objects.filter(pk=pk, file=name).update(
            file="", file_deleted_at=now
        )
    audit_record(
        action=Action.REPORT_FILES_DELETED,
        outcome=Outcome.FAILED if failed else Outcome.OK,
        details={
            "files_deleted": deleted,
            "not_deleted": failed,
            "days": settings.REPORT_FILE_RETENTION_DAYS,
        },
    )
    return {"deleted": deleted, "failed": failed}

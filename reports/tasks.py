from celery import shared_task

from reports import services


@shared_task(name="reports.run_job", bind=True, max_retries=5)
def run_report_job(self, job_id: int) -> None:
    """Make one report; on failure, try again after a growing pause."""
    attempt = services.report_job_run(job_id=job_id)
    if attempt is None:
        return
    if self.request.is_eager:
        # In-process (no broker): nothing to wait on, so try again now.
        run_report_job(job_id)
    else:
        self.retry(countdown=2**attempt, throw=False)


@shared_task(name="reports.sweep")
def sweep_report_jobs() -> dict:
    return services.report_jobs_sweep()


@shared_task(name="reports.expire_files")
def expire_report_files() -> dict:
    """Delete report files past their retention period (daily)."""
    return services.report_files_expire()

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from reports.kinds import KINDS
from reports.models import ReportJob


def get_job_for_user(user, pk: int, *, write: bool = False) -> ReportJob:
    """A report job its kind lets this user have; 404 for anyone else."""
    job = ReportJob.objects.select_related("requested_by").filter(pk=pk).first()
    kind = KINDS.get(job.kind) if job else None
    if kind is None or not kind.can_download(user, job):
        raise Http404
    if write and not can_change_job(user, job):
        raise PermissionDenied
    return job


def can_change_job(user, job: ReportJob) -> bool:
    """Who may start a job again: its requester and administrators."""
    return job.requested_by_id == user.pk or user.has_role(Role.ADMIN)

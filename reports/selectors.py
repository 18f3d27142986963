from django.db.models import QuerySet

from reports.models import ReportJob


def jobs_requested_by(*, user) -> QuerySet[ReportJob]:
    return ReportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")

"""Making, approving and publishing the annual report."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record, client_ip
from accounts.models import AuditEvent
from insights.exports import crn_for
from insights.models import AnnualReport
from insights.selectors import current_year
from reports.models import ReportJob
from reports.services import report_request

Action = AuditEvent.Action
Status = AnnualReport.Status


class AlreadyDone(Exception):
    """The report is already in the state asked for (a repeated click)."""


def _check_year(year: int) -> None:
    if not 2000 <= year <= current_year():
        raise ValidationError({"year": _("Choose a reporting year from the list")})


@transaction.atomic
def annual_report_request(*, year: int, by, request=None) -> AnnualReport:
    """A new version of the year's report: its figures are counted and its
    PDF made by a report job, which records its progress as it goes."""
    _check_year(year)
    # Locked so that two requests at once get versions 1 and 2.
    list(AnnualReport.objects.select_for_update().filter(year=year))
    version = (
        AnnualReport.objects.filter(year=year).aggregate(n=Max("version"))["n"] or 0
    ) + 1
    job = report_request(
        kind="annual_report",
        params={"year": year, "version": version},
        requested_by=by,
        request=request,
    )
    report = AnnualReport.objects.create(
        year=year, version=version, job=job, requested_by=by
    )
    audit_record(
        action=Action.ANNUAL_REPORT_REQUESTED,
        request=request,
        actor=by,
        target=report,
        details={"year": year, "version": version},
    )
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update().select_related("job").get(pk=report.pk)
    )


@transaction.atomic
def annual_report_approve(*, report: AnnualReport, by, request=None) -> None:
    """Approve a made version after reading its figures."""
    report = _locked(report)
    if report.status in (Status.APPROVED, Status.PUBLISHED):
        raise AlreadyDone
    if report.status != Status.DRAFT or report.job.status != ReportJob.Status.DONE:
        raise PermissionDenied
    report.status = Status.APPROVED
    report.approved_by, report.approved_at = by, timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        action=Action.ANNUAL_REPORT_APPROVED,
        request=request,
        actor=by,
        target=report,
        details={"year": report.year, "version": report.version},
    )


@transaction.atomic
def annual_report_publish(*, report: AnnualReport, by, request=None) -> None:
    """Publish an approved version on the public page; a version published
    before for the same year is replaced."""
    report = _locked(report)
    if report.status == Status.PUBLISHED:
        raise AlreadyDone
    if report.status != Status.APPROVED:
        raise PermissionDenied
    AnnualReport.objects.filter(year=report.year, status=Status.PUBLISHED).update(
        status=Status.REPLACED
    )
    report.status = Status.PUBLISHED
    report.published_by, report.published_at = by, timezone.now()
    report.save(update_fields=["status", "published_by", "published_at"])
    audit_record(
        action=Action.ANNUAL_REPORT_PUBLISHED,
        request=request,
        actor=by,
        target=report,
        details={"year": report.year, "version": report.version},
    )


def export_request(
    *, export, filters: dict, by, request=None, summary: str = ""
) -> ReportJob:
    """Ask for an export as a report job. Whether it shows CRNs is settled by
    the requester's roles now; the address is kept for the export's audit."""
    return report_request(
        kind=export.kind,
        params={
            "filters": filters,
            "summary": summary,
            "crn": crn_for(by),
            "ip": client_ip(request),
        },
        requested_by=by,
        request=request,
    )

"""Catalogue entries for the annual report, dashboard and export pages."""

from accounts.roles import Role
from insights import tables as figure_tables
from insights.models import AnnualReport
from insights.reports import make_tables
from reports.models import ReportJob
from tests.insights.factories import build_year


def no_args(users):
    return {}


def _made(users, status) -> AnnualReport:
    """A report version with its figures, made without drawing the PDF."""
    if not AnnualReport.objects.filter(year=2024).exists():
        build_year(users)
    lead = users[Role.LEAD_INSPECTOR]
    job = ReportJob.objects.create(
        kind="annual_report",
        requested_by=lead,
        status=ReportJob.Status.DONE,
        progress=100,
        file="annual-report-test.pdf",
        filename="annual-report.pdf",
        content_type="application/pdf",
        size=1234,
    )
    return AnnualReport.objects.create(
        year=2024,
        version=AnnualReport.objects.filter(year=2024).count() + 1,
        job=job,
        requested_by=lead,
        tables=figure_tables.to_json(make_tables(2024)),
        status=status,
        published_by=lead,
    )


def a_made_report(users):
    return {"pk": _made(users, AnnualReport.Status.DRAFT).pk}


def a_published_year(users):
    report = _made(users, AnnualReport.Status.PUBLISHED)
    from django.utils import timezone

    AnnualReport.objects.filter(pk=report.pk).update(published_at=timezone.now())
    return {"year": 2024}


PAGES = [
    (Role.LEAD_INSPECTOR, "insights:annual_report", no_args),
    (Role.LEAD_INSPECTOR, "insights:annual_report_detail", a_made_report),
    (Role.LEAD_INSPECTOR, "insights:dashboard", no_args),
    (Role.LEAD_INSPECTOR, "insights:export_list", no_args),
    (Role.ADMIN, "insights:export_list", no_args),
    (None, "publications:publication_list", no_args),
    (None, "publications:publication_detail", a_published_year),
]

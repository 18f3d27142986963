"""The annual report's PDF and data pack: the same figures, through the
report pipeline and from the command line."""

import openpyxl
import pytest
from django.core.management import call_command

from accounts import demo as accounts_demo
from insights import services
from insights.demo import seed_annual_report_years
from insights.models import AnnualReport
from reports.models import ReportJob
from tests.insights.factories import build_year
from tests.sfoqa.test_pdf import pdftotext

pytestmark = pytest.mark.django_db

OVERALL_2024 = [
    ("Rating", "Reviews", "Percent"),
    ("Outstanding", 1, 14.3),
    ("Good", 3, 42.9),
    ("Requires improvement", 3, 42.8),
    ("Inadequate", 0, 0),
    ("Total", 7, 100),
]


def sheet_rows(path, name):
    workbook = openpyxl.load_workbook(path)
    return list(workbook[name].iter_rows(values_only=True))


def test_command_writes_the_data_pack_csv_and_pdf(users, tmp_path):
    build_year(users)
    pack, csv, pdf = tmp_path / "pack.xlsx", tmp_path / "all.csv", tmp_path / "r.pdf"
    call_command(
        "annual_report", "2024", data_pack=str(pack), csv=str(csv), pdf=str(pdf)
    )
    assert sheet_rows(pack, "Overall ratings") == OVERALL_2024
    assert "Timeliness" in openpyxl.load_workbook(pack).sheetnames
    header, *themes = sheet_rows(pack, "Themes")
    columns = [header.index(name) for name in ("Theme", "Consultation responses")]
    assert [tuple(row[i] for i in columns) for row in themes] == [
        ("Risk assessment", 2),
        ("Management oversight", 0),
        ("Partnership working", 1),
    ]
    assert sheet_rows(pack, "Top ten themes")[1:] == [
        ("Risk assessment", 4),
        ("Management oversight", 2),
        ("Partnership working", 2),
    ]
    assert "Overall ratings,Requires improvement,Percent,42.8" in csv.read_text(
        encoding="utf-8-sig"
    )
    text = pdftotext(pdf.read_bytes(), tmp_path)
    assert "annual report 2024 to 2025" in text
    assert "How the figures are counted" in text
    # The themes table, whose narrow header cells may wrap.
    assert "Consultation responses" in " ".join(text.split())
    assert "42.8" in text


def test_requested_report_is_made_by_a_job_with_progress_then_approved_and_published(
    users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    build_year(users)
    lead = users["lead_inspector"]
    with django_capture_on_commit_callbacks(execute=True):
        report = services.annual_report_request(year=2024, by=lead)
    report.refresh_from_db()
    report.job.refresh_from_db()
    assert report.job.status == ReportJob.Status.DONE
    assert report.job.progress == 100
    overall = next(t for t in report.tables if t["title"] == "Overall ratings")
    assert overall["rows"][2] == ["Requires improvement", 3, 42.8]
    services.annual_report_approve(report=report, by=lead)
    services.annual_report_publish(report=report, by=lead)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
    # A second version replaces the first on the public page.
    with django_capture_on_commit_callbacks(execute=True):
        second = services.annual_report_request(year=2024, by=lead)
    services.annual_report_approve(report=second, by=lead)
    services.annual_report_publish(report=second, by=lead)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.REPLACED
    assert second.version == 2


def test_a_report_cannot_be_approved_before_it_is_made(users):
    lead = users["lead_inspector"]
    report = services.annual_report_request(year=2024, by=lead)
    with pytest.raises(services.PermissionDenied):
        services.annual_report_approve(report=report, by=lead)
    with pytest.raises(services.PermissionDenied):
        services.annual_report_publish(report=report, by=lead)


def test_demo_year_data_pack_shows_the_fourth_reports_ratings(reference_data, tmp_path):
    accounts_demo.seed_users()
    seed_annual_report_years()
    from insights.demo import demo_years

    last, before = demo_years()
    pack = tmp_path / "pack.xlsx"
    call_command("annual_report", str(last), data_pack=str(pack))
    rows = sheet_rows(pack, "Overall ratings")
    assert [row[1] for row in rows[1:]] == [1, 41, 48, 0, 90]
    call_command("annual_report", str(before), data_pack=str(pack))
    rows = sheet_rows(pack, "Overall ratings")
    assert rows[-1][1] == 87
    assert (rows[2][2], rows[3][2]) == (46.0, 51.7)
    # Seeding again adds nothing.
    assert seed_annual_report_years() == 177

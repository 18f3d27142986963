"""The annual report's pages, the public publications, the QA dashboard and
the Exports page."""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from insights import services
from insights.models import AnnualReport
from insights.selectors import current_year
from insights.tables import dashboard_tables
from tests.insights.factories import build_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def made_report(users, django_capture_on_commit_callbacks, run_tasks_in_process):
    build_year(users)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.annual_report_request(
            year=2024, by=users[Role.LEAD_INSPECTOR]
        )
    report.refresh_from_db()
    return report


def test_a_lead_makes_reads_approves_and_publishes_the_report(
    users,
    lead_inspector_client,
    client,
    django_capture_on_commit_callbacks,
    run_tasks_in_process,
):
    build_year(users)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_inspector_client.post(
            reverse("insights:annual_report"), {"year": "2024"}
        )
    report = AnnualReport.objects.get()
    assert response.url == reverse("insights:annual_report_detail", args=[report.pk])
    page = lead_inspector_client.get(response.url).content.decode()
    assert "42.8" in page and "Approve the report" in page
    assert "Consultation responses" in page
    # Not public until published.
    assert (
        client.get(reverse("publications:publication_detail", args=[2024])).status_code
        == 404
    )
    lead_inspector_client.post(
        reverse("insights:annual_report_approve", args=[report.pk])
    )
    lead_inspector_client.post(
        reverse("insights:annual_report_publish", args=[report.pk])
    )
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
    listing = client.get(reverse("publications:publication_list")).content.decode()
    assert "Annual report 2024 to 2025" in listing
    html = client.get(reverse("publications:publication_detail", args=[2024]))
    assert "Requires improvement" in html.content.decode()
    pdf = client.get(reverse("publications:publication_pdf", args=[2024]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    pack = client.get(reverse("publications:publication_data", args=["2024", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(pack.content))["Overall ratings"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        1,
        3,
        3,
        0,
        7,
    ]


def test_the_public_page_lists_only_published_reports(made_report, client):
    listing = client.get(reverse("publications:publication_list"))
    assert listing.status_code == 200
    assert "No annual report has been published yet" in listing.content.decode()
    assert (
        client.get(reverse("publications:publication_pdf", args=[2024])).status_code
        == 404
    )
    data = reverse("publications:publication_data", args=[2024, "csv"])
    assert client.get(data).status_code == 404


@pytest.mark.parametrize("name", ["insights:annual_report", "insights:dashboard"])
def test_only_leads_reach_the_report_and_dashboard(name, client_for, client):
    for role in (Role.INSPECTOR, Role.HMPPS_SFO, Role.ADMIN, Role.PANEL_MEMBER):
        assert client_for(role).get(reverse(name)).status_code == 403
    assert client.get(reverse(name)).status_code == 302  # to sign in
    assert client_for(Role.LEAD_INSPECTOR).get(reverse(name)).status_code == 200


def test_a_draft_report_is_for_leads_only(made_report, client_for):
    detail = reverse("insights:annual_report_detail", args=[made_report.pk])
    data = reverse("insights:annual_report_data", args=[made_report.pk, "xlsx"])
    for role in (Role.INSPECTOR, Role.HMPPS_SFO, Role.ADMIN):
        assert client_for(role).get(detail).status_code == 403
        assert client_for(role).get(data).status_code == 403


def test_the_dashboard_agrees_with_the_data_pack(made_report, lead_inspector_client):
    # The dashboard counts this year with the annual report's selectors: the
    # 2024 figures it would show equal the report's stored table.
    stored = next(t for t in made_report.tables if t["title"] == "Overall ratings")
    live = dashboard_tables(2024)[0]
    assert [list(row) for row in live.rows] == stored["rows"]
    page = lead_inspector_client.get(reverse("insights:dashboard"))
    assert page.status_code == 200
    assert "By quarter" in page.content.decode()
    filtered = lead_inspector_client.get(
        reverse("insights:dashboard"), {"region": "london"}
    )
    assert "Showing London" in filtered.content.decode()


def test_the_dashboard_counts_this_year_by_quarter(users):
    from insights.demo import RatedCase, create_rated
    from tests.insights.factories import G, uk

    year = current_year()
    create_rated(
        [
            RatedCase(overall=G, published_at=uk(year, 5, 1, 9)),
            RatedCase(overall=G, published_at=uk(year, 11, 1, 9)),
        ],
        inspector=users[Role.INSPECTOR],
        lead=users[Role.LEAD_INSPECTOR],
        prefix="DQ-",
    )
    quarters = dashboard_tables(year)[1]
    assert [row[2] for row in quarters.rows] == [1, 0, 1, 0]  # Good column


def test_exports_page_lists_each_roles_exports(lead_inspector_client, admin_client):
    lead = lead_inspector_client.get(reverse("insights:export_list")).content.decode()
    assert "Assessments" in lead and "Audit log" not in lead
    admin = admin_client.get(reverse("insights:export_list")).content.decode()
    assert "Audit log" in admin and "Benchmarking ratings" not in admin


@pytest.mark.django_db
def test_the_footer_links_the_public_to_the_publications(client):
    page = client.get(reverse("consultations:list"))
    assert f'href="{reverse("publications:publication_list")}"' in page.content.decode()

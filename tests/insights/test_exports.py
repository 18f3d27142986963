"""The Exports page's exports: each one a report job with progress, audited
with its filters and row count, CRNs for Inspectorate staff only."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from insights import exports
from insights.forms import SampleRoundChoiceForm
from reports.models import ReportJob
from reviews import services as review_services
from reviews.models import Review
from tests.conftest import sign_in
from tests.consultations.factories import ConsultationFactory, ResponseFactory
from tests.factories import AuditEventFactory
from tests.insights.factories import RI, G, build_year, uk
from tests.panels.factories import add_action, add_learning, make_panel
from tests.reviews.factories import ReviewFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_tasks_in_process")]


def _request(client, name, data=None, *, capture):
    with capture(execute=True):
        response = client.post(
            reverse("insights:export_request", args=[name]), data or {}
        )
    assert response.status_code == 302
    job = ReportJob.objects.get(kind=exports.get_export(name).kind)
    assert response.url == reverse("reports:job_detail", args=[job.pk])
    return job


def _workbook(client, job):
    response = client.get(reverse("reports:job_download", args=[job.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response)))


def _rows(workbook, sheet):
    return list(workbook[sheet].iter_rows(values_only=True))


def _export_event():
    return AuditEvent.objects.get(action=AuditEvent.Action.DATA_EXPORTED)


def test_assessments_export_is_a_job_whose_file_is_audited_with_its_row_count(
    users, lead_inspector_client, django_capture_on_commit_callbacks
):
    build_year(users)
    job = _request(
        lead_inspector_client,
        "assessments",
        capture=django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert (job.status, job.progress) == (ReportJob.Status.DONE, 100)
    assert job.params["crn"] is True
    page = lead_inspector_client.get(reverse("reports:job_detail", args=[job.pk]))
    assert "Download the report" in page.content.decode()
    workbook = _workbook(lead_inspector_client, job)
    rows = _rows(workbook, "Assessments")
    assert rows[0][:4] == ("HMPPS reference", "CRN", "Region", "Inspector")
    assert len(rows) == 1 + 9
    first = Review.objects.get(hmpps_reference=rows[1][0])
    assert rows[1][1] == first.crn
    findings = _rows(workbook, "Findings")
    assert findings[0][3] == "Themes"
    event = _export_event()
    assert event.actor == users[Role.LEAD_INSPECTOR]
    assert event.details == {
        "export": "assessments",
        "filters": [],
        "rows": 9 + len(findings) - 1,
        "crn": True,
    }


def test_a_requester_who_was_not_inspectorate_staff_gets_no_crns(
    users, make_user, django_capture_on_commit_callbacks
):
    build_year(users)
    outsider = make_user(Role.HMPPS_SFO)
    export = exports.get_export("assessments")
    with django_capture_on_commit_callbacks(execute=True):
        from insights import services

        job = services.export_request(export=export, filters={}, by=outsider)
    job.refresh_from_db()
    assert job.params["crn"] is False
    assert job.status == ReportJob.Status.DONE
    workbook = openpyxl.load_workbook(job_file(job))
    header = _rows(workbook, "Assessments")[0]
    assert "CRN" not in header and header[:2] == ("HMPPS reference", "Region")
    crns = set(Review.objects.values_list("crn", flat=True))
    cells = {c for row in _rows(workbook, "Assessments") for c in row}
    assert not crns & cells
    assert _export_event().details["crn"] is False


def job_file(job):
    from django.core.files.storage import default_storage

    with default_storage.open(job.file) as stored:
        return io.BytesIO(stored.read())


def test_only_the_requester_downloads_an_export_and_only_while_allowed(
    users, make_user, client_for, django_capture_on_commit_callbacks
):
    build_year(users)
    lead = client_for(Role.LEAD_INSPECTOR)
    job = _request(lead, "assessments", capture=django_capture_on_commit_callbacks)
    url = reverse("reports:job_download", args=[job.pk])
    assert sign_in(Client(), make_user(Role.LEAD_INSPECTOR)).get(url).status_code == 404
    # An administrator may have others' reports, but not a lead's assessments.
    assert client_for(Role.ADMIN).get(url).status_code == 404
    assert client_for(Role.INSPECTOR).get(url).status_code == 404
    assert lead.get(url).status_code == 200
    # A requester who has since lost the role the export needs: refused.
    requester = users[Role.LEAD_INSPECTOR]
    requester.groups.set(make_user(Role.INSPECTOR).groups.all())
    requester = type(requester).objects.get(pk=requester.pk)
    assert not exports.can_download(exports.get_export("assessments"), requester, job)


def test_a_crn_export_is_refused_to_a_downloader_no_longer_inspectorate():
    export = exports.get_export("assessments")

    class Someone:
        pk = 1
        roles = {Role.LEAD_INSPECTOR, Role.HMPPS_SFO}

        def has_role(self, role):
            return role in self.roles

    job = ReportJob(kind=export.kind, requested_by_id=1, params={"crn": True})
    assert exports.can_download(export, Someone(), job)
    Someone.roles = {Role.HMPPS_SFO}
    assert not exports.can_download(export, Someone(), job)


def test_other_roles_cannot_ask_for_an_export(client_for):
    for role, name in [
        (Role.ADMIN, "assessments"),
        (Role.LEAD_INSPECTOR, "audit-log"),
        (Role.LEAD_INSPECTOR, "reviews"),  # made by its own app, not a job
    ]:
        url = reverse("insights:export_request", args=[name])
        assert client_for(role).post(url).status_code in (403, 404)
    assert not ReportJob.objects.exists()


def test_the_builder_records_progress_as_it_writes_rows(users, monkeypatch):
    build_year(users)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    job = ReportJob.objects.create(
        kind="export_assessments",
        requested_by=users[Role.LEAD_INSPECTOR],
        params={"crn": True},
    )
    seen = []
    exports.export_build(exports.get_export("assessments"), job, seen.append)
    assert len(seen) > 3
    assert seen == sorted(seen) and 0 < seen[0] < 50 and seen[-1] == 100


def _queries(users, name, filters=None):
    """Queries made by the builder (after one run that fills the caches)."""
    export = exports.get_export(name)
    job = ReportJob.objects.create(
        kind=exports.get_export(name).kind,
        requested_by=users[Role.LEAD_INSPECTOR],
        params={"crn": True, "filters": filters or {}},
    )
    exports.export_build(export, job, lambda n: None)
    with CaptureQueriesContext(connection) as queries:
        exports.export_build(export, job, lambda n: None)
    return len(queries)


def _more_rated(users, prefix, count):
    from insights.demo import RatedCase, create_rated
    from ratings.models import Finding

    cases = [
        RatedCase(
            overall=G if n % 2 else RI,
            published_at=uk(2024, 5, 1 + n, 10),
            standards=(2, 2, 1, 2),
            findings=[(Finding.Kind.POOR_PRACTICE, ["risk-assessment"], "yes")],
        )
        for n in range(count)
    ]
    create_rated(
        cases,
        inspector=users[Role.INSPECTOR],
        lead=users[Role.LEAD_INSPECTOR],
        prefix=prefix,
    )


def test_assessments_builder_queries_do_not_grow_with_rows(users):
    _more_rated(users, "Q1-", 3)
    few = _queries(users, "assessments")
    _more_rated(users, "Q2-", 6)
    assert _queries(users, "assessments") == few


def test_panel_builder_queries_do_not_grow_with_rows(users):
    lead = users[Role.LEAD_INSPECTOR]
    panel = make_panel(lead)
    item = add_learning(panel, lead)
    add_action(panel, lead, item=item)
    few = _queries(users, "panel-actions")
    for _n in range(3):
        more = add_learning(panel, lead)
        add_action(panel, lead, item=more)
    assert _queries(users, "panel-actions") == few


def test_audit_log_builder_queries_do_not_grow_with_rows(users):
    AuditEventFactory.create_batch(3, actor=users[Role.ADMIN])
    few = _queries(users, "audit-log")
    AuditEventFactory.create_batch(6, actor=users[Role.ADMIN])
    assert _queries(users, "audit-log") == few


def _sample_round(users, reviews=4):
    lead = users[Role.LEAD_INSPECTOR]
    for _n in range(reviews):
        ReviewFactory(received_on=datetime.date(2024, 6, 1))
    sample_round = review_services.sample_round_draw(
        by=lead,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        target_percent=100,
        seed=7,
    )
    return review_services.sample_round_confirm(by=lead, sample_round=sample_round)


def test_sample_round_export_lists_the_sampled_reviews(
    users, lead_inspector_client, django_capture_on_commit_callbacks
):
    sample_round = _sample_round(users)
    sampled = sample_round.entries.select_related("review").first().review
    review_services.review_allocate(
        by=users[Role.LEAD_INSPECTOR],
        review=sampled,
        inspector=users[Role.INSPECTOR],
        due_date=datetime.date(2025, 6, 1),
    )
    job = _request(
        lead_inspector_client,
        "sample-rounds",
        {"round": sample_round.pk},
        capture=django_capture_on_commit_callbacks,
    )
    workbook = _workbook(lead_inspector_client, job)
    assert workbook.sheetnames == ["Strata", "Sampled reviews"]
    rows = _rows(workbook, "Sampled reviews")
    assert rows[0] == (
        "HMPPS reference",
        "CRN",
        "Region",
        "Stratum",
        "How it was sampled",
        "Sampled (UK time)",
        "Allocated inspector",
        "QA status",
    )
    assert len(rows) == 1 + 4
    by_reference = {row[0]: row for row in rows[1:]}
    row = by_reference[sampled.hmpps_reference]
    assert row[1] == sampled.crn
    assert row[2] == sampled.region.name
    assert row[3].startswith(sampled.region.name + " / ")
    assert row[4] == "Drawn at random"
    assert isinstance(row[5], datetime.datetime)
    assert row[6] == users[Role.INSPECTOR].full_name
    assert row[7] == "Allocated"
    assert _export_event().details["filters"] == ["round"]
    assert _export_event().details["rows"] == len(_rows(workbook, "Strata")) - 1 + 4
    # The job says which round it is, on its page and in Your reports.
    label = SampleRoundChoiceForm.round_label(sample_round)
    assert job.params["summary"] == f"Sample round: {label}"
    for url in (
        reverse("reports:job_detail", args=[job.pk]),
        reverse("reports:job_list"),
    ):
        assert label in lead_inspector_client.get(url).content.decode()


def test_sample_round_page_offers_the_export_with_its_sampled_reviews(
    users, lead_inspector_client
):
    sample_round = _sample_round(users, reviews=1)
    page = lead_inspector_client.get(
        reverse("reviews:sample_round", args=[sample_round.pk])
    ).content.decode()
    assert reverse("insights:export_request", args=["sample-rounds"]) in page
    assert f'name="round" value="{sample_round.pk}"' in page


def test_sample_round_builder_queries_do_not_grow_with_rows(users):
    small = _sample_round(users, reviews=2)
    few = _queries(users, "sample-rounds", {"round": str(small.pk)})
    large = _sample_round(users, reviews=6)
    assert _queries(users, "sample-rounds", {"round": str(large.pk)}) == few


def test_consultation_responses_export_for_an_administrator(
    admin_client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    ResponseFactory.create_batch(3, consultation=consultation)
    job = _request(
        admin_client,
        "consultation-responses",
        {"consultation": consultation.pk},
        capture=django_capture_on_commit_callbacks,
    )
    rows = _rows(_workbook(admin_client, job), "Responses")
    assert rows[0][0] == "Reference" and len(rows) == 1 + 3
    assert _export_event().details["rows"] == 3


def test_audit_log_export_keeps_the_audit_pages_filters(
    users, admin_client, django_capture_on_commit_callbacks
):
    AuditEventFactory(actor=users[Role.INSPECTOR])
    AuditEventFactory(actor=users[Role.LEAD_INSPECTOR])
    email = users[Role.INSPECTOR].email
    page = admin_client.get(reverse("accounts:audit_log"), {"actor": email})
    assert f'name="actor" value="{email}"' in page.content.decode()
    job = _request(
        admin_client,
        "audit-log",
        {"actor": email},
        capture=django_capture_on_commit_callbacks,
    )
    rows = _rows(_workbook(admin_client, job), "Audit log")
    assert rows[0][0] == "When (UTC)"
    assert {row[1] for row in rows[1:]} == {email}
    assert _export_event().details["filters"] == ["actor"]


def test_exports_page_has_a_button_for_each_job_export(users, lead_inspector_client):
    _sample_round(users)
    ConsultationFactory()
    page = lead_inspector_client.get(reverse("insights:export_list")).content.decode()
    for name in (
        "assessments",
        "sample-rounds",
        "benchmarking",
        "panel-actions",
        "consultation-responses",
    ):
        assert f'action="{reverse("insights:export_request", args=[name])}"' in page
    # The review list exports what its filters show: the link opens the list.
    assert f'href="{reverse("reviews:list")}"' in page
    assert f'href="{reverse("reviews:export")}"' not in page


def test_an_export_with_nothing_to_choose_says_so_instead_of_a_button(
    lead_inspector_client,
):
    page = lead_inspector_client.get(reverse("insights:export_list")).content.decode()
    assert "There are no sample rounds to export yet." in page
    assert "There are no consultations to export yet." in page
    for name in ("sample-rounds", "consultation-responses"):
        assert f'action="{reverse("insights:export_request", args=[name])}"' not in page


def test_a_choice_that_is_not_offered_shows_the_page_again_with_the_error(
    lead_inspector_client,
):
    ConsultationFactory()
    response = lead_inspector_client.post(
        reverse("insights:export_request", args=["consultation-responses"]),
        {"consultation": "999999"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "<title>Error: Exports" in page
    assert "The consultation you chose is not there any more" in page
    assert 'href="#id_consultation-responses-consultation"' in page
    assert "govuk-form-group--error" in page
    assert not ReportJob.objects.exists()

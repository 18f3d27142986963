"""Responses for staff: recording emailed and posted ones, themes, filters,
exports and publishing the response."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from accounts.roles import Role
from consultations.models import Response, Status, Theme
from tests.conftest import SIGNED_IN_QUERIES
from tests.consultations.factories import (
    AudienceFactory,
    ConsultationFactory,
    DocumentFactory,
    QuestionFactory,
    ResponseFactory,
)

Action = AuditEvent.Action
LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    now = timezone.now()
    return ConsultationFactory(
        opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=2)
    )


def test_admin_records_an_emailed_response_with_its_themes(admin_client, closed):
    youth = AudienceFactory(consultation=closed, name="youth")
    theme = Theme.objects.create(consultation=closed, name="Workload")
    today = timezone.localdate() - timedelta(days=10)
    response = admin_client.post(
        reverse("consultations:response_record", kwargs={"pk": closed.pk}),
        {
            "channel": "email",
            "received_on_0": today.day,
            "received_on_1": today.month,
            "received_on_2": today.year,
            "audience": youth.pk,
            "name": "Pat Partner",
            "organisation": "A charity",
            "email": "",
            "text": "We support the proposals.",
            "themes": [theme.pk],
        },
    )
    assert response.status_code == 302
    recorded = Response.objects.get()
    assert recorded.channel == "email"
    assert recorded.audience == youth
    assert list(recorded.themes.all()) == [theme]
    assert recorded.recorded_by.has_role(Role.ADMIN)
    event = AuditEvent.objects.get(action=Action.CONSULTATION_RESPONSE_RECORDED)
    assert event.details == {"consultation": closed.pk, "channel": "email"}


def test_a_response_cannot_be_recorded_as_received_in_the_future(admin_client, closed):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = admin_client.post(
        reverse("consultations:response_record", kwargs={"pk": closed.pk}),
        {
            "channel": "post",
            "received_on_0": tomorrow.day,
            "received_on_1": tomorrow.month,
            "received_on_2": tomorrow.year,
        },
    )
    assert "must be today or in the past" in response.content.decode()
    assert not Response.objects.exists()


def test_lead_inspectors_may_read_a_response_but_not_change_its_themes(
    lead_inspector_client, closed
):
    theme = Theme.objects.create(consultation=closed, name="Workload")
    answer = ResponseFactory(consultation=closed, name="Pat Partner")
    url = reverse("consultations:response_detail", kwargs={"pk": answer.pk})
    assert "Pat Partner" in lead_inspector_client.get(url).content.decode()
    refused = lead_inspector_client.post(url, {"themes": [theme.pk]})
    assert refused.status_code == 403
    assert not answer.themes.exists()


def test_admin_tags_a_response_with_themes(admin_client, closed):
    theme = Theme.objects.create(consultation=closed, name="Workload")
    other = Theme.objects.create(
        consultation=ConsultationFactory(), name="Someone else's theme"
    )
    answer = ResponseFactory(consultation=closed)
    url = reverse("consultations:response_detail", kwargs={"pk": answer.pk})
    admin_client.post(url, {"themes": [theme.pk, other.pk]})
    # A theme of another consultation is not a choice: the form refuses it.
    assert not answer.themes.exists()
    admin_client.post(url, {"themes": [theme.pk]})
    assert list(answer.themes.all()) == [theme]


def test_a_missing_response_is_not_found(admin_client):
    url = reverse("consultations:response_detail", kwargs={"pk": 999_999})
    assert admin_client.get(url).status_code == 404


def test_admin_adds_themes_once_each(admin_client, closed):
    url = reverse("consultations:theme_list", kwargs={"pk": closed.pk})
    admin_client.post(url, {"name": "  Risk   assessment "})
    again = admin_client.post(url, {"name": "risk assessment"})
    assert "already has that theme" in again.content.decode()
    assert list(closed.themes.values_list("name", flat=True)) == ["Risk assessment"]


def test_admin_names_the_shared_theme_a_consultation_theme_matches(
    admin_client, closed
):
    url = reverse("consultations:theme_list", kwargs={"pk": closed.pk})
    form = admin_client.get(url).content.decode()
    assert 'value="risk-assessment"' in form
    admin_client.post(url, {"name": "Risk", "taxonomy_slug": "risk-assessment"})
    admin_client.post(url, {"name": "Cost", "taxonomy_slug": ""})
    assert dict(closed.themes.values_list("name", "taxonomy_slug")) == {
        "Risk": "risk-assessment",
        "Cost": "",
    }
    assert "Risk assessment" in admin_client.get(url).content.decode()


def test_a_shared_theme_outside_the_taxonomy_is_refused(admin_client, closed):
    url = reverse("consultations:theme_list", kwargs={"pk": closed.pk})
    page = admin_client.post(url, {"name": "Risk", "taxonomy_slug": "no-such-theme"})
    assert "govuk-error-summary" in page.content.decode()
    assert "Choose a shared theme from the list" in page.content.decode()
    assert not closed.themes.exists()


def test_admin_changes_the_shared_theme_a_theme_names(admin_client, closed):
    theme = Theme.objects.create(consultation=closed, name="Risk")
    Theme.objects.create(consultation=closed, name="Cost")
    url = reverse("consultations:theme_edit", kwargs={"pk": theme.pk})
    assert 'value="Risk"' in admin_client.get(url).content.decode()
    clash = admin_client.post(url, {"name": "cost", "taxonomy_slug": ""})
    assert "already has that theme" in clash.content.decode()
    response = admin_client.post(
        url, {"name": "Risk to others", "taxonomy_slug": "risk-assessment"}
    )
    assert response.url == reverse("consultations:theme_list", args=[closed.pk])
    listing = admin_client.get(response.url).content.decode()
    assert "Theme saved: Risk to others" in listing
    theme.refresh_from_db()
    assert (theme.name, theme.taxonomy_slug) == ("Risk to others", "risk-assessment")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CONSULTATION_CHANGED)
    assert event.get().details == {
        "theme_changed": theme.pk,
        "taxonomy_slug": "risk-assessment",
    }


def test_leads_read_themes_but_do_not_change_them(lead_inspector_client, closed):
    theme = Theme.objects.create(consultation=closed, name="Risk")
    url = reverse("consultations:theme_edit", kwargs={"pk": theme.pk})
    assert lead_inspector_client.get(url).status_code == 403
    assert lead_inspector_client.post(url, {"name": "Other"}).status_code == 403
    theme.refresh_from_db()
    assert theme.name == "Risk"
    listing = lead_inspector_client.get(
        reverse("consultations:theme_list", kwargs={"pk": closed.pk})
    )
    assert url not in listing.content.decode()


def test_without_a_taxonomy_the_theme_form_asks_only_for_the_name(monkeypatch):
    from consultations import taxonomy
    from consultations.forms.responses import ThemeForm

    monkeypatch.setattr(taxonomy, "_providers", [])
    assert list(ThemeForm().fields) == ["name"]


def test_responses_filter_by_channel_audience_and_theme(admin_client, closed):
    youth = AudienceFactory(consultation=closed, name="youth")
    theme = Theme.objects.create(consultation=closed, name="Workload")
    wanted = ResponseFactory(consultation=closed, channel="post", audience=youth)
    wanted.themes.add(theme)
    ResponseFactory(consultation=closed, channel="post", audience=youth)
    ResponseFactory(consultation=closed, channel="email", audience=youth)
    url = reverse("consultations:response_list", kwargs={"pk": closed.pk})
    page = admin_client.get(
        url, {"channel": "post", "audience": youth.pk, "theme": theme.pk}
    ).content.decode()
    assert "1 response" in page
    assert wanted.reference in page


@pytest.mark.parametrize("n", [2, 20])
def test_the_response_list_takes_constant_queries(
    lead_inspector_client, django_assert_num_queries, closed, n
):
    audience = AudienceFactory(consultation=closed)
    theme = Theme.objects.create(consultation=closed, name="Workload")
    for _ in range(n):
        ResponseFactory(consultation=closed, audience=audience).themes.add(theme)
    url = reverse("consultations:response_list", kwargs={"pk": closed.pk})
    # Consultation, audiences, themes, count, the page, its themes.
    with django_assert_num_queries(SIGNED_IN_QUERIES + 6):
        lead_inspector_client.get(url)


HOSTILE = '=HYPERLINK("http://evil.example","x")'


def _export_fixture(consultation):
    question = QuestionFactory(consultation=consultation, text="+Your views?")
    theme = Theme.objects.create(consultation=consultation, name="@theme")
    online = ResponseFactory(
        consultation=consultation,
        channel="online",
        name=HOSTILE,
        organisation="-2+3",
        answers={str(question.pk): "=1+1"},
    )
    online.themes.add(theme)
    ResponseFactory(consultation=consultation, channel="post", text="\tindented")
    return question


def test_the_csv_export_is_formula_safe_and_audited_with_its_row_count(
    lead_inspector_client, closed
):
    _export_fixture(closed)
    url = reverse("consultations:response_export_csv", kwargs={"pk": closed.pk})
    response = lead_inspector_client.get(url, {"channel": "online"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "'+Your views?"
    assert len(rows) == 2
    cells = rows[1]
    assert "'" + HOSTILE in cells
    assert "'-2+3" in cells
    assert "'=1+1" in cells
    assert "'@theme" in cells
    event = AuditEvent.objects.get(action=Action.CONSULTATION_RESPONSES_EXPORTED)
    assert event.details == {"format": "csv", "filters": ["channel"], "rows": 1}


def test_the_xlsx_export_holds_text_not_formulas(lead_inspector_client, closed):
    _export_fixture(closed)
    url = reverse("consultations:response_export_xlsx", kwargs={"pk": closed.pk})
    response = lead_inspector_client.get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    # Typed text cells, shown as typed: no apostrophe is needed in XLSX.
    for text in (HOSTILE, "\tindented", "-2+3", "=1+1", "+Your views?"):
        assert cells[text].data_type == "s"
    assert all(cell.data_type != "f" for cell in cells.values())
    event = AuditEvent.objects.get(action=Action.CONSULTATION_RESPONSES_EXPORTED)
    assert event.details["rows"] == 2
    assert event.details["format"] == "xlsx"


def test_the_export_says_which_responses_are_held_for_review(
    lead_inspector_client, closed
):
    ResponseFactory(consultation=closed, organisation="Kept")
    ResponseFactory(consultation=closed, organisation="Spam", held_for_review=True)
    url = reverse("consultations:response_export_csv", kwargs={"pk": closed.pk})
    rows = list(
        csv.DictReader(io.StringIO(lead_inspector_client.get(url).content.decode()))
    )
    assert {row["Organisation"]: row["Held for review"] for row in rows} == {
        "Kept": "No",
        "Spam": "Yes",
    }


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.HMPPS_SFO, Role.PANEL_MEMBER])
def test_other_roles_cannot_export_responses(client_for, closed, role):
    ResponseFactory(consultation=closed)
    url = reverse("consultations:response_export_csv", kwargs={"pk": closed.pk})
    assert client_for(role).get(url).status_code == 403
    assert not AuditEvent.objects.filter(
        action=Action.CONSULTATION_RESPONSES_EXPORTED
    ).exists()


def test_the_response_is_published_only_after_closing(admin_client):
    consultation = ConsultationFactory()
    url = reverse("consultations:response_publish", kwargs={"pk": consultation.pk})
    refused = admin_client.post(url, {"summary": "Our response"})
    assert "only once the consultation has closed" in refused.content.decode()
    consultation.refresh_from_db()
    assert consultation.response_published_at is None


def test_publishing_the_response_shows_it_with_the_counts(admin_client, client, closed):
    DocumentFactory(consultation=closed, kind="response", title="Our response")
    ResponseFactory.create_batch(3, consultation=closed)
    url = reverse("consultations:response_publish", kwargs={"pk": closed.pk})
    admin_client.post(url, {"summary": "We listened."})
    closed.refresh_from_db()
    assert closed.status == Status.RESPONSE_PUBLISHED
    page = client.get(
        reverse("consultations:detail", kwargs={"slug": closed.slug})
    ).content.decode()
    assert "We received 3 responses." in page
    assert "We listened." in page
    assert "Our response</a>" in page
    event = AuditEvent.objects.get(action=Action.CONSULTATION_RESPONSE_PUBLISHED)
    assert event.details == {"responses": 3}


def test_a_response_needs_a_summary_or_a_document(admin_client, closed):
    url = reverse("consultations:response_publish", kwargs={"pk": closed.pk})
    refused = admin_client.post(url, {"summary": "  "})
    assert "Write a summary" in refused.content.decode()


def test_the_forms_show_the_consultations_own_audiences_and_themes(
    admin_client, closed
):
    AudienceFactory(consultation=closed, name="youth")
    Theme.objects.create(consultation=closed, name="Workload")
    record = admin_client.get(
        reverse("consultations:response_record", kwargs={"pk": closed.pk})
    ).content.decode()
    listing = admin_client.get(
        reverse("consultations:response_list", kwargs={"pk": closed.pk})
    ).content.decode()
    for page in (record, listing):
        assert "Youth" in page
        assert "Workload" in page
    detail = admin_client.get(
        reverse(
            "consultations:response_detail",
            kwargs={"pk": ResponseFactory(consultation=closed).pk},
        )
    ).content.decode()
    assert 'name="themes"' in detail


def _record(client, consultation, day, **extra):
    return client.post(
        reverse("consultations:response_record", kwargs={"pk": consultation.pk}),
        {
            "channel": "post",
            "received_on_0": day.day,
            "received_on_1": day.month,
            "received_on_2": day.year,
            **extra,
        },
    )


def test_a_recorded_response_must_arrive_while_the_consultation_was_open(
    admin_client,
):
    consultation = ConsultationFactory(
        opens_at=datetime(2021, 2, 5, tzinfo=LONDON),
        closes_at=datetime(2021, 3, 5, tzinfo=LONDON),
    )
    refused = _record(admin_client, consultation, date(2021, 3, 5))
    page = refused.content.decode()
    assert (
        "Date received must be between 5 February 2021 and 4 March 2021, when the "
        "consultation was open, or give the reason it should count"
    ) in page
    assert 'href="#id_received_on' in page
    assert not Response.objects.exists()

    _record(admin_client, consultation, date(2021, 3, 4))
    _record(
        admin_client,
        consultation,
        date(2021, 3, 8),
        late_reason="Postmarked 3 March 2021",
    )
    kept = Response.objects.order_by("received_at")
    assert [r.late_reason for r in kept] == ["", "Postmarked 3 March 2021"]


def test_a_date_only_response_shows_no_time(admin_client, closed):
    _record(admin_client, closed, timezone.localdate() - timedelta(days=5))
    recorded = Response.objects.get()
    assert recorded.date_only
    page = admin_client.get(
        reverse("consultations:response_detail", kwargs={"pk": recorded.pk})
    ).content.decode()
    assert "12pm" not in page and "midday" not in page
    assert "(post)" in page


def test_a_held_response_is_tagged_filtered_and_left_out_of_the_counts(
    admin_client, client, closed
):
    ResponseFactory.create_batch(2, consultation=closed)
    held = ResponseFactory(consultation=closed, held_for_review=True)
    listing = reverse("consultations:response_list", kwargs={"pk": closed.pk})
    page = admin_client.get(listing).content.decode()
    assert page.count("Held for review</strong>") == 1
    only_held = admin_client.get(listing, {"held": "on"}).content.decode()
    assert held.reference in only_held and "1 response" in only_held

    DocumentFactory(consultation=closed, kind="response", title="Our response")
    publish = reverse("consultations:response_publish", kwargs={"pk": closed.pk})
    admin_client.post(publish, {"summary": "We listened."})
    public = reverse("consultations:detail", kwargs={"slug": closed.slug})
    assert "We received 2 responses." in client.get(public).content.decode()

    admin_client.post(reverse("consultations:response_accept", kwargs={"pk": held.pk}))
    held.refresh_from_db()
    assert not held.held_for_review
    assert "We received 3 responses." in client.get(public).content.decode()


def test_lead_inspectors_cannot_accept_a_held_response(lead_inspector_client, closed):
    held = ResponseFactory(consultation=closed, held_for_review=True)
    refused = lead_inspector_client.post(
        reverse("consultations:response_accept", kwargs={"pk": held.pk})
    )
    assert refused.status_code == 403
    held.refresh_from_db()
    assert held.held_for_review

"""The panel pages as the chair and a member see them: they render, hostile
text stays text, and query counts do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from panels import services
from panels.models import ImpactCheck
from tests.conftest import SIGNED_IN_QUERIES, sign_in
from tests.panels.factories import (
    add_action,
    add_learning,
    add_meeting,
    add_paper,
    partner,
)

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert(1)</script> "><img src=x onerror=alert(1)> javascript:alert(1) '
    "{{7*7}} {% debug %} \u202eevil\u202c"
)


def full_panel(panel, lead, police, text="Plain"):
    meeting = add_meeting(panel, lead, days=-2, agenda=f"{text}\nSecond item")
    services.meeting_attendance_record(
        meeting=meeting,
        by=lead,
        statuses={panel.members.get(user=police).pk: "present"},
    )
    services.meeting_minutes_save(meeting=meeting, by=lead, minutes=text)
    add_paper(panel, lead, title=text)
    services.chronology_entry_add(
        panel=panel,
        by=police,
        agency=police.organisation,
        happened_on=datetime.date(2025, 2, 1),
        what=text,
    )
    item = add_learning(
        panel, lead, title=text, what_happened=text, why=text, learning=text
    )
    action = add_action(panel, lead, item=item)
    services.action_progress_update(action=action, by=police, progress=40, text=text)
    services.action_evidence_submit(action=action, by=police, text=text)
    return meeting, item, action


def page_urls(panel, meeting, item, action, *, chair):
    urls = [
        reverse("home"),
        reverse("panels:list"),
        reverse("panels:detail", kwargs={"pk": panel.pk}),
        reverse("panels:chronology", kwargs={"pk": panel.pk}),
        reverse("panels:meeting", kwargs={"pk": meeting.pk}),
        reverse("panels:learning_detail", kwargs={"pk": item.pk}),
        reverse("panels:action_detail", kwargs={"pk": action.pk}),
        reverse("learning:library"),
        reverse("learning:subscriptions"),
    ]
    if chair:
        urls += [
            reverse("panels:create"),
            reverse("panels:edit", kwargs={"pk": panel.pk}),
            reverse("panels:status", kwargs={"pk": panel.pk}),
            reverse("panels:member_invite", kwargs={"pk": panel.pk}),
            reverse("panels:meeting_schedule", kwargs={"pk": panel.pk}),
            reverse("panels:paper_add", kwargs={"pk": panel.pk}),
            reverse("panels:learning_add", kwargs={"pk": panel.pk}),
            reverse("panels:action_add", kwargs={"pk": panel.pk}),
            reverse("panels:meeting_attendance", kwargs={"pk": meeting.pk}),
            reverse("panels:meeting_minutes", kwargs={"pk": meeting.pk}),
            reverse("panels:learning_edit", kwargs={"pk": item.pk}),
            reverse("panels:action_decide", kwargs={"pk": action.pk}),
            reverse("panels:representation"),
            reverse("panels:progress"),
        ]
    return urls


@pytest.mark.parametrize("chair", [True, False])
def test_hostile_text_is_escaped_on_every_page(chair, client, panel, lead, police):
    meeting, item, action = full_panel(panel, lead, police, text=HOSTILE)
    panel.case_summary = HOSTILE
    panel.title = HOSTILE
    panel.save()
    sign_in(client, lead if chair else police)
    for url in page_urls(panel, meeting, item, action, chair=chair):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "<script>alert(1)</script>" not in page, url
        assert "<img src=x" not in page, url


def test_hostile_text_is_shown_as_text(client, panel, lead, police):
    _meeting, item, _action = full_panel(panel, lead, police, text=HOSTILE)
    sign_in(client, police)
    page = client.get(reverse("panels:learning_detail", kwargs={"pk": item.pk}))
    text = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "{{7*7}}" in text and "{% debug %}" in text


def test_the_case_summary_warns_of_identifying_text(lead_client, panel):
    data = {
        "title": "Panel",
        "region": panel.region_id,
        "needed_agencies": [a.pk for a in panel.needed_agencies.all()],
        "references": "",
        "case_summary": "Mr X, CRN X123456, born 01/02/1980, lives at SW1A 1AA.",
    }
    url = reverse("panels:edit", kwargs={"pk": panel.pk})
    response = lead_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "a CRN and a date of birth and a postcode" in page
    assert "govuk-error-summary" in page
    response = lead_client.post(url, {**data, "summary_confirmed": "on"})
    assert response.status_code == 302
    detail = lead_client.get(reverse("panels:detail", kwargs={"pk": panel.pk}))
    assert "shaped like a CRN" in detail.content.decode()


def grow(panel, lead, police, rows):
    for n in range(rows):
        colleague = partner("police", email=f"p{n}-{panel.pk}@example.org")
        services.panel_member_add(panel=panel, by=lead, user=colleague)
        full_panel(panel, lead, police, text=f"Row {n}")
        add_learning(panel, lead, disseminate=True, title=f"Done {n}")


@pytest.mark.parametrize(
    "url_name", ["panels:detail", "home", "learning:library", "panels:list"]
)
def test_query_counts_do_not_grow_with_rows(url_name, client, panel, lead, police):
    sign_in(client, police)
    url = (
        reverse(url_name, kwargs={"pk": panel.pk})
        if url_name == "panels:detail"
        else reverse(url_name)
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        grow(panel, lead, police, 2)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_the_panel_page_query_count(
    client, panel, lead, police, django_assert_num_queries
):
    grow(panel, lead, police, 3)
    sign_in(client, lead)
    url = reverse("panels:detail", kwargs={"pk": panel.pk})
    client.get(url)
    with django_assert_num_queries(PANEL_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# Signed in, the audit row, then the page's own eleven reads.
PANEL_PAGE_QUERIES = SIGNED_IN_QUERIES + 1 + 11


def test_unanswered_impact_checks_are_listed_for_the_chair(
    lead_client, panel, lead, police
):
    action = add_action(panel, lead)
    services.action_evidence_submit(action=action, by=police, text="Done")
    services.action_evidence_accept(action=action, by=lead)
    ImpactCheck.objects.filter(action=action, months=6).update(
        due_on=timezone.localdate()
    )
    page = lead_client.get(reverse("panels:detail", kwargs={"pk": panel.pk}))
    assert "6-month check, Test Constabulary" in page.content.decode()


def test_the_gap_sentence_is_on_the_panel_page(lead_client, panel):
    page = lead_client.get(reverse("panels:detail", kwargs={"pk": panel.pk}))
    assert "No one from Health: mental health is on the panel" in page.content.decode()


def test_the_task_list_and_review_page_link_to_matching_learning(
    client_for, users, panel, lead
):
    from ratings import services as rating_services
    from ratings.models import Finding, Theme
    from tests.ratings.conftest import make_allocation

    assessment = rating_services.assessment_start(allocation=make_allocation(users))
    theme, other = Theme.objects.order_by("pk")[:2]
    finding = Finding.objects.create(
        assessment=assessment, kind="learning", text="Point", level="team"
    )
    finding.themes.add(theme)
    add_learning(panel, lead, disseminate=True, themes=[theme], title="Match one")
    add_learning(panel, lead, disseminate=True, themes=[theme], title="Match two")
    add_learning(panel, lead, disseminate=True, themes=[other], title="Elsewhere")
    add_learning(panel, lead, themes=[theme], title="Draft")
    client = client_for("inspector")
    library = f"{reverse('learning:library')}?theme={theme.slug}"
    for url in (
        reverse("ratings:task_list", kwargs={"pk": assessment.pk}),
        reverse("reviews:detail", kwargs={"pk": assessment.review_id}),
    ):
        page = client.get(url).content.decode()
        assert "2 items in the learning library" in page, url
        assert library in page, url
    found = client.get(library).content.decode()
    assert "Match one" in found and "Match two" in found
    assert "Elsewhere" not in found and "Draft" not in found


def test_a_lead_brings_a_finding_into_their_panel(lead_client, users, panel):
    from ratings import services as rating_services
    from ratings.models import Finding
    from tests.ratings.conftest import make_allocation

    assessment = rating_services.assessment_start(allocation=make_allocation(users))
    finding = Finding.objects.create(
        assessment=assessment, kind="learning", text="Point", level="team"
    )
    findings = lead_client.get(
        reverse("ratings:findings", kwargs={"pk": assessment.pk})
    )
    url = reverse("panels:finding_bring", kwargs={"pk": finding.pk})
    assert url in findings.content.decode()
    response = lead_client.post(url, {"panel": panel.pk})
    item = panel.learning.get()
    assert response.status_code == 302 and item.source_finding == finding

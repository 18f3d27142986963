"""Partners see their own panels and nothing else: not another panel, not a
review, a CRN, a review document or a rating."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from panels import services
from panels.models import ImpactCheck, Panel
from tests.panels.factories import add_action, add_learning, add_meeting, add_paper
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def object_urls(panel):
    """Every URL of a panel and of everything in it."""
    meeting = panel.meetings.first()
    paper = panel.papers.first()
    item = panel.learning.first()
    action = panel.actions.first()
    urls = [
        reverse(name, kwargs={"pk": panel.pk})
        for name in (
            "panels:detail",
            "panels:chronology",
            "panels:edit",
            "panels:status",
            "panels:member_invite",
            "panels:meeting_schedule",
            "panels:paper_add",
            "panels:learning_add",
            "panels:action_add",
        )
    ]
    urls += [
        reverse(name, kwargs={"pk": meeting.pk})
        for name in ("panels:meeting", "panels:meeting_calendar")
    ]
    urls += [reverse("panels:paper_download", kwargs={"pk": paper.pk})]
    urls += [reverse("panels:learning_detail", kwargs={"pk": item.pk})]
    urls += [
        reverse(name, kwargs={"pk": action.pk})
        for name in ("panels:action_detail", "panels:action_evidence")
    ]
    return urls


def test_a_member_gets_404_for_every_url_of_another_panel(police_client, other_panel):
    found = {
        url: police_client.get(url).status_code for url in object_urls(other_panel)
    }
    # The leads-only pages are refused by the access policy before any lookup.
    assert {url: code for url, code in found.items() if code != 404} == {
        url: 403
        for url in found
        if url.endswith(
            (
                "/edit/",
                "/status/",
                "/invite/",
                "/meetings/new/",
                "/papers/new/",
                "/learning/new/",
                "/actions/new/",
            )
        )
    }


def test_a_member_cannot_write_to_another_panel(police_client, other_panel):
    action = other_panel.actions.first()
    posts = [
        (
            reverse("panels:chronology", kwargs={"pk": other_panel.pk}),
            {
                "happened_on_0": "1",
                "happened_on_1": "1",
                "happened_on_2": "2026",
                "what": "Injected",
            },
        ),
        (
            reverse("panels:action_update", kwargs={"pk": action.pk}),
            {"progress": "90", "text": "Injected"},
        ),
        (reverse("panels:action_evidence", kwargs={"pk": action.pk}), {"text": "x"}),
        (reverse("panels:briefing", kwargs={"pk": other_panel.pk}), {}),
    ]
    for url, data in posts:
        assert police_client.post(url, data).status_code == 404
    assert not other_panel.chronology.exists()
    action.refresh_from_db()
    assert action.progress == 0 and not action.evidence.exists()


def test_guessing_ids_finds_nothing_beyond_own_panels(
    police_client, panel, other_panel
):
    ids = range(1, 60)
    for name in (
        "panels:detail",
        "panels:meeting",
        "panels:paper_download",
        "panels:action_detail",
        "panels:learning_detail",
        "panels:evidence_file",
        "panels:impact_check",
    ):
        for pk in ids:
            response = police_client.get(reverse(name, kwargs={"pk": pk}))
            assert response.status_code in (200, 404), (name, pk)
            if response.status_code == 200 and name == "panels:detail":
                assert pk == panel.pk


def test_draft_learning_of_another_panel_is_hidden_even_if_shared(
    police_client, other_panel
):
    item = other_panel.learning.first()
    item.all_partners = True
    item.save()
    url = reverse("panels:learning_detail", kwargs={"pk": item.pk})
    assert police_client.get(url).status_code == 404


def test_learning_shared_with_all_partners_is_readable_once_disseminated(
    police_client, other_panel, lead
):
    item = other_panel.learning.first()
    item.all_partners = True
    item.save()
    services.learning_item_approve(item=item, by=lead)
    services.learning_item_disseminate(item=item, by=lead)
    response = police_client.get(
        reverse("panels:learning_detail", kwargs={"pk": item.pk})
    )
    assert response.status_code == 200
    page = response.content.decode()
    # Nothing leads into the other panel or its actions.
    assert reverse("panels:detail", kwargs={"pk": other_panel.pk}) not in page
    assert "/panels/actions/" not in page


def test_partners_never_reach_reviews_ratings_or_the_api(police_client, panel):
    review = ReviewFactory()
    panel.reviews.add(review)
    for url in (
        reverse("reviews:list"),
        reverse("reviews:detail", kwargs={"pk": review.pk}),
        reverse("ratings:my_assessments"),
        reverse("ratings:moderation_queue"),
        reverse("ratings:published_list"),
        reverse("panels:representation"),
        reverse("panels:progress"),
    ):
        assert police_client.get(url).status_code == 403, url
    api = police_client.get("/api/v1/reviews/")
    assert api.status_code in (401, 403)
    page = police_client.get(reverse("panels:detail", kwargs={"pk": panel.pk}))
    text = page.content.decode()
    assert review.hmpps_reference not in text
    assert review.crn not in text
    assert "/reviews/" not in text


def test_staff_see_the_reviews_a_panel_is_about(lead_client, panel):
    review = ReviewFactory()
    panel.reviews.add(review)
    page = lead_client.get(reverse("panels:detail", kwargs={"pk": panel.pk}))
    assert review.hmpps_reference in page.content.decode()


def test_papers_close_to_members_after_the_period(police_client, panel, lead, settings):
    settings.PANEL_PAPERS_VISIBLE_DAYS = 30
    paper = add_paper(panel, lead)
    url = reverse("panels:paper_download", kwargs={"pk": paper.pk})
    assert police_client.get(url).status_code == 200
    services.panel_status_set(panel=panel, by=lead, status=Panel.Status.CLOSED)
    assert police_client.get(url).status_code == 200
    Panel.objects.filter(pk=panel.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert police_client.get(url).status_code == 404
    page = police_client.get(reverse("panels:detail", kwargs={"pk": panel.pk}))
    assert url not in page.content.decode()


def test_staff_still_open_papers_after_the_period(lead_client, panel, lead):
    paper = add_paper(panel, lead)
    services.panel_status_set(panel=panel, by=lead, status=Panel.Status.CLOSED)
    Panel.objects.filter(pk=panel.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=365)
    )
    url = reverse("panels:paper_download", kwargs={"pk": paper.pk})
    assert lead_client.get(url).status_code == 200


def test_another_agency_cannot_update_an_action(client, panel, lead, health):
    from tests.conftest import sign_in

    services.panel_member_add(panel=panel, by=lead, user=health)
    action = add_action(panel, lead, slug="police")
    health_client = sign_in(client, health)
    url = reverse("panels:action_update", kwargs={"pk": action.pk})
    assert health_client.post(url, {"progress": "50", "text": "x"}).status_code == 403
    assert (
        health_client.get(
            reverse("panels:action_detail", kwargs={"pk": action.pk})
        ).status_code
        == 200
    )


def test_only_the_owner_agency_answers_an_impact_check(
    client, panel, lead, health, police
):
    from tests.conftest import sign_in

    services.panel_member_add(panel=panel, by=lead, user=health)
    action = add_action(panel, lead, slug="police")
    services.action_evidence_submit(action=action, by=police, text="Done")
    services.action_evidence_accept(action=action, by=lead)
    check = ImpactCheck.objects.get(action=action, months=6)
    ImpactCheck.objects.filter(pk=check.pk).update(due_on=timezone.localdate())
    url = reverse("panels:impact_check", kwargs={"pk": check.pk})
    data = {"practice_changed": "yes", "answer": "Audit of 20 cases"}
    assert sign_in(client, health).post(url, data).status_code == 404
    check.refresh_from_db()
    assert not check.is_answered


def test_meeting_detail_for_own_panel(police_client, panel, lead):
    meeting = add_meeting(panel, lead)
    add_learning(panel, lead)
    response = police_client.get(reverse("panels:meeting", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200

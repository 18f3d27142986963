import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from panels import demo, selectors
from panels.models import Action, LearningItem, Panel
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(reference_data):
    accounts_demo.seed_users()
    demo.seed_panels()
    demo.seed_panels()


def test_the_demo_has_an_active_and_a_closed_panel_and_runs_twice(seeded):
    assert Panel.objects.count() == 2
    active = Panel.objects.get(title=demo.ACTIVE)
    assert active.status == Panel.Status.ACTIVE
    assert active.meetings.count() == 2
    assert active.meetings.filter(attendance_recorded_at__isnull=False).count() == 1
    states = set(active.learning.values_list("status", flat=True))
    assert states == set(LearningItem.Status.values)
    statuses = set(active.actions.values_list("status", flat=True))
    assert {"in_progress", "evidence_submitted", "complete", "open"} <= statuses
    assert any(a.is_overdue for a in active.actions.all())
    assert len(selectors.unanswered_checks(active)) == 1
    figures = selectors.representation(
        active, selectors.members_of(active), selectors.meetings_of(active)
    )
    assert figures.gaps == ["No one from Health: mental health is on the panel"]
    assert Panel.objects.get(title=demo.CLOSED).is_closed
    assert Action.objects.filter(panel__title=demo.CLOSED).count() == 0


def test_each_demo_partner_sees_only_their_own_panel(seeded, client):
    active = Panel.objects.get(title=demo.ACTIVE)
    closed = Panel.objects.get(title=demo.CLOSED)
    police = sign_in(client, active.members.get(user__email=demo.POLICE).user)
    assert (
        police.get(reverse("panels:detail", kwargs={"pk": active.pk})).status_code
        == 200
    )
    assert (
        police.get(reverse("panels:detail", kwargs={"pk": closed.pk})).status_code
        == 404
    )
    home = police.get(reverse("home")).content.decode()
    assert demo.ACTIVE in home and demo.CLOSED not in home
    client.logout()
    health = sign_in(client, closed.members.get(user__email=demo.HEALTH).user)
    assert (
        health.get(reverse("panels:detail", kwargs={"pk": active.pk})).status_code
        == 404
    )
    page = health.get(
        reverse("panels:detail", kwargs={"pk": closed.pk})
    ).content.decode()
    # Closed 60 days ago: past the period members see its papers.
    assert "no longer open to members" in page

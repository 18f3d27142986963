"""The chair removes a member from a panel: they lose access at once, what
they added stays under their name, and open actions they owned by name keep
their agency and lose the named owner."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from panels import notifications, selectors, services
from panels.models import ActionUpdate, PanelMember
from tests.conftest import sign_in
from tests.panels.factories import add_action, add_learning, add_meeting, partner
from tests.panels.test_isolation import object_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(panel, lead):
    """A second police member, so the agency is still on the panel."""
    user = partner("police", email="colleague@example.org")
    services.panel_member_add(panel=panel, by=lead, user=user)
    return user


def seat_of(panel, user):
    return panel.members.get(user=user)


def test_a_removed_member_keeps_what_they_added_under_their_name(panel, lead, police):
    meeting = add_meeting(panel, lead, days=-2)
    services.meeting_attendance_record(
        meeting=meeting, by=lead, statuses={seat_of(panel, police).pk: "present"}
    )
    services.chronology_entry_add(
        panel=panel,
        by=police,
        agency=police.organisation,
        happened_on=datetime.date(2025, 2, 1),
        what="Intelligence shared",
    )
    action = add_action(panel, lead)
    services.action_progress_update(action=action, by=police, progress=50, text="Half")
    services.action_evidence_submit(action=action, by=police, text="Checklist")

    services.panel_member_remove(member=seat_of(panel, police), by=lead)

    assert not panel.members.filter(user=police).exists()
    seat = PanelMember.every_seat.get(panel=panel, user=police)
    assert seat.removed_by == lead and seat.removed_at is not None
    assert panel.chronology.get().added_by == police
    assert action.updates.filter(kind="progress").get().by == police
    assert action.evidence.get().submitted_by == police
    assert meeting.attendances.get().member == seat  # history stays
    event = AuditEvent.objects.filter(action="panel_changed").latest("pk")
    assert event.details["member_removed"] == police.pk


def test_open_actions_they_own_keep_their_agency_and_lose_the_named_owner(
    panel, lead, police, colleague
):
    owned = add_action(panel, lead, owner=police)
    done = add_action(panel, lead, owner=police)
    services.action_evidence_submit(action=done, by=police, text="Done")
    services.action_evidence_accept(action=done, by=lead)
    theirs = add_action(panel, lead, owner=colleague)

    unowned = services.panel_member_remove(member=seat_of(panel, police), by=lead)

    assert [a.pk for a in unowned] == [owned.pk]
    owned.refresh_from_db()
    assert owned.owner is None and owned.owner_agency == police.organisation
    update = owned.updates.get(kind=ActionUpdate.Kind.UNOWNED)
    assert update.by == lead and police.full_name in update.text
    done.refresh_from_db()
    assert done.owner == police  # a completed action keeps its history
    theirs.refresh_from_db()
    assert theirs.owner == colleague


def test_a_removed_member_is_not_reminded_nor_counted_as_representation(
    panel, lead, police
):
    add_action(panel, lead, due_in=-3)
    services.panel_member_remove(member=seat_of(panel, police), by=lead)
    notifications.action_reminders_send()
    assert [m.to[0] for m in mail.outbox] == [lead.email]
    members = selectors.members_of(panel)
    assert police not in [m.user for m in members]
    figures = selectors.representation(panel, members, selectors.meetings_of(panel))
    assert all(r.members == 0 for r in figures.rows if r.agency_type.slug == "police")
    listed = selectors.panels_for(user=lead).get(pk=panel.pk)
    assert listed.member_count == 0


def test_a_removed_member_can_be_seated_again(panel, lead, police):
    services.panel_member_remove(member=seat_of(panel, police), by=lead)
    with pytest.raises(ValidationError):
        services.panel_member_remove(
            member=PanelMember.every_seat.get(user=police), by=lead
        )
    services.panel_member_add(panel=panel, by=lead, user=police)
    assert seat_of(panel, police).removed_at is None
    assert PanelMember.every_seat.filter(panel=panel, user=police).count() == 1


def test_a_removed_member_gets_404_on_every_url_of_the_panel(
    client, panel, lead, police
):
    add_meeting(panel, lead)
    from tests.panels.factories import add_paper

    add_paper(panel, lead)
    item = add_learning(panel, lead, disseminate=True, title="Panel only")
    add_action(panel, lead, item=item, owner=police)
    sign_in(client, police)
    urls = object_urls(panel)
    before = {url: client.get(url).status_code for url in urls}
    assert before[reverse("panels:detail", kwargs={"pk": panel.pk})] == 200

    services.panel_member_remove(member=seat_of(panel, police), by=lead)

    after = {url: client.get(url).status_code for url in urls}
    # Leads-only pages are refused by the access policy before any lookup.
    assert {url for url, code in after.items() if code != 404} == {
        url for url, code in before.items() if code == 403
    }
    assert "Panel only" not in client.get(reverse("learning:library")).content.decode()
    assert panel.title not in client.get(reverse("panels:list")).content.decode()
    assert panel.title not in client.get(reverse("home")).content.decode()


def test_the_chair_confirms_then_removes(lead_client, panel, police):
    add_action(panel, panel.chair, owner=police)
    detail = reverse("panels:detail", kwargs={"pk": panel.pk})
    url = reverse(
        "panels:member_remove",
        kwargs={"pk": panel.pk, "member_pk": seat_of(panel, police).pk},
    )
    assert url in lead_client.get(detail).content.decode()
    page = lead_client.get(url).content.decode()
    assert "Remove from panel" in page and "named owner of 1 open action" in page
    assert panel.members.filter(user=police).exists()  # a GET changes nothing
    response = lead_client.post(url)
    assert response.status_code == 302 and response.url == detail
    assert not panel.members.filter(user=police).exists()
    assert lead_client.post(url).status_code == 404  # already removed


def test_only_the_chair_removes(client, users, panel, police):
    from accounts.roles import Role
    from tests.panels.factories import make_panel

    url = reverse(
        "panels:member_remove",
        kwargs={"pk": panel.pk, "member_pk": seat_of(panel, police).pk},
    )
    sign_in(client, users[Role.INSPECTOR])
    assert client.post(url).status_code == 403
    sign_in(client, police)
    assert client.post(url).status_code == 403
    # A seat of another panel is not found through this one.
    elsewhere = make_panel(panel.chair, title="Elsewhere", members=[police])
    wrong = reverse(
        "panels:member_remove",
        kwargs={"pk": panel.pk, "member_pk": seat_of(elsewhere, police).pk},
    )
    sign_in(client, panel.chair)
    assert client.post(wrong).status_code == 404
    assert elsewhere.members.filter(user=police).exists()
    assert panel.members.filter(user=police).exists()


def test_the_confirmation_warns_when_the_last_of_an_agency_leaves_its_actions(
    lead_client, panel, lead, police
):
    add_action(panel, lead, slug="police")
    add_action(panel, lead, slug="police")
    url = reverse(
        "panels:member_remove",
        kwargs={"pk": panel.pk, "member_pk": seat_of(panel, police).pk},
    )
    page = lead_client.get(url).content.decode()
    assert "They are the only member from Test Constabulary" in page
    assert "No one will be left to update its 2 open actions" in page
    # Nor does the page promise that colleagues will go on updating them.
    add_action(panel, lead, slug="police", owner=police)
    page = lead_client.get(url).content.decode()
    assert "named owner of 1 open action" in page
    assert "whose members go on updating" not in page


def test_no_such_warning_while_a_colleague_from_the_agency_stays(
    lead_client, panel, lead, police, colleague
):
    add_action(panel, lead, slug="police")
    url = reverse(
        "panels:member_remove",
        kwargs={"pk": panel.pk, "member_pk": seat_of(panel, police).pk},
    )
    assert "They are the only member" not in lead_client.get(url).content.decode()


def test_a_removed_members_home_says_they_are_no_longer_on_a_panel(
    client, panel, lead, police
):
    services.panel_member_remove(member=seat_of(panel, police), by=lead)
    sign_in(client, police)
    page = client.get(reverse("home")).content.decode()
    assert "You are no longer on any panel" in page
    assert "You have not been added to a panel yet" not in page

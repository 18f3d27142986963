"""Catalogue entries for the panel pages, with makers that build what each
page needs: a panel chaired by the lead with the panel member seated on it."""

from django.utils import timezone

from accounts.roles import Role
from panels import services
from panels.models import ImpactCheck
from tests.panels.factories import (
    add_action,
    add_learning,
    add_meeting,
    add_paper,
    agency,
)


def _seated(users):
    member = users[Role.PANEL_MEMBER]
    if member.organisation_id != agency("police").pk:
        member.organisation = agency("police")
        member.save(update_fields=["organisation"])
    return member


def _panel(users):
    from tests.panels.factories import make_panel

    lead = users[Role.LEAD_INSPECTOR]
    panel = make_panel(lead, members=[_seated(users)])
    meeting = add_meeting(panel, lead, days=-3)
    services.meeting_attendance_record(
        meeting=meeting, by=lead, statuses={panel.members.get().pk: "present"}
    )
    add_paper(panel, lead)
    item = add_learning(panel, lead)
    action = add_action(panel, lead, item=item)
    return panel, meeting, item, action


def a_panel(users):
    return {"pk": _panel(users)[0].pk}


def a_seat(users):
    panel = _panel(users)[0]
    return {"pk": panel.pk, "member_pk": panel.members.get().pk}


def a_meeting(users):
    return {"pk": _panel(users)[1].pk}


def a_draft(users):
    return {"pk": _panel(users)[2].pk}


def an_action(users):
    return {"pk": _panel(users)[3].pk}


def evidence_waiting(users):
    action = _panel(users)[3]
    services.action_evidence_submit(
        action=action, by=users[Role.PANEL_MEMBER], text="Done"
    )
    return {"pk": action.pk}


def a_due_impact_check(users):
    action = _panel(users)[3]
    services.action_evidence_submit(
        action=action, by=users[Role.PANEL_MEMBER], text="Done"
    )
    services.action_evidence_accept(action=action, by=users[Role.LEAD_INSPECTOR])
    check = action.impact_checks.get(months=6)
    ImpactCheck.objects.filter(pk=check.pk).update(due_on=timezone.localdate())
    return {"pk": check.pk}


def no_args(users):
    return {}


LEAD = Role.LEAD_INSPECTOR
MEMBER = Role.PANEL_MEMBER
PAGES = [
    (LEAD, "panels:list", no_args),
    (LEAD, "panels:create", no_args),
    (LEAD, "panels:detail", a_panel),
    (LEAD, "panels:edit", a_panel),
    (LEAD, "panels:status", a_panel),
    (LEAD, "panels:member_invite", a_panel),
    (LEAD, "panels:member_remove", a_seat),
    (LEAD, "panels:meeting_schedule", a_panel),
    (LEAD, "panels:paper_add", a_panel),
    (LEAD, "panels:chronology", a_panel),
    (LEAD, "panels:learning_add", a_panel),
    (LEAD, "panels:action_add", a_panel),
    (LEAD, "panels:meeting", a_meeting),
    (LEAD, "panels:meeting_attendance", a_meeting),
    (LEAD, "panels:meeting_minutes", a_meeting),
    (LEAD, "panels:learning_detail", a_draft),
    (LEAD, "panels:learning_edit", a_draft),
    (LEAD, "panels:action_detail", an_action),
    (LEAD, "panels:action_decide", evidence_waiting),
    (LEAD, "panels:representation", no_args),
    (LEAD, "panels:progress", no_args),
    (LEAD, "learning:library", no_args),
    (MEMBER, "panels:list", no_args),
    (MEMBER, "panels:detail", a_panel),
    (MEMBER, "panels:chronology", a_panel),
    (MEMBER, "panels:meeting", a_meeting),
    (MEMBER, "panels:learning_detail", a_draft),
    (MEMBER, "panels:action_detail", an_action),
    (MEMBER, "panels:action_evidence", an_action),
    (MEMBER, "panels:impact_check", a_due_impact_check),
    (MEMBER, "learning:library", no_args),
    (MEMBER, "learning:subscriptions", no_args),
]

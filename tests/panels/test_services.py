import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AgencyType, User
from accounts.roles import Role
from panels import notifications, selectors, services
from panels.models import (
    Action,
    Attendance,
    ImpactCheck,
    LearningItem,
    Panel,
    ThemeSubscription,
    WeeklyEmail,
)
from ratings.models import Theme
from tests.panels.factories import (
    add_action,
    add_learning,
    add_meeting,
    agency,
    make_panel,
    partner,
)

pytestmark = pytest.mark.django_db


def test_inviting_a_new_partner_gives_a_panel_member_account_only(
    panel, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = services.panel_member_invite(
            panel=panel,
            by=lead,
            email="new.partner@example.org",
            full_name="Nia Partner",
            organisation=agency("housing"),
        )
    user = User.objects.get(email="new.partner@example.org")
    assert member.user == user and member.agency == agency("housing")
    assert user.roles == frozenset({Role.PANEL_MEMBER})
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new.partner@example.org"]]


def test_inviting_an_existing_partner_seats_them_and_tells_them(
    panel, lead, health, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.panel_member_invite(
            panel=panel,
            by=lead,
            email=health.email.upper(),
            full_name="ignored",
            organisation=agency("police"),
        )
    assert panel.members.get(user=health).agency == health.organisation
    assert "added to a learning panel" in mail.outbox[0].subject


def test_staff_cannot_be_seated_as_partners(panel, lead, users):
    with pytest.raises(ValidationError):
        services.panel_member_add(panel=panel, by=lead, user=users[Role.INSPECTOR])


def test_attendance_is_recorded_and_feeds_representation(panel, lead, police):
    meeting = add_meeting(panel, lead, days=-1)
    seat = panel.members.get(user=police)
    services.meeting_attendance_record(
        meeting=meeting, by=lead, statuses={seat.pk: Attendance.Status.PRESENT}
    )
    figures = selectors.representation(
        panel, selectors.members_of(panel), selectors.meetings_of(panel)
    )
    rows = {row.agency_type.slug: row for row in figures.rows}
    assert rows["police"].represented and rows["police"].present == [True]
    assert not rows["mental-health"].represented
    assert figures.gaps == ["No one from Health: mental health is on the panel"]


def test_a_member_who_never_attends_is_a_gap(panel, lead, health):
    services.panel_member_add(panel=panel, by=lead, user=health)
    meeting = add_meeting(panel, lead, days=-1)
    statuses = {
        seat.pk: Attendance.Status.PRESENT
        if seat.user != health
        else Attendance.Status.APOLOGIES
        for seat in panel.members.all()
    }
    services.meeting_attendance_record(meeting=meeting, by=lead, statuses=statuses)
    figures = selectors.representation(
        panel, selectors.members_of(panel), selectors.meetings_of(panel)
    )
    assert figures.gaps == ["No one from Health: mental health has attended"]


def test_attendance_refuses_someone_not_on_the_panel(panel, lead, other_panel):
    meeting = add_meeting(panel, lead)
    stranger = other_panel.members.first()
    with pytest.raises(ValidationError):
        services.meeting_attendance_record(
            meeting=meeting, by=lead, statuses={stranger.pk: "present"}
        )


def test_representation_across_panels_counts_needed_represented_present(
    panel, lead, police, other_panel
):
    meeting = add_meeting(panel, lead, days=-1)
    services.meeting_attendance_record(
        meeting=meeting,
        by=lead,
        statuses={panel.members.get(user=police).pk: "present"},
    )
    rows = {r["agencytype__name"]: r for r in selectors.representation_across()}
    assert rows["Police"] == {
        "agencytype__name": "Police",
        "needed": 2,
        "represented": 1,
        "present": 1,
    }
    assert rows["Health: mental health"]["needed"] == 2
    assert rows["Health: mental health"]["represented"] == 1
    assert rows["Health: mental health"]["present"] == 0


def test_learning_is_approved_then_disseminated_and_members_told(
    panel, lead, police, django_capture_on_commit_callbacks
):
    item = add_learning(panel, lead)
    with pytest.raises(ValidationError):
        services.learning_item_disseminate(item=item, by=lead)
    services.learning_item_approve(item=item, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.learning_item_disseminate(item=item, by=lead)
    item.refresh_from_db()
    assert item.status == LearningItem.Status.DISSEMINATED
    assert item.approved_by == lead and item.disseminated_at is not None
    assert [m.to for m in mail.outbox] == [[police.email]]
    with pytest.raises(ValidationError):
        services.learning_item_approve(item=item, by=lead)


def test_learning_needs_a_why_before_approval(panel, lead):
    item = add_learning(panel, lead, why="")
    with pytest.raises(ValidationError):
        services.learning_item_approve(item=item, by=lead)


def test_approved_learning_can_no_longer_be_edited(panel, lead):
    item = add_learning(panel, lead)
    services.learning_item_approve(item=item, by=lead)
    with pytest.raises(ValidationError):
        services.learning_item_save(
            panel=panel, by=lead, item=item, values={"title": "Changed"}
        )


def test_a_finding_becomes_draft_learning_keeping_its_source(panel, lead, users):
    from ratings import services as rating_services
    from ratings.models import Finding
    from tests.ratings.conftest import make_allocation

    assessment = rating_services.assessment_start(allocation=make_allocation(users))

    theme = Theme.objects.first()
    finding = Finding.objects.create(
        assessment=assessment,
        kind=Finding.Kind.LEARNING,
        text="Risk was not reassessed after the arrest.",
        level=Finding.Level.TEAM,
    )
    finding.themes.add(theme)
    item = services.learning_item_from_finding(finding=finding, panel=panel, by=lead)
    assert item.source_finding == finding and item.status == "draft"
    assert list(item.themes.all()) == [theme] and item.level == "team"
    events = selectors.learning_timeline(item, show_actions=True)
    assert events[0]["title"] == "Quality assurance finding recorded"


def test_evidence_accepted_completes_the_action_and_schedules_impact_checks(
    panel, lead, police
):
    action = add_action(panel, lead)
    services.action_progress_update(action=action, by=police, progress=60, text="x")
    services.action_evidence_submit(action=action, by=police, text="Checklist live")
    action.refresh_from_db()
    assert action.status == Action.Status.EVIDENCE_SUBMITTED
    services.action_evidence_accept(action=action, by=lead)
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE and action.progress == 100
    today = timezone.localdate()
    checks = {c.months: c.due_on for c in action.impact_checks.all()}
    assert checks == {
        6: services.add_months(today, 6),
        12: services.add_months(today, 12),
    }
    kinds = list(action.updates.values_list("kind", flat=True))
    assert kinds == ["created", "progress", "evidence", "accepted"]


def test_evidence_returned_with_a_reason_reopens_the_work(panel, lead, police):
    action = add_action(panel, lead)
    services.action_evidence_submit(action=action, by=police, text="Done")
    with pytest.raises(ValidationError):
        services.action_evidence_return(action=action, by=lead, reason=" ")
    services.action_evidence_return(action=action, by=lead, reason="Send the audit")
    action.refresh_from_db()
    assert action.status == Action.Status.RETURNED
    assert action.evidence.get().reason == "Send the audit"
    assert not action.impact_checks.exists()
    services.action_evidence_submit(action=action, by=police, text="Audit attached")
    assert action.evidence.count() == 2


def test_accepting_needs_evidence_waiting(panel, lead):
    action = add_action(panel, lead)
    with pytest.raises(ValidationError):
        services.action_evidence_accept(action=action, by=lead)


def test_add_months_keeps_to_the_end_of_short_months():
    assert services.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(
        2027, 2, 28
    )
    assert services.add_months(datetime.date(2026, 1, 15), 12) == datetime.date(
        2027, 1, 15
    )


def test_impact_check_is_answered_once_when_due(panel, lead, police):
    action = add_action(panel, lead)
    services.action_evidence_submit(action=action, by=police, text="Done")
    services.action_evidence_accept(action=action, by=lead)
    check = action.impact_checks.get(months=6)
    with pytest.raises(ValidationError):
        services.impact_check_answer(
            check=check, by=police, practice_changed="yes", answer="x"
        )
    ImpactCheck.objects.filter(pk=check.pk).update(due_on=timezone.localdate())
    assert selectors.unanswered_checks(panel) == [check]
    services.impact_check_answer(
        check=check, by=police, practice_changed="yes", answer="20 cases audited"
    )
    assert selectors.unanswered_checks(panel) == []
    with pytest.raises(ValidationError):
        services.impact_check_answer(
            check=check, by=police, practice_changed="no", answer="x"
        )


def test_impact_check_owners_are_asked_once(panel, lead, police):
    action = add_action(panel, lead)
    services.action_evidence_submit(action=action, by=police, text="Done")
    services.action_evidence_accept(action=action, by=lead)
    ImpactCheck.objects.filter(action=action, months=6).update(
        due_on=timezone.localdate()
    )
    assert notifications.impact_checks_ask() == 2  # the chair and the police member
    assert notifications.impact_checks_ask() == 0
    assert "impact check" in mail.outbox[0].subject.lower()


def test_reminders_go_once_a_week_to_owners_and_the_chair(panel, lead, police):
    add_action(panel, lead, due_in=-3)
    add_action(panel, lead, due_in=5)
    add_action(panel, lead, due_in=60)
    today = timezone.localdate()
    assert notifications.action_reminders_send(today=today) == 2
    assert notifications.action_reminders_send(today=today) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, police.email])
    body = next(m.body for m in mail.outbox if m.to == [police.email])
    assert "Overdue:" in body and "Due in the next two weeks:" in body
    assert WeeklyEmail.objects.count() == 2
    next_week = today + datetime.timedelta(days=7)
    assert notifications.action_reminders_send(today=next_week) == 2


def test_a_named_owner_is_reminded_instead_of_the_whole_agency(panel, lead, police):
    colleague = partner("police", email="colleague@example.org")
    services.panel_member_add(panel=panel, by=lead, user=colleague)
    add_action(panel, lead, due_in=-1, owner=colleague)
    notifications.action_reminders_send()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, colleague.email])


def test_weekly_digest_lists_new_learning_on_followed_themes_once(
    panel, lead, police, other_panel
):
    theme = Theme.objects.first()
    ThemeSubscription.objects.create(user=police, theme=theme)
    mine = add_learning(panel, lead, disseminate=True, themes=[theme], title="Mine")
    add_learning(other_panel, lead, disseminate=True, themes=[theme], title="Theirs")
    assert notifications.learning_digests_send() == 1
    assert notifications.learning_digests_send() == 0
    body = mail.outbox[0].body
    assert mine.title in body and "Theirs" not in body


def test_chronology_entries_merge_in_date_order(panel, lead, police):
    services.chronology_entry_add(
        panel=panel,
        by=police,
        agency=police.organisation,
        happened_on=datetime.date(2025, 3, 2),
        what="Arrest",
    )
    services.chronology_entry_add(
        panel=panel,
        by=lead,
        agency=agency("mental-health"),
        happened_on=datetime.date(2025, 1, 5),
        what="Assessment",
    )
    assert [e.what for e in selectors.chronology_of(panel)] == ["Assessment", "Arrest"]
    only = selectors.chronology_of(panel, agency_id=police.organisation_id)
    assert [e.what for e in only] == ["Arrest"]


def test_closing_a_panel_stops_new_meetings_and_chronology(panel, lead, police):
    services.panel_status_set(panel=panel, by=lead, status=Panel.Status.CLOSED)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        add_meeting(panel, lead)


def test_the_chair_must_be_a_lead_inspector(users):
    with pytest.raises(ValidationError):
        make_panel(users[Role.INSPECTOR])


def test_progress_rolls_up_complete_overdue_and_impact(panel, lead, police):
    done = add_action(panel, lead)
    add_action(panel, lead, due_in=-2)
    services.action_evidence_submit(action=done, by=police, text="Done")
    services.action_evidence_accept(action=done, by=lead)
    check = done.impact_checks.get(months=6)
    ImpactCheck.objects.filter(pk=check.pk).update(due_on=timezone.localdate())
    services.impact_check_answer(
        check=check, by=police, practice_changed="partly", answer="Audit"
    )
    [row] = selectors.progress_by("agency")
    assert row == {
        "label": "Test Constabulary",
        "total": 2,
        "complete": 1,
        "overdue": 1,
        "impact": 1,
        "complete_percent": 50,
    }


def test_library_shows_members_their_panels_and_shared_learning_only(
    panel, lead, police, other_panel, users
):
    mine = add_learning(panel, lead, disseminate=True, title="Mine")
    shared = add_learning(
        other_panel, lead, disseminate=True, title="Shared", all_partners=True
    )
    add_learning(other_panel, lead, disseminate=True, title="Private")
    add_learning(panel, lead, title="Draft")
    seen = set(selectors.library(user=police))
    assert seen == {mine, shared}
    assert len(selectors.library(user=users[Role.INSPECTOR])) == 3
    assert set(selectors.library(user=police, text="shared")) <= {shared, mine}


def test_library_filters_by_theme_agency_level_and_year(panel, lead, users):
    theme = Theme.objects.first()
    police_type = AgencyType.objects.get(slug="police")
    tagged = add_learning(panel, lead, disseminate=True, themes=[theme], level="team")
    tagged.agencies.add(police_type)
    add_learning(panel, lead, disseminate=True, title="Other", level="national")
    staff = users[Role.INSPECTOR]
    assert list(selectors.library(user=staff, themes=[theme])) == [tagged]
    assert list(selectors.library(user=staff, agency=police_type)) == [tagged]
    assert list(selectors.library(user=staff, level="team")) == [tagged]
    year = timezone.now().year
    assert len(selectors.library(user=staff, year=year)) == 2
    assert len(selectors.library(user=staff, year=year - 1)) == 0
    assert selectors.library_count_for_themes(user=staff, theme_ids=[theme.pk]) == 1


def test_library_search_finds_words_in_any_field_and_ranks_titles_first(
    panel, lead, users
):
    in_text = add_learning(
        panel,
        lead,
        disseminate=True,
        title="Housing contacts",
        recommendation="Check medication at each appointment.",
    )
    in_title = add_learning(
        panel, lead, disseminate=True, title="Medication checks", learning="Ask."
    )
    add_learning(panel, lead, disseminate=True, title="Unrelated", learning="Other.")
    found = list(selectors.library(user=users[Role.INSPECTOR], text="medication"))
    assert set(found) == {in_text, in_title}
    from django.db import connection

    if connection.vendor == "postgresql":
        assert found == [in_title, in_text]
        # Stemmed, as full-text search is: "checking" finds "checks".
        stemmed = selectors.library(user=users[Role.INSPECTOR], text="checking")
        assert in_title in set(stemmed)

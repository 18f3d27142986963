"""
Emails about panels: invitations to meetings, learning disseminated, and the
weekly ones (actions due, learning digests), which go at most once a week to
each person however often the schedule runs them.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notify import email_send
from panels.ical import meeting_calendar
from panels.models import (
    Action,
    ImpactCheck,
    LearningItem,
    Meeting,
    PanelMember,
    ThemeSubscription,
    WeeklyEmail,
    week_of,
)

REMIND_DAYS_AHEAD = 14


def site_url(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def meeting_invitations_send(*, meeting_id: int) -> int:
    """Email each member of the panel the meeting, with a calendar file."""
    meeting = (
        Meeting.objects.select_related("panel__chair").filter(pk=meeting_id).first()
    )
    if meeting is None:
        return 0
    panel = meeting.panel
    people = [panel.chair] + [
        m.user for m in panel.members.select_related("user") if m.user.is_active
    ]
    calendar = meeting_calendar(meeting, panel_title=panel.title)
    context = {
        "meeting": meeting,
        "panel": panel,
        "url": site_url("panels:meeting", pk=meeting.pk),
    }
    body = render_to_string("panels/email/meeting_invitation.txt", context)
    sent = 0
    for person in people:
        # Notify sends no calendar files: its email links to the meeting page.
        sent += email_send(
            kind="panel_meeting_invitation",
            to=person.email,
            subject=_("Learning panel meeting: %(title)s") % {"title": panel.title},
            body=body,
            recipient_id=person.pk,
            fields={"url": context["url"]},
            attachments=[("meeting.ics", calendar, "text/calendar; method=REQUEST")],
        )
    return sent


def member_added_notify(*, member_id: int) -> int:
    member = (
        PanelMember.objects.select_related("panel", "user").filter(pk=member_id).first()
    )
    if member is None or not member.user.is_active:
        return 0
    context = {
        "panel": member.panel,
        "url": site_url("panels:detail", pk=member.panel_id),
    }
    return email_send(
        kind="panel_member_added",
        to=member.user.email,
        subject=_("You have been added to a learning panel"),
        body=render_to_string("panels/email/member_added.txt", context),
        recipient_id=member.user_id,
        fields={"url": context["url"]},
    )


def disseminated_notify(*, item_id: int) -> int:
    """Tell the panel's members that its learning is in the library."""
    item = LearningItem.objects.select_related("panel").filter(pk=item_id).first()
    if item is None:
        return 0
    people = list(
        item.panel.members.filter(user__is_active=True).values_list(
            "user_id", "user__email"
        )
    )
    context = {"item": item, "url": site_url("panels:learning_detail", pk=item.pk)}
    body = render_to_string("panels/email/disseminated.txt", context)
    subject = _("New learning from a panel you sit on")
    sent = 0
    for pk, email in people:
        sent += email_send(
            kind="learning_disseminated",
            to=email,
            subject=subject,
            body=body,
            recipient_id=pk,
            fields={"url": context["url"]},
        )
    return sent


def _claim_week(user: User, kind: str, week) -> bool:
    """Record this week's email to the person; False if it was already sent."""
    try:
        with transaction.atomic():
            WeeklyEmail.objects.create(user=user, kind=kind, week=week)
    except IntegrityError:
        return False
    return True


WEEKLY_EMAIL_KINDS = {
    WeeklyEmail.Kind.ACTION_REMINDER: "panel_action_reminder",
    WeeklyEmail.Kind.LEARNING_DIGEST: "learning_digest",
}


def _send_weekly(user: User, kind: str, week, subject: str, template: str, context):
    if not _claim_week(user, kind, week):
        return 0
    try:
        return email_send(
            kind=WEEKLY_EMAIL_KINDS[kind],
            to=user.email,
            subject=subject,
            body=render_to_string(template, context),
            recipient_id=user.pk,
        )
    except OSError:
        # Not sent: let the next run try again this week.
        WeeklyEmail.objects.filter(user=user, kind=kind, week=week).delete()
        raise


def _reminder_recipients(actions) -> dict[User, list[Action]]:
    members = defaultdict(list)
    for seat in PanelMember.objects.filter(
        panel_id__in={a.panel_id for a in actions}, user__is_active=True
    ).select_related("user"):
        members[(seat.panel_id, seat.agency_id)].append(seat.user)
    by_person = defaultdict(list)
    for action in actions:
        owners = (
            [action.owner]
            if action.owner
            else members[(action.panel_id, action.owner_agency_id)]
        )
        for person in {*owners, action.panel.chair}:
            if person.is_active:
                by_person[person].append(action)
    return by_person


def action_reminders_send(*, today=None) -> int:
    """Remind owners and chairs of actions due within a fortnight or overdue:
    one email per person per week."""
    today = today or timezone.localdate()
    actions = list(
        Action.objects.exclude(status=Action.Status.COMPLETE)
        .filter(due_on__lte=today + timedelta(days=REMIND_DAYS_AHEAD))
        .exclude(panel__status="closed")
        .select_related("panel__chair", "owner", "owner_agency")
        .order_by("due_on", "id")
    )
    sent = 0
    for person, theirs in _reminder_recipients(actions).items():
        context = {
            "person": person,
            "overdue": [a for a in theirs if a.due_on < today],
            "due": [a for a in theirs if a.due_on >= today],
            "site": settings.SITE_URL.rstrip("/"),
        }
        sent += _send_weekly(
            person,
            WeeklyEmail.Kind.ACTION_REMINDER,
            week_of(today),
            _("Learning panel actions due or overdue"),
            "panels/email/action_reminder.txt",
            context,
        )
    return sent


def learning_digests_send(*, today=None) -> int:
    """Each subscriber's weekly digest of learning disseminated in the last
    week on the themes they follow (only what they may read)."""
    from panels.selectors import visible_learning

    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=7)
    subscribers = User.objects.filter(
        is_active=True,
        pk__in=ThemeSubscription.objects.values("user_id"),
    ).prefetch_related("groups")
    sent = 0
    for user in subscribers:
        themes = ThemeSubscription.objects.filter(user=user).values("theme_id")
        items = list(
            visible_learning(user=user)
            .filter(disseminated_at__gte=since, themes__in=themes)
            .distinct()
            .order_by("-disseminated_at")
        )
        if not items:
            continue
        context = {"items": items, "site": settings.SITE_URL.rstrip("/")}
        sent += _send_weekly(
            user,
            WeeklyEmail.Kind.LEARNING_DIGEST,
            week_of(today),
            _("New learning on the themes you follow"),
            "panels/email/learning_digest.txt",
            context,
        )
    return sent


def impact_checks_ask(*, today=None) -> int:
    """Ask each due impact check's owner, once, whether practice changed."""
    today = today or timezone.localdate()
    checks = ImpactCheck.objects.filter(
        due_on__lte=today, asked_at__isnull=True, answered_at__isnull=True
    ).select_related("action__owner", "action__panel__chair")
    asked = 0
    for check in checks:
        claimed = ImpactCheck.objects.filter(pk=check.pk, asked_at__isnull=True).update(
            asked_at=timezone.now()
        )
        if not claimed:
            continue
        action = check.action
        people = {action.owner or action.panel.chair}
        people |= set(
            User.objects.filter(
                Q(
                    panel_seats__panel=action.panel_id,
                    panel_seats__agency=action.owner_agency_id,
                    panel_seats__removed_at__isnull=True,
                ),
                is_active=True,
            )
        )
        context = {"check": check, "url": site_url("panels:impact_check", pk=check.pk)}
        body = render_to_string("panels/email/impact_check.txt", context)
        for person in people:
            asked += email_send(
                kind="impact_check",
                to=person.email,
                subject=_("Has practice changed? An impact check is due"),
                body=body,
                recipient_id=person.pk,
                fields={"url": context["url"]},
            )
    return asked

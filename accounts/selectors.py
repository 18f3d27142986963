from collections.abc import Iterator
from datetime import datetime, time, timedelta
from itertools import islice

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.audit_labels import details_text, with_labels
from accounts.models import AuditEvent, FailedNotification, User


def users_for_admin(*, status: str = "active", query: str = "") -> QuerySet[User]:
    users = User.objects.select_related("organisation").prefetch_related("groups")
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "deactivated":
        users = users.filter(is_active=False)
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return users.order_by("full_name", "email")


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    *, action: str = "", actor: str = "", date_from=None, date_to=None
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__email__iexact=actor.strip())
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to) + timedelta(days=1))
    return events.order_by("-at", "-id")


def audit_events_about(*, user: User) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.select_related("actor")
        .filter(
            Q(object_type=User._meta.label_lower, object_id=str(user.pk))
            | Q(actor=user)
        )
        .order_by("-at", "-id")
    )


def admin_summary() -> dict:
    day_ago = timezone.now() - timedelta(days=1)
    return {
        "active_users": User.objects.filter(is_active=True).count(),
        "pending_invitations": User.objects.filter(
            is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX
        ).count(),
        "failed_sign_ins": AuditEvent.objects.filter(
            at__gte=day_ago,
            action__in=[
                AuditEvent.Action.SIGN_IN_FAILED,
                AuditEvent.Action.SIGN_IN_LOCKED,
            ],
        ).count(),
    }


# How long a failed email stays on the administrators' home page.
FAILED_NOTIFICATION_DAYS = 7


def failed_notifications_recent(*, limit: int = 10) -> list:
    """The emails GOV.UK Notify refused in the last week, newest first."""
    since = timezone.now() - timedelta(days=FAILED_NOTIFICATION_DAYS)
    return list(
        FailedNotification.objects.filter(failed_at__gte=since).select_related(
            "recipient"
        )[:limit]
    )


AUDIT_COLUMNS = [
    "When (UTC)", "Who", "Roles", "Action", "Object type", "Object id",
    "IP address", "Outcome", "Details", "About",
]  # fmt: skip
LABEL_BATCH = 500


def _audit_row(event) -> list:
    return [
        event.at,
        event.actor.email if event.actor else "",
        event.roles,
        event.action_label,
        event.object_type,
        event.object_id,
        event.ip_address or "",
        event.get_outcome_display(),
        details_text(event.details),
        event.about_label,
    ]


def audit_rows(events: QuerySet[AuditEvent]) -> Iterator[list]:
    """The audit export's rows (UTC times), read a chunk at a time."""
    # Labels are looked up a batch at a time: one query per kind per batch.
    events = events.iterator(chunk_size=2000)
    while batch := list(islice(events, LABEL_BATCH)):
        yield from (_audit_row(event) for event in with_labels(batch))

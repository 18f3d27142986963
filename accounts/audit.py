"""The one way anything writes to the audit trail."""

from django.db import models

from accounts.models import AuditEvent

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome


def client_ip(request) -> str | None:
    """The client's address as django-axes resolves it (proxy-aware)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def audit_record(
    *,
    action: str,
    request=None,
    actor=None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    outcome: str = Outcome.OK,
    details: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """
    Append an audit event. `details` must hold structured facts, never free
    text. Work done after the request (a task) passes the actor and the
    address the request came from, so every row says who and from where.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    return AuditEvent.objects.create(
        actor=actor,
        roles=",".join(sorted(actor.roles)) if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip_address=ip_address or client_ip(request),
        outcome=outcome,
        details=details or {},
    )

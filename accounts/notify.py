"""
Every email the service sends goes through `email_send`. With GOV.UK Notify
configured (NOTIFY_API_KEY) each email is a Notify task sent after commit,
through the durable outbox; otherwise Django's email backend (SMTP, the
console) sends it at once, as the caller is already a task after commit.
"""

import uuid
from collections.abc import Sequence

from django.core import checks
from django.core.mail import EmailMessage

from sfoqa.email import notify_configured, notify_template_id
from sfoqa.outbox import send_after_commit

# Each kind of email has its own Notify template (NOTIFY_TEMPLATE_<KIND>).
# Every template gets `subject` and `body` (the text the service wrote),
# and the fields a caller adds (`url` where the email links to a page).
EMAIL_KINDS = (
    "invitation",
    "password_reset",
    "review_received",
    "review_allocated",
    "review_conflict",
    "review_version_receipt",
    "review_new_version",
    "review_document_infected",
    "consultation_receipt",
    "report_published",
    "assessment_returned",
    "panel_meeting_invitation",
    "panel_member_added",
    "learning_disseminated",
    "panel_action_reminder",
    "learning_digest",
    "impact_check",
)


def email_send(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    recipient_id: int | None = None,
    fields: dict | None = None,
    attachments: Sequence[tuple[str, str, str]] = (),
) -> int:
    """Send one email of a kind to one address; how many were sent (or queued)."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"Unknown kind of email: {kind}")
    if not notify_configured():
        message = EmailMessage(subject=subject, body=body, to=[to])
        for attachment in attachments:
            message.attach(*attachment)
        return message.send()
    from accounts.tasks import notify_send

    # Notify's own field limits: the reference names the message, not a person.
    personalisation = {"subject": subject, "body": body, **(fields or {})}
    reference = f"{kind}-{uuid.uuid4().hex}"
    send_after_commit(notify_send, kind, to, personalisation, reference, recipient_id)
    return 1


@checks.register(checks.Tags.compatibility)
def check_notify_templates(app_configs=None, **kwargs):
    """With Notify on, every kind of email must have its template."""
    if not notify_configured():
        return []
    missing = [kind for kind in EMAIL_KINDS if not notify_template_id(kind)]
    if not missing:
        return []
    names = ", ".join(f"NOTIFY_TEMPLATE_{kind.upper()}" for kind in missing)
    return [
        checks.Error(
            f"NOTIFY_API_KEY is set but these templates are not: {names}",
            id="accounts.E101",
        )
    ]

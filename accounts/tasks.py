import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import services
from accounts.audit import Action, Outcome, audit_record
from accounts.models import FailedNotification, User
from accounts.notify import email_send
from sfoqa.email import NotifyRejected, NotifyUnavailable, notify_email_send

logger = logging.getLogger(__name__)

# Notify down or rate-limiting: about 30 s, 1, 2, 4 ... minutes, up to an
# hour apart, for about a day in all.
NOTIFY_RETRIES = 30
NOTIFY_BACKOFF_SECONDS = 30


def set_password_url(user: User) -> str:
    path = reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@shared_task(
    name="accounts.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation(
    user_id: int, actor_id: int | None = None, ip_address: str | None = None
) -> None:
    """Email an invited user their set-password link (skipped once they have
    one); the audit row names who invited them and from where."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return
    context = {"user": user, "url": set_password_url(user)}
    email_send(
        kind="invitation",
        to=user.email,
        subject=_("You have been invited to SFO quality assurance"),
        body=render_to_string("accounts/email/invitation.txt", context),
        recipient_id=user.pk,
        fields={"url": context["url"]},
    )
    audit_record(
        action=Action.INVITATION_SENT,
        actor=User.objects.filter(pk=actor_id).first() if actor_id else None,
        ip_address=ip_address,
        target=user,
    )


@shared_task(name="accounts.purge_ended_sessions")
def purge_ended_sessions() -> int:
    return services.sessions_purge_ended()


def _notification_failed(kind, reference, recipient_id, status, error) -> None:
    logger.error(
        "Notify did not send %s email %s (recipient %s): %s %s",
        kind,
        reference,
        recipient_id,
        status,
        error,
    )
    recipient = User.objects.filter(pk=recipient_id).first() if recipient_id else None
    FailedNotification.objects.create(
        kind=kind,
        recipient=recipient,
        reference=reference,
        status_code=status,
        error=error[:300],
    )
    audit_record(
        action=Action.EMAIL_FAILED,
        outcome=Outcome.FAILED,
        object_type="email",
        object_id=reference,
        details={"kind": kind, "recipient": recipient_id, "status": status},
    )


@shared_task(name="accounts.notify_send", bind=True, max_retries=NOTIFY_RETRIES)
def notify_send(
    self,
    kind: str,
    email_address: str,
    personalisation: dict,
    reference: str,
    recipient_id: int | None = None,
) -> None:
    """Send one email through GOV.UK Notify: retried with backoff while Notify
    is down or rate-limiting, recorded as failed when it refuses the email."""
    try:
        notify_email_send(
            kind=kind,
            email_address=email_address,
            personalisation=personalisation,
            reference=reference,
        )
    except NotifyRejected as error:
        _notification_failed(
            kind, reference, recipient_id, error.status_code, error.message
        )
        return
    except NotifyUnavailable as error:
        if self.request.retries >= self.max_retries:
            _notification_failed(kind, reference, recipient_id, 0, str(error))
            return
        wait = get_exponential_backoff_interval(
            factor=NOTIFY_BACKOFF_SECONDS,
            retries=self.request.retries,
            maximum=3600,
            full_jitter=True,
        )
        raise self.retry(exc=error, countdown=wait) from error
    audit_record(
        action=Action.EMAIL_SENT,
        object_type="email",
        object_id=reference,
        details={"kind": kind, "recipient": recipient_id},
    )

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import services
from accounts.audit import Action, audit_record
from accounts.models import User


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
    send_mail(
        subject=_("You have been invited to SFO quality assurance"),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
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

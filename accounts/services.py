"""Every write to accounts that matters: users, roles, sessions, sign-in."""

from collections.abc import Iterable

from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import Action, audit_record, client_ip
from accounts.middleware import LAST_SEEN, SIGNED_IN_AT, session_cache_roles
from accounts.models import IdentityProviderDevice, Organisation, User, UserSession
from sfoqa.outbox import send_after_commit


def _set_roles(*, user: User, roles: Iterable[str]) -> dict:
    """Replace the user's roles; return what was added and removed."""
    before = set(user.groups.values_list("name", flat=True))
    after = set(roles)
    user.groups.set(Group.objects.filter(name__in=after))
    user.__dict__.pop("roles", None)
    # Every session's copy of the roles is stale from now on.
    User.objects.filter(pk=user.pk).update(roles_version=F("roles_version") + 1)
    return {"added": sorted(after - before), "removed": sorted(before - after)}


@transaction.atomic
def user_invite(
    *,
    by: User,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    roles: Iterable[str],
    request=None,
) -> User:
    """Create an account with no password and email a set-password link."""
    from accounts.tasks import send_invitation

    user = User.objects.create_user(
        email=email, full_name=full_name, organisation=organisation
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    changes = _set_roles(user=user, roles=roles)
    audit_record(action=Action.USER_INVITED, request=request, actor=by, target=user)
    audit_record(
        action=Action.ROLES_CHANGED,
        request=request,
        actor=by,
        target=user,
        details=changes,
    )
    send_after_commit(send_invitation, user.pk, by.pk, client_ip(request))
    return user


@transaction.atomic
def user_invitation_resend(*, by: User, user: User, request=None) -> None:
    """Email a fresh set-password link to a user who has not set a password."""
    from accounts.tasks import send_invitation

    if user.has_usable_password():
        raise ValidationError(_("This user has already set a password."))
    audit_record(action=Action.USER_INVITED, request=request, actor=by, target=user)
    send_after_commit(send_invitation, user.pk, by.pk, client_ip(request))


@transaction.atomic
def user_update(
    *,
    by: User,
    user: User,
    full_name: str,
    organisation: Organisation | None,
    roles: Iterable[str],
    request=None,
) -> User:
    """Change a user's name, organisation and roles."""
    changed = [
        name
        for name, value in (("full_name", full_name), ("organisation", organisation))
        if getattr(user, name) != value
    ]
    user.full_name = full_name
    user.organisation = organisation
    user.save(update_fields=["full_name", "organisation"])
    if changed:
        audit_record(
            action=Action.USER_CHANGED,
            request=request,
            actor=by,
            target=user,
            details={"fields": changed},
        )
    role_changes = _set_roles(user=user, roles=roles)
    if role_changes["added"] or role_changes["removed"]:
        if user == by and "admin" in role_changes["removed"]:
            raise ValidationError(_("You cannot remove your own administrator role."))
        audit_record(
            action=Action.ROLES_CHANGED,
            request=request,
            actor=by,
            target=user,
            details=role_changes,
        )
    return user


@transaction.atomic
def user_deactivate(*, by: User, user: User, request=None) -> None:
    """Stop a user signing in and end every session they have."""
    if user == by:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    keys = list(user.sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    user.sessions.all().delete()
    audit_record(
        action=Action.USER_DEACTIVATED,
        request=request,
        actor=by,
        target=user,
        details={"sessions_ended": len(keys)},
    )


@transaction.atomic
def user_reactivate(*, by: User, user: User, request=None) -> None:
    """Let a deactivated user sign in again."""
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    audit_record(action=Action.USER_REACTIVATED, request=request, actor=by, target=user)


@transaction.atomic
def sign_in_complete(
    *, request, user: User, device=None, details: dict | None = None
) -> None:
    """Start a signed-in session (a new session key) and record it."""
    login(request, user, backend="accounts.backends.UserBackend")
    if device is not None:
        otp_login(request, device)
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = (
        timezone.now().timestamp()
    )
    session_cache_roles(request)
    request.session.save()
    UserSession.objects.create(
        user=user,
        session_key=request.session.session_key,
        # Read with the session from now on, not again on every request.
        totp_device=device if isinstance(device, TOTPDevice) else None,
        provider_device=(
            device if isinstance(device, IdentityProviderDevice) else None
        ),
    )
    audit_record(action=Action.SIGN_IN, request=request, actor=user, details=details)


@transaction.atomic
def sign_in_with_provider(*, request, user: User) -> None:
    """Sign in an Inspectorate user whom the department's provider signed in,
    its multi-factor check standing in for the authenticator app."""
    device, _created = IdentityProviderDevice.objects.get_or_create(
        user=user, defaults={"name": _("Department sign-in"), "confirmed": True}
    )
    sign_in_complete(
        request=request,
        user=user,
        device=device,
        details={"method": "identity_provider"},
    )


@transaction.atomic
def second_factor_confirm(*, user: User, key: str, request=None) -> TOTPDevice:
    """Keep the authenticator the user has just proved they hold."""
    user.totpdevice_set.all().delete()
    device = TOTPDevice.objects.create(
        user=user, name=_("Authenticator app"), key=key, confirmed=True
    )
    audit_record(
        action=Action.SECOND_FACTOR_SET_UP, request=request, actor=user, target=user
    )
    return device


@transaction.atomic
def sign_out(*, request) -> None:
    """End the current session."""
    from django.contrib.auth import logout

    user = request.user
    if user.is_authenticated:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        audit_record(action=Action.SIGN_OUT, request=request, actor=user)
    logout(request)


@transaction.atomic
def sessions_purge_ended() -> int:
    """Forget session records whose session has expired or gone."""
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    live = Session.objects.values("session_key")
    deleted, _counts = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted

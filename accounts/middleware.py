from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.middleware import (
    SessionMiddleware as DjangoSessionMiddleware,
)
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from accounts.audit import Action, audit_record
from accounts.sessions import device_read_with_session


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, telling the session which page a read (GET or HEAD) asks
    for, so that what that page needs comes with the session
    (`accounts.sessions.read_along`). A request that may write reads
    nothing along: what it wrote would be missing from it."""

    def process_request(self, request):
        super().process_request(request)
        if request.method in ("GET", "HEAD"):
            request.session.page = request.path


SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# How stale the session's expiry may get before a request renews it: saving
# the session on every request costs a write per page, renewing once a
# minute keeps the idle timeout to within a minute.
RENEW_AFTER_SECONDS = settings.SESSION_RENEW_SECONDS


# The user's roles as [roles_version, [names]]: a page then needs no roles
# query. The copy counts only while the user's roles_version matches, so a
# change of roles applies from the very next request.
CACHED_ROLES = "roles"


def session_cache_roles(request) -> None:
    """Keep a copy of the user's roles in the session (saved after the view)."""
    user = request.user
    request.session[CACHED_ROLES] = [user.roles_version, sorted(user.roles)]


def session_renew(request) -> None:
    """Push the session's idle expiry forward (the session is saved after the
    view), refreshing the copy of the roles on the way."""
    request.session[LAST_SEEN] = timezone.now().timestamp()
    session_cache_roles(request)


def _use_cached_roles(request) -> None:
    """Take the roles from the session's copy, or refresh a missing or stale
    copy (a write only after sign-in or a change of roles)."""
    cached = request.session.get(CACHED_ROLES)
    if isinstance(cached, list) and len(cached) == 2:
        version, names = cached
        if version == request.user.roles_version:
            # Where it takes the place of the cached_property.
            request.user.roles = frozenset(names)
            return
    session_cache_roles(request)


def _unwrapped(user):
    """The user itself, out of the lazy wrappers that the authentication and
    two-factor middleware put round it (each evaluated by now). Every read
    through a wrapper raises and catches an AttributeError and looks again,
    and a page reads its user a few hundred times."""
    while isinstance(user, LazyObject):
        user = user._wrapped
    return user


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, taking the device that verified the sign-in
    from the session's own read (accounts.sessions) where it is the device
    the session names, rather than reading it again; any other device is
    read as django-otp reads it. Either way django-otp then checks that the
    device is the user's and confirmed."""

    def _device_from_persistent_id(self, persistent_id: str):
        device = device_read_with_session(self._normalize_persistent_id(persistent_id))
        if device is not None:
            return device
        return super()._device_from_persistent_id(persistent_id)


class SessionLimitsMiddleware:
    """
    End a session that has passed the absolute limit, or that never gave a
    second factor where one is required, and renew the idle expiry of the
    others. The idle limit itself is the session's expiry date. A read writes
    nothing: the session is saved at most once a minute, by the renewal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            request.user = user = _unwrapped(user)
            if self._must_end(request):
                audit_record(action=Action.SESSION_EXPIRED, request=request, actor=user)
                logout(request)
                messages.info(request, _("You have been signed out. Sign in again."))
            elif self._stale(request):
                # Read afresh once a minute, so that even a change of groups
                # made around the services reaches every session.
                session_renew(request)
            else:
                _use_cached_roles(request)
        return self.get_response(request)

    def _must_end(self, request) -> bool:
        started = request.session.get(SIGNED_IN_AT)
        if started is None:
            return True
        age = timezone.now().timestamp() - started
        if age > settings.SESSION_ABSOLUTE_SECONDS:
            return True
        return settings.REQUIRE_2FA and not request.user.is_verified()

    def _stale(self, request) -> bool:
        last_seen = request.session.get(LAST_SEEN, 0)
        return timezone.now().timestamp() - last_seen >= RENEW_AFTER_SECONDS

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record

SIGNED_IN_AT = "signed_in_at"


class SessionLimitsMiddleware:
    """
    End a session that has passed the absolute limit, or that never gave a
    second factor where one is required. The idle limit needs no code: the
    session cookie lasts SESSION_IDLE_SECONDS and every request renews it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and self._must_end(request):
            audit_record(action=Action.SESSION_EXPIRED, request=request, actor=user)
            logout(request)
            messages.info(request, _("You have been signed out. Sign in again."))
        return self.get_response(request)

    def _must_end(self, request) -> bool:
        started = request.session.get(SIGNED_IN_AT)
        if started is None:
            return True
        age = timezone.now().timestamp() - started
        if age > settings.SESSION_ABSOLUTE_SECONDS:
            return True
        return settings.REQUIRE_2FA and not request.user.is_verified()

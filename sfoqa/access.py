"""
The URL access policy: for every URL name, who may GET it and who may POST
to it. This table is the only place that says so; the middleware below
enforces it before any view runs, and the tests walk every URL pattern
against it.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed

from accounts.roles import Role

logger = logging.getLogger(__name__)

PUBLIC = "public"
SIGNED_IN = "signed_in"
NOBODY: frozenset = frozenset()

ADMIN = frozenset({Role.ADMIN})
LEADS = frozenset({Role.LEAD_INSPECTOR, Role.ADMIN})


@dataclass(frozen=True)
class Allow:
    """Who may GET and who may POST: PUBLIC, SIGNED_IN or a set of roles."""

    get: str | frozenset = NOBODY
    post: str | frozenset = NOBODY

    def audience(self, method: str):
        if method in ("GET", "HEAD"):
            return self.get
        if method == "POST":
            return self.post
        return NOBODY

    def methods(self) -> list[str]:
        return [m for m, who in (("GET", self.get), ("POST", self.post)) if who]


ACCESS: dict[str, Allow] = {
    # Public pages.
    "healthz": Allow(get=PUBLIC),
    "pages:accessibility": Allow(get=PUBLIC),
    "pages:privacy": Allow(get=PUBLIC),
    "pages:cookies": Allow(get=PUBLIC),
    # Signing in and out.
    "accounts:sign_in": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:two_factor_setup": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:two_factor_verify": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:sign_out": Allow(post=PUBLIC),
    "accounts:timed_out": Allow(get=PUBLIC),
    "accounts:keep_alive": Allow(post=SIGNED_IN),
    "accounts:password_reset": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:password_reset_sent": Allow(get=PUBLIC),
    "accounts:password_set": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:password_set_done": Allow(get=PUBLIC),
    # Every signed-in user.
    "home": Allow(get=SIGNED_IN),
    # Administrators.
    "accounts:user_list": Allow(get=ADMIN),
    "accounts:user_invite": Allow(get=ADMIN, post=ADMIN),
    "accounts:user_detail": Allow(get=ADMIN),
    "accounts:user_edit": Allow(get=ADMIN, post=ADMIN),
    "accounts:user_deactivate": Allow(get=ADMIN, post=ADMIN),
    "accounts:user_reactivate": Allow(post=ADMIN),
    "accounts:user_resend_invitation": Allow(post=ADMIN),
    "accounts:audit_log": Allow(get=ADMIN),
    "accounts:audit_export": Allow(get=ADMIN),
}

# Whole namespaces with one rule. Django admin checks its own rights too.
NAMESPACES: dict[str, Allow] = {
    "admin": Allow(get=ADMIN, post=ADMIN),
}


def rule_for(view_name: str) -> Allow | None:
    if view_name in ACCESS:
        return ACCESS[view_name]
    return NAMESPACES.get(view_name.split(":", 1)[0]) if ":" in view_name else None


def is_allowed(user, audience) -> bool:
    if audience == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if audience == SIGNED_IN:
        return True
    return user.has_role(*audience)


class AccessPolicyMiddleware:
    """Enforce ACCESS before any view runs. Unknown URL names are refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name
        rule = rule_for(view_name)
        if rule is None:
            logger.error("No access rule for URL name %r: refused.", view_name)
            raise PermissionDenied
        audience = rule.audience(request.method)
        if not audience:
            return HttpResponseNotAllowed(rule.methods())
        if is_allowed(request.user, audience):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        from accounts.audit import Action, Outcome, audit_record

        audit_record(
            action=Action.PERMISSION_REFUSED,
            request=request,
            object_type="url",
            object_id=view_name[:64],
            outcome=Outcome.REFUSED,
            details={"method": request.method},
        )
        raise PermissionDenied

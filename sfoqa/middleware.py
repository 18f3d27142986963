from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.http import http_date

NEVER_STORE = "no-store, no-cache, must-revalidate, private"


class NoStoreForSignedInMiddleware:
    """Keep pages shown to signed-in users out of every cache, browser included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # As Django's add_never_cache_headers, set outright rather than
            # merged with what a view set (which it would only outdo).
            if "Expires" not in response:
                response["Expires"] = http_date()
            response["Cache-Control"] = NEVER_STORE
        return response


class RefuseNulMiddleware:
    """Answer 400 to a query string holding a NUL: no text has one, and
    PostgreSQL refuses it in a query, which would otherwise be a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL in the query string")
        return self.get_response(request)


# What a view's decorators from csp.decorators leave on its response.
_POLICY_CHANGES = tuple(
    f"_csp_{change}{ro}"
    for change in ("exempt", "config", "update", "replace")
    for ro in ("", "_ro")
)
# In the policy's place of the nonce until a response puts its own there
# (letters only: nothing in a policy looks like it).
_NONCE_PLACE = "noncedrawnforthisresponse"


@cache
def _policy(with_nonce: bool) -> str:
    """The settings' policy, built once a process, with the place of a nonce."""
    return build_policy(nonce=_NONCE_PLACE if with_nonce else None)


@receiver(setting_changed)
def _forget_policy(*, setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's, building the settings' policy once a process rather than
    for every response: the same text each time but for the page's nonce.
    A response whose view changed its policy (csp.decorators), a report-only
    policy or excluded prefixes in the settings, or debug mode, leave the
    work to django-csp, as it would be without this."""

    def process_response(self, request, response):
        if (
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.DEBUG
            or any(hasattr(response, change) for change in _POLICY_CHANGES)
            or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        policy = _policy(nonce is not None)
        if policy and HEADER not in response:
            response[HEADER] = policy.replace(_NONCE_PLACE, nonce or "")
        if nonce is None:
            # As django-csp does: a nonce asked for after the header is set
            # would be in no policy, so asking raises rather than give one.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

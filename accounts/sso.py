"""
Staff single sign-on: Inspectorate staff sign in with their department's
OpenID Connect provider (Microsoft Entra ID, for example). The provider's
own multi-factor sign-in stands in for the authenticator app; roles stay
the service's own. Nobody gets an account by signing in: an address the
service does not know is told to ask an administrator.
"""

import time

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts import services
from accounts.audit import Action, Outcome, audit_record
from accounts.models import Organisation, User
from accounts.views import _safe_next

# The endpoints the discovery document gives, when not set one by one.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}
DISCOVERY_SECONDS = 3600
# Clocks differ a little between the provider and the service.
LEEWAY_SECONDS = 60
_discovered: dict[str, tuple[float, dict]] = {}


class SignInRefused(Exception):
    """The department's sign-in did not let this person in, and why."""

    def __init__(self, reason: str, user: User | None = None):
        super().__init__(reason)
        self.reason = reason
        self.user = user


def sso_configured() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def _discovery(url: str) -> dict:
    fetched_at, document = _discovered.get(url, (None, {}))
    # Not "now - 0": the monotonic clock starts near zero when a machine boots.
    if fetched_at is None or time.monotonic() - fetched_at > DISCOVERY_SECONDS:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        _discovered[url] = (time.monotonic(), document)
    return document


def oidc_setting(attr, *args):
    """A setting, taking an unset endpoint from the discovery document."""
    value = import_from_settings(attr, *args)
    if attr in DISCOVERED and not value and settings.OIDC_OP_DISCOVERY_URL:
        value = _discovery(settings.OIDC_OP_DISCOVERY_URL).get(DISCOVERED[attr], "")
    return value


def claimed_email(claims: dict) -> str:
    """Entra ID gives the address as `email` or, for work accounts, as the
    user principal name in `preferred_username`."""
    return str(claims.get("email") or claims.get("preferred_username") or "").lower()


def is_inspectorate_staff(user: User) -> bool:
    organisation = user.organisation
    return organisation is not None and (
        organisation.kind == Organisation.Kind.HMI_PROBATION
    )


class StaffSignInBackend(OIDCAuthenticationBackend):
    """Check the provider's id_token fully and find the staff member it names."""

    get_settings = staticmethod(oidc_setting)

    def _verify_jws(self, payload, key):
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=oidc_setting("OIDC_OP_ISSUER"),
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused("expired") from error
        except jwt.InvalidAudienceError as error:
            raise SignInRefused("audience") from error
        except jwt.InvalidIssuerError as error:
            raise SignInRefused("issuer") from error
        except jwt.InvalidSignatureError as error:
            raise SignInRefused("signature") from error
        except jwt.InvalidTokenError as error:
            raise SignInRefused("token") from error

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:
            # A nonce that is not this sign-in's: a token replayed from another.
            reason = "nonce" if "Nonce" in str(error) else "signature"
            raise SignInRefused(reason) from error
        except jwt.PyJWTError as error:
            raise SignInRefused("token") from error
        except requests.RequestException as error:
            raise SignInRefused("provider") from error

    def get_token(self, payload):
        try:
            return super().get_token(payload)
        except requests.RequestException as error:
            raise SignInRefused("provider") from error

    def get_or_create_user(self, access_token, id_token, payload):
        email = claimed_email(payload)
        user = User.objects.filter(email=email).first() if email else None
        if user is None:
            raise SignInRefused("unknown")
        if not user.is_active:
            raise SignInRefused("inactive", user)
        if not is_inspectorate_staff(user):
            raise SignInRefused("not_staff", user)
        return user


class StaffSignInStart(OIDCAuthenticationRequestView):
    """Send the browser to the department's provider, with state and nonce."""

    get_settings = staticmethod(oidc_setting)


# The page each refusal shows: (title, message).
REFUSALS = {
    "unknown": (
        _("Ask an administrator to add you"),
        _(
            "Your department signed you in, but there is no SFO quality assurance "
            "account for your email address. An administrator at HM Inspectorate "
            "of Probation needs to add you and give you a role."
        ),
    ),
    "not_staff": (
        _("Sign in with your email address and password"),
        _(
            "Signing in with a department's account is for HM Inspectorate of "
            "Probation staff. Sign in with your email address, password and "
            "authenticator app."
        ),
    ),
    "inactive": (
        _("Your account has been deactivated"),
        _("Ask an administrator if you still need to use the service."),
    ),
}
FAILED = (
    _("We could not sign you in with your department's account"),
    _(
        "Your department's sign-in could not be checked, or it has expired. "
        "Try signing in again. If this keeps happening, contact the service "
        "administrators."
    ),
)


def _callback_user(request) -> User:
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if state else None
    # The state is used once, whatever happens next: a replayed callback fails.
    request.session["oidc_states"] = states
    if entry is None:
        raise SignInRefused("state")
    if request.GET.get("error") or not request.GET.get("code"):
        raise SignInRefused("provider")
    backend = StaffSignInBackend()
    user = backend.authenticate(
        request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
    )
    if user is None:
        raise SignInRefused("token")
    return user


def _refused(request, refusal: SignInRefused):
    audit_record(
        action=Action.SIGN_IN_REFUSED,
        request=request,
        actor=refusal.user,
        outcome=Outcome.REFUSED,
        details={"reason": refusal.reason, "method": "identity_provider"},
    )
    title, message = REFUSALS.get(refusal.reason, FAILED)
    context = {
        "page_title": title,
        "message": message,
        "try_again": refusal.reason not in REFUSALS,
    }
    return render(request, "accounts/sign_in_refused.html", context, status=403)


def staff_sign_in(request):
    """Start signing in with the department's account."""
    if not sso_configured():
        raise Http404
    if request.user.is_authenticated:
        return redirect("home")
    return StaffSignInStart.as_view()(request)


def staff_sign_in_callback(request):
    """Where the department's provider sends the browser back."""
    if not sso_configured():
        raise Http404
    try:
        user = _callback_user(request)
    except SignInRefused as refusal:
        return _refused(request, refusal)
    next_url = request.session.pop("oidc_login_next", None)
    services.sign_in_with_provider(request=request, user=user)
    return redirect(_safe_next(request, next_url))

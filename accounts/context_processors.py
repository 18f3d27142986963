from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import is_allowed, rule_for
from accounts.middleware import RENEW_AFTER_SECONDS

# The service's main sections: (label, URL name). Each user sees those the
# access policy lets them open, so no rule is written twice.
NAVIGATION = [
    (_("Home"), "home"),
    (_("Reviews"), "reviews:list"),
    (_("Sampling"), "reviews:sample_round_list"),
    (_("Timeliness"), "reviews:timeliness"),
    (_("Your QA work"), "ratings:my_assessments"),
    (_("Moderation"), "ratings:moderation_queue"),
    (_("QA reports"), "ratings:published_list"),
    (_("Benchmarking"), "ratings:benchmark_list"),
    (_("Users"), "accounts:user_list"),
    (_("Audit log"), "accounts:audit_log"),
    (_("Consultations"), "consultations:staff_list"),
    (_("Learning panels"), "panels:list"),
    (_("Learning library"), "learning:library"),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False
    is_page: bool = False


# A page under a section the user cannot open (a lead inspector moderating
# under "Your QA work") belongs to the first of these that they can.
SECTION_FALLBACK = {
    "ratings:my_assessments": ["ratings:moderation_queue", "ratings:published_list"],
}


def _current_section(path: str, allowed: dict[str, str]) -> str | None:
    """The URL name of the one section this path belongs to, if any."""
    urls = {name: reverse(name) for _, name in NAVIGATION}
    matches = [
        name
        for name, url in urls.items()
        if path == url or (url != "/" and path.startswith(url))
    ]
    # Sampling lives under Reviews and Benchmarking under QA: the longest wins.
    best = max(matches, key=lambda name: len(urls[name]), default=None)
    for name in [best, *SECTION_FALLBACK.get(best, [])]:
        if name in allowed:
            return name
    return None


def _nav_items(request) -> list[NavItem]:
    allowed = {
        name: label
        for label, name in NAVIGATION
        if is_allowed(request.user, rule_for(name).get)
    }
    current = _current_section(request.path, allowed)
    items = []
    for name, label in allowed.items():
        url = reverse(name)
        is_current = name == current
        items.append(
            NavItem(label, url, current=is_current, is_page=request.path == url)
        )
    return items


def shell(request):
    # A request refused before authentication (a Host header not in
    # ALLOWED_HOSTS) still gets the error page, with no user to ask about.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_items": _nav_items(request) if signed_in else [],
        "two_factor_disabled": not settings.REQUIRE_2FA,
        # The server renews the expiry at most once a minute, so the page
        # counts from the earliest moment the session might end.
        "session_idle_seconds": (
            settings.SESSION_IDLE_SECONDS - RENEW_AFTER_SECONDS if signed_in else None
        ),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "service_contact_email": settings.SERVICE_CONTACT_EMAIL,
        # Inspectorate staff may sign in with their department's account.
        "staff_sign_in": bool(settings.OIDC_RP_CLIENT_ID),
    }

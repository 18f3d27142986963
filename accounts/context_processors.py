from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import PUBLIC, SIGNED_IN, rule_for
from sfoqa.links import url

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


def _allowed(roles: frozenset[str], name: str) -> bool:
    """What accounts.access.is_allowed answers for a signed-in user with
    these roles, from the roles alone."""
    audience = rule_for(name).get
    return audience in (PUBLIC, SIGNED_IN) or bool(roles.intersection(audience))


@lru_cache(maxsize=8)
def _section_urls(prefix: str) -> tuple[tuple[str, str], ...]:
    """Each section's URL name and URL, longest URL first (Sampling lives
    under Reviews and Benchmarking under QA: the longest match wins)."""
    sections = [(name, url(name)) for _, name in NAVIGATION]
    return tuple(sorted(sections, key=lambda section: -len(section[1])))


def _current_section(path: str, allowed: list[str]) -> str | None:
    """The URL name of the one section this path belongs to, if any."""
    best = next(
        (
            name
            for name, address in _section_urls(get_script_prefix())
            if path == address or (address != "/" and path.startswith(address))
        ),
        None,
    )
    for name in [best, *SECTION_FALLBACK.get(best, [])]:
        if name in allowed:
            return name
    return None


@lru_cache(maxsize=512)
def _navigation(
    language: str, prefix: str, roles: frozenset[str], current: str | None, page: bool
) -> SafeString:
    """The navigation's markup for one set of roles on one section: the
    same for everyone alike, so rendered once a process, not once a page."""
    items = [
        NavItem(label, url(name), current=name == current, is_page=page)
        for label, name in NAVIGATION
        if _allowed(roles, name)
    ]
    return render_to_string("includes/primary_navigation.html", {"nav_items": items})


def navigation(request) -> SafeString:
    """The service navigation for this user on this page."""
    roles = request.user.roles
    allowed = [name for _, name in NAVIGATION if _allowed(roles, name)]
    current = _current_section(request.path, allowed)
    # aria-current="page" on the section's own page, "true" below it.
    page = current is not None and request.path == url(current)
    return _navigation(get_language(), get_script_prefix(), roles, current, page)


def shell(request):
    # A request refused before authentication (a Host header not in
    # ALLOWED_HOSTS) still gets the error page, with no user to ask about.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "navigation": navigation(request) if signed_in else "",
        "two_factor_disabled": not settings.REQUIRE_2FA,
        "service_contact_email": settings.SERVICE_CONTACT_EMAIL,
        # Inspectorate staff may sign in with their department's account.
        "staff_sign_in": bool(settings.OIDC_RP_CLIENT_ID),
    }

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.middleware import RENEW_AFTER_SECONDS
from sfoqa.access import is_allowed, rule_for

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
    active: bool


def _nav_items(request) -> list[NavItem]:
    items = []
    for label, name in NAVIGATION:
        if not is_allowed(request.user, rule_for(name).get):
            continue
        url = reverse(name)
        here = request.path
        active = here == url if url == "/" else here.startswith(url)
        items.append(NavItem(label=label, url=url, active=active))
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
    }

"""
Hostile input in every place a request carries it: each URL pattern's
parameters, each list page's query string and each form's fields, as every
role and anonymous, by GET and POST. The service may refuse (400, 404, a
form error) but never answers with a server error.
"""

import itertools
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.urls.converters import IntConverter, PathConverter, SlugConverter
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.access import is_allowed, rule_for
from accounts.models import User
from accounts.roles import Role
from ratings.benchmarking import services as benchmark_services
from ratings.models import BenchmarkSession, Finding
from reviews.api import ReviewApiThrottle
from reviews.models import DocumentVersion
from tests.browser.catalogue import PAGES
from tests.conftest import ROLES, sign_in
from tests.ratings import benchmarking as benchmark_pages
from tests.ratings import pages as qa_pages
from tests.ratings.conftest import make_allocation
from tests.reviews import pages as review_pages
from tests.reviews.factories import hmpps_organisation

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
# Past what a signed 32-bit and a signed 64-bit integer column hold.
PAST_INT32 = str(2**31)
PAST_INT64 = str(2**63)

# Values a path converter can carry (reverse() drops those it refuses).
PATH_VALUES = {
    IntConverter: [HUGE, PAST_INT64, PAST_INT32, "0"],
    SlugConverter: [
        "standard-x",
        "standard-",
        "-",
        "standard--1",
        "standard-0",
        f"standard-{HUGE}",
        "overall-1",
        "x" * 300,
    ],
    PathConverter: [HUGE, "", "-1", "abc", "'\"", "é☃\u202e", "../..", "x" * 300],
}
ADMIN_VALUES = [HUGE, "abc", "'\""]
STRING_VALUES = ["'", '"><script>', "é☃\u202e", "x" * 300, "..", " ", "\x00"]

# Query and form values: negative, huge, not numbers, quotes, unicode, empty.
VALUES = [
    "-1",
    "0",
    HUGE,
    PAST_INT64,
    "abc",
    "1.5",
    "1e400",
    "'\"><",
    "é☃\u202e",
    "a\x00b",
    "",
    " 1 ",
]

# The GET parameters each list page reads (its filter form and its pages).
LIST_PARAMS = {
    "reviews:list": [
        "q",
        "region",
        "offence_category",
        "status",
        "year",
        "overdue",
        "sort",
        "page",
        "after",
        "before",
    ],
    "reviews:export": ["q", "region", "offence_category", "status", "year", "sort"],
    "reviews:timeliness": ["year"],
    "accounts:user_list": ["status", "q", "page"],
    "accounts:audit_log": ["action", "actor", "page"],
    "accounts:audit_export": ["action", "actor"],
    "consultations:response_list": ["channel", "audience", "theme", "page"],
    "reports:job_list": ["page"],
    "accounts:sign_in": ["next"],
    "accounts:two_factor_verify": ["next"],
    "reviews_api:list": ["limit", "offset", "format"],
}
# Every other GET page gets all of them at once, and Django admin's own.
ALL_PARAMS = sorted({p for ps in LIST_PARAMS.values() for p in ps} | {"p", "o", "e"})

# Posted values that look like numbers to the service: every hostile value.
NUMBER_FIELD = re.compile(
    r"lock_version|version|rating|number|year|month|day|page|percent|seed|_pk$|^pk$"
)
NUMBER_VALUES = [HUGE, PAST_INT64, "-1", "abc"]
# Fields to post to a POST-only URL that no page's form reaches.
BLIND_FIELDS = ["lock_version", "confirm", "reason", "review", "reviews", "users"]


# The inputs that crashed a page, one by one.


def test_removing_a_finding_with_a_garbled_lock_version_is_a_bad_request(
    inspector_client, users
):
    kwargs = qa_pages.a_draft_finding(users)
    url = reverse("ratings:finding_delete", kwargs=kwargs)
    response = inspector_client.post(url, {"lock_version": "abc"})
    assert response.status_code == 400
    assert "there is a problem with the request" in response.content.decode()
    assert Finding.objects.filter(pk=kwargs["finding_pk"]).exists()


@pytest.mark.parametrize("section", ["standard-x", "standard-", f"standard-{HUGE}"])
def test_autosave_of_a_section_that_does_not_exist_is_not_found(
    inspector_client, users, section
):
    live = qa_pages.a_draft(users)["pk"]
    benchmark = benchmark_pages.an_own_rating(users)["pk"]
    for name, pk in (
        ("ratings:autosave", live),
        ("ratings:benchmark_autosave", benchmark),
    ):
        url = reverse(name, kwargs={"pk": pk, "section": section})
        assert inspector_client.post(url, {"lock_version": "1"}).status_code == 404


@pytest.mark.parametrize("year", ["-1", "0", "99999999999", HUGE, "abc"])
def test_timeliness_for_a_year_it_does_not_offer_shows_the_latest(
    lead_inspector_client, year
):
    response = lead_inspector_client.get(reverse("reviews:timeliness"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == response.context["years"][0]


def test_a_review_list_page_past_any_list_is_not_a_server_error(
    lead_inspector_client,
):
    response = lead_inspector_client.get(reverse("reviews:list"), {"page": HUGE})
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unknown_host_gets_the_bad_request_page_without_a_session(
    settings, users, signed_in, django_assert_num_queries
):
    settings.ALLOWED_HOSTS = ["sfoqa.example.org"]
    client = Client(HTTP_HOST="attacker.example.net")
    if signed_in:
        sign_in(client, users[Role.INSPECTOR])
    # No query: neither the session nor the user is looked up.
    with django_assert_num_queries(0):
        response = client.get(reverse("home"))
    assert response.status_code == 400
    assert "there is a problem with the request" in response.content.decode()


# What the walks below found, one by one.


def test_a_theme_id_too_big_for_the_database_is_a_form_error(inspector_client, users):
    url = reverse("ratings:finding_add", kwargs=qa_pages.a_draft(users))
    response = inspector_client.post(url, {"themes": PAST_INT64, "lock_version": "1"})
    assert response.status_code == 200
    assert "themes" in response.context["form"].errors


def test_a_review_id_too_big_for_the_database_is_not_found(inspector_client):
    declare = reverse("reviews:conflict_declare", kwargs={"pk": PAST_INT64})
    start = reverse("ratings:start", kwargs={"review_pk": PAST_INT64})
    assert inspector_client.get(declare).status_code == 404
    assert inspector_client.post(start).status_code == 404


def test_finding_zero_is_not_found(inspector_client, users):
    kwargs = qa_pages.a_draft(users) | {"finding_pk": 0}
    url = reverse("ratings:finding_edit", kwargs=kwargs)
    assert inspector_client.get(url).status_code == 404


def test_the_data_admin_never_shows_an_authenticator_secret(admin_client, users):
    device = TOTPDevice.objects.get(user=users[Role.ADMIN])
    for pk, view in itertools.product([device.pk, HUGE], ("config", "qrcode")):
        url = f"{reverse('admin:index')}otp_totp/totpdevice/{pk}/{view}/"
        assert admin_client.get(url).status_code == 403


# The world: one set of objects in every state, and each URL's real arguments.


def _first_maker_per_name():
    makers = {}
    for _role, name, maker in PAGES:
        makers.setdefault(name, maker)
    return makers


def _extra_makers(users):
    """Real arguments for the URLs that have no page in the catalogue."""
    inspector = users[Role.INSPECTOR]
    open_session = benchmark_pages.an_open_session(users)
    session_review = BenchmarkSession.objects.get(**open_session).reviews.first()
    revealed = benchmark_pages.a_revealed_session(users)
    job = benchmark_services.benchmark_report_request(
        session=BenchmarkSession.objects.get(**revealed),
        by=users[Role.LEAD_INSPECTOR],
    )
    hmpps_review = review_pages.hmpps_review(users)
    draft_round = review_pages.draft_round(users)
    draft = qa_pages.a_draft_finding(users)
    own_rating = benchmark_pages.an_own_rating(users)
    consultation = {"pk": _consultation_pk(users)}
    return {
        "accounts:password_set": {
            "uidb64": urlsafe_base64_encode(force_bytes(inspector.pk)),
            "token": default_token_generator.make_token(inspector),
        },
        "accounts:user_reactivate": {"pk": inspector.pk},
        "accounts:user_resend_invitation": {"pk": inspector.pk},
        **{
            f"reports:{name}": {"pk": job.pk}
            for name in ("job_detail", "job_status", "job_download", "job_retry")
        },
        "ratings:start": {"review_pk": make_allocation(users).review_id},
        "ratings:finding_delete": draft,
        "ratings:autosave": {"pk": draft["pk"], "section": "standard-1"},
        "ratings:benchmark_report": revealed,
        "ratings:benchmark_start": {"pk": session_review.pk},
        "ratings:benchmark_document": {"pk": session_review.pk},
        "ratings:benchmark_autosave": own_rating | {"section": "standard-1"},
        "reviews:document": {
            "pk": DocumentVersion.objects.filter(review_id=hmpps_review["pk"])
            .first()
            .pk
        },
        "reviews:sample_round_add": draft_round,
        "reviews:sample_round_remove": draft_round,
        "reviews:sample_round_confirm": draft_round,
        "reviews:sample_round_export": draft_round,
        "reviews_api:detail": hmpps_review,
        "consultations:response_export_csv": consultation,
        "consultations:response_export_xlsx": consultation,
        "consultations:document": _public_document(users),
        "consultations:respond_check": _open_slug(users),
    }


def _consultation_pk(users):
    from tests.consultations.factories import a_consultation

    return a_consultation(users)["pk"]


def _public_document(users):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from consultations.models import Document
    from tests.consultations.factories import an_open_consultation_slug

    slug = an_open_consultation_slug(users)["slug"]
    # The factory names a file; put one there, so the download can be sent.
    default_storage.save("consultations/missing.pdf", ContentFile(b"%PDF-1.4\n"))
    return {"pk": Document.objects.filter(consultation__slug=slug).first().pk}


def _open_slug(users):
    from tests.consultations.factories import an_open_consultation_slug

    return an_open_consultation_slug(users)


@pytest.fixture
def world(users):
    """Each URL name's real keyword arguments, with the objects behind them."""
    hmpps = users[Role.HMPPS_SFO]
    hmpps.organisation = hmpps_organisation()
    hmpps.save(update_fields=["organisation"])
    made = {}  # one call per maker: several URLs share one
    kwargs = {}
    for name, maker in _first_maker_per_name().items():
        if maker not in made:
            made[maker] = maker(users)
        kwargs[name] = made[maker]
    return kwargs | _extra_makers(users)


# Walking the URLconf.


def _converters(pattern) -> dict:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return dict(converters)
    return dict.fromkeys(pattern.regex.groupindex)


def url_patterns(resolver=None, namespace="", outer=None):
    """Every named URL pattern as (view name, {parameter: converter})."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        params = (outer or {}) | _converters(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner, params)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", params


_PATTERNS: list = []


def all_patterns() -> list:
    if not _PATTERNS:
        _PATTERNS.extend(url_patterns())
    return _PATTERNS


def _hostile_values(converter, name) -> list[str]:
    if name.startswith("admin:"):
        return ADMIN_VALUES  # Django's own views: a sample is enough
    for kind, values in PATH_VALUES.items():
        if isinstance(converter, kind):
            return values
    return STRING_VALUES


def _default(param, converter, users):
    """A value for a parameter of a URL the world has no object for."""
    if isinstance(converter, IntConverter):
        return users[Role.INSPECTOR].pk
    return {"app_label": "accounts", "section": "standard-1"}.get(param, "1")


def _reverse(name, kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def hostile_urls(world, users):
    """(view name, URL, first?) with one parameter hostile at a time, the
    others real; first marks the most hostile value of each parameter."""
    for name, params in all_patterns():
        real = {
            param: world.get(name, {}).get(param, _default(param, conv, users))
            for param, conv in params.items()
        }
        for param, converter in params.items():
            for index, value in enumerate(_hostile_values(converter, name)):
                url = _reverse(name, real | {param: value})
                if url:
                    yield name, url, index == 0


def real_urls(world, users):
    """(view name, URL with real arguments) of every pattern that has one."""
    for name, _params in all_patterns():
        url = real_url(name, world, users)
        if url is not None:
            yield name, url


def real_url(name, world, users) -> str | None:
    params = dict(all_patterns())[name]
    return _reverse(
        name,
        {
            param: world.get(name, {}).get(param, _default(param, conv, users))
            for param, conv in params.items()
        },
    )


# Requests.


class Prober:
    """Send requests as every role, and keep what answered with a 5xx."""

    def __init__(self, users):
        self.users = users
        self.clients = {None: Client()} | {
            role: sign_in(Client(), users[role]) for role in ROLES
        }
        key = Token.objects.create(user=users[Role.HMPPS_SFO]).key
        self.api = Client(HTTP_AUTHORIZATION=f"Token {key}")
        self.failures: list[str] = []
        self.sent = 0

    def may(self, role, name, method) -> bool:
        user = self.users[role] if role else AnonymousUser()
        return is_allowed(user, rule_for(name).audience(method))

    def client(self, role, name) -> Client:
        if name.startswith("reviews_api:") and role == Role.HMPPS_SFO:
            return self.api
        return self.clients[role]

    def send(self, role, method, url, data=None):
        """One request in a savepoint, so a crash cannot spoil the next."""
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            name = ""
        client = self.client(role, name)
        self.sent += 1
        try:
            with transaction.atomic():
                response = client.generic(method, url, **_encoded(method, data))
        except Exception as error:
            self.failures.append(f"{role} {method} {url} {data!r}: {error!r}")
            return None
        if response.status_code >= 500 and name != "healthz":
            self.failures.append(
                f"{role} {method} {url} {data!r}: {response.status_code}"
            )
        if method == "POST":
            self._stay_signed_in(role, client)
        return response

    def _stay_signed_in(self, role, client):
        # A POST may sign the client out or deactivate its user: put it back.
        if role is None:
            return
        user = self.users[role]
        if "_auth_user_id" not in client.session or not (
            User.objects.filter(pk=user.pk, is_active=True).exists()
        ):
            User.objects.filter(pk=user.pk).update(is_active=True)
            sign_in(client, user)


def _encoded(method, data) -> dict:
    if method == "GET":
        return {"QUERY_STRING": urlencode(data or {}, doseq=True)}
    return {
        "data": urlencode(data or {}, doseq=True),
        "content_type": "application/x-www-form-urlencoded",
    }


@pytest.fixture
def prober(users, world, monkeypatch, settings):
    settings.SIGN_IN_IP_FAILURE_LIMIT = 1_000_000
    monkeypatch.setattr(ReviewApiThrottle, "allow_request", lambda *args: True)
    return Prober(users)


# What the roles send: hostile URL parameters.


def test_no_url_parameter_gives_a_server_error(prober, world, users):
    refused = set()
    for name, url, first in hostile_urls(world, users):
        for method in ("GET", "POST"):
            allowed = _roles_that_may(prober, name, method)
            for role in [None, *ROLES]:
                if role in allowed and (first or role == allowed[0]):
                    # One role gets every value; the others the worst.
                    prober.send(role, method, url)
                elif role not in allowed and (role, name, method) not in refused:
                    # Turned away before any view runs: once is enough.
                    refused.add((role, name, method))
                    prober.send(role, method, url)
    assert prober.sent > 500
    assert not prober.failures, "\n".join(prober.failures)


# What the roles send: hostile query strings.

# Every other page gets these few, in all the parameters at once.
FEW_VALUES = [HUGE, "'\"><\x00"]


def _roles_that_may(prober, name, method):
    return [role for role in [None, *ROLES] if prober.may(role, name, method)]


def test_no_query_parameter_gives_a_server_error(prober, world, users):
    for name, url in real_urls(world, users):
        roles = _roles_that_may(prober, name, "GET")
        for role in roles:
            if name in LIST_PARAMS and role == roles[0]:
                # One role gets every value in each parameter in turn.
                for param, value in itertools.product(LIST_PARAMS[name], VALUES):
                    prober.send(role, "GET", url, {param: value})
            elif name in LIST_PARAMS or (role == roles[0] and "admin:" not in name):
                for value in FEW_VALUES:
                    prober.send(role, "GET", url, dict.fromkeys(ALL_PARAMS, value))
            elif role == roles[0]:
                prober.send(role, "GET", url, dict.fromkeys(ALL_PARAMS, HUGE))
    assert prober.sent > 500
    assert not prober.failures, "\n".join(prober.failures)


# What the roles send: hostile form values, in every form each page shows.


class _Forms(HTMLParser):
    """The POST forms of a page: (action, {field name: its value})."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._fields = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields = {}
            self.forms.append((attrs.get("action") or "", self._fields))
        elif self._fields is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("file", "submit"):
            self._fields.setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "textarea":
            self._fields.setdefault(attrs["name"], "")
        elif tag == "select":
            self._select = attrs["name"]
        if tag == "option" and self._select:
            self._fields.setdefault(self._select, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def post_forms(response, page_url):
    parser = _Forms()
    parser.feed(response.content.decode(errors="replace"))
    for action, fields in parser.forms:
        fields.pop("csrfmiddlewaretoken", None)
        yield urljoin(page_url, action), fields


def mutations(fields: dict):
    """Each field hostile in turn, the others as the page sent them: fields
    that carry numbers get each number, every second other field one value."""
    for index, name in enumerate(fields):
        if NUMBER_FIELD.search(name) or fields[name].isdigit():
            values = NUMBER_VALUES
        elif index % 2 == 0:
            values = [VALUES[index % len(VALUES)]]
        else:
            values = []
        for value in values:
            yield fields | {name: value}


def _forms_for(prober, role, world, users):
    """Every POST form the role's pages show, and the POST-only URLs no page
    links to, each once."""
    forms = {}
    for name, url in real_urls(world, users):
        if prober.may(role, name, "GET") and not name.startswith("admin:"):
            response = prober.send(role, "GET", url)
            if response is not None and "html" in response.get("Content-Type", ""):
                for action, fields in post_forms(response, url):
                    forms.setdefault((urlsplit(action).path, tuple(fields)), fields)
    reached = {path for path, _names in forms}
    for name, url in real_urls(world, users):
        if prober.may(role, name, "POST") and url not in reached:
            forms[(url, ())] = dict.fromkeys(BLIND_FIELDS, "1")
    return forms


def test_no_posted_value_gives_a_server_error(prober, world, users):
    for role in [None, *ROLES]:
        for (action, _names), fields in _forms_for(prober, role, world, users).items():
            if action.startswith(reverse("admin:index")):
                # Django admin's own forms: one hostile post of each is enough.
                prober.send(role, "POST", action, dict.fromkeys(fields, HUGE))
                continue
            for data in mutations(fields):
                prober.send(role, "POST", action, data)
    assert prober.sent > 1000
    assert not prober.failures, "\n".join(prober.failures)


@pytest.mark.django_db
def test_a_nul_in_a_query_string_is_a_bad_request(admin_client):
    page = admin_client.get(reverse("accounts:user_list"), {"q": "a\x00b"})
    assert page.status_code == 400

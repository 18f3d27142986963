"""
The access policy against every URL: each URL name has a rule, and each
rule is what the running service does, for every role and for anonymous.
"""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AuditEvent, UserSession
from sfoqa.access import ACCESS, PUBLIC, is_allowed, rule_for
from tests.conftest import ROLES

# Sample arguments for URL patterns, by keyword ("pk" is an inspector's id).
SAMPLE_KWARGS = {
    "uidb64": "MQ",
    "token": "set-password-token",
    # Public consultation pages are addressed by slug.
    "slug": "sample-consultation",
    "number": 1,
    "section": "standard-1",
    "finding_pk": 1,
    "review_pk": 1,
}


def _params(pattern) -> set[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return set(converters)
    return set(pattern.regex.groupindex)


def url_patterns(resolver=None, namespace="", outer=frozenset()):
    """Every named URL pattern as (view name, the keyword arguments it takes)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        params = outer | _params(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner, params)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", params


def all_view_names():
    return (name for name, _params in url_patterns())


def test_every_url_pattern_has_an_access_rule():
    missing = sorted({name for name in all_view_names() if rule_for(name) is None})
    assert missing == []


def test_every_rule_names_a_real_url():
    names = set(all_view_names())
    assert sorted(set(ACCESS) - names) == []


URL_PARAMS = dict(url_patterns())


def _url(name, subject_pk):
    kwargs = {
        param: subject_pk if param == "pk" else SAMPLE_KWARGS[param]
        for param in URL_PARAMS[name]
    }
    return reverse(name, kwargs=kwargs)


CASES = [
    (name, method, role)
    for name in sorted(ACCESS)
    for method in ("GET", "POST")
    for role in [None, *ROLES]
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_the_view_enforces_its_rule(name, method, role, client_for, users, settings):
    settings.SIGN_IN_IP_FAILURE_LIMIT = 10_000
    client: Client = client_for(role)
    url = _url(name, subject_pk=users["inspector"].pk)
    response = client.generic(method, url, secure=False)
    audience = ACCESS[name].audience(method)
    sign_in_redirect = response.status_code == 302 and response.url.startswith(
        reverse("accounts:sign_in") + "?next="
    )
    if not audience:
        assert response.status_code == 405
    elif audience == PUBLIC or (role and is_allowed(users[role], audience)):
        assert response.status_code not in (403, 405)
        assert not sign_in_redirect
    elif role is None:
        assert sign_in_redirect
    else:
        assert response.status_code == 403


@pytest.mark.django_db
def test_django_admin_is_for_administrators_only(client_for):
    assert client_for("admin").get(reverse("admin:index")).status_code == 200
    assert client_for("lead_inspector").get(reverse("admin:index")).status_code == 403
    assert client_for(None).get(reverse("admin:index")).status_code == 302


# Tables a GET may write: the session itself, and the audit trail of refusals.
GET_MAY_WRITE = {Session, AuditEvent, UserSession}


def snapshot():
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model not in GET_MAY_WRITE and model._meta.managed
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_get_changes_the_database(role, client_for, users):
    client = client_for(role)
    subject = users["inspector"].pk
    before = snapshot()
    for name, rule in sorted(ACCESS.items()):
        if rule.get:
            client.get(_url(name, subject_pk=subject))
    assert snapshot() == before


@pytest.mark.django_db
def test_posts_need_a_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:sign_in"), {"email": "a@b.c", "password": "x"}
    )
    assert response.status_code == 403
    assert "your form could not be sent" in response.content.decode().lower()

"""
The access policy against every URL: each URL name has a rule, and each
rule is what the running service does, for every role and for anonymous.
"""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.access import ACCESS, PUBLIC, is_allowed, rule_for
from accounts.models import AuditEvent, UserSession
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
    "member_pk": 1,
    # The annual report's data pack format, year and the Exports page's names.
    "fmt": "xlsx",
    "year": 2024,
    "name": "assessments",
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


# Separation of duties: administrators run the service, lead inspectors the QA.


@pytest.mark.django_db
def test_administrators_neither_open_case_documents_nor_do_lead_inspectors_work(
    client_for, users
):
    from ratings.models import Assessment
    from tests.ratings import pages as qa_pages
    from tests.reviews.factories import ReviewFactory, add_document

    review = ReviewFactory(status="sampled")
    document = add_document(review)
    submitted = qa_pages.a_submitted(users)["pk"]
    signed_off = qa_pages.a_signed_off(users)["pk"]
    published = qa_pages.a_published(users)["pk"]
    admin = client_for("admin")
    refused = [
        ("reviews:document", {"pk": document.pk}),
        ("reviews:detail", {"pk": review.pk}),
        ("reviews:list", {}),
        ("reviews:allocate", {"pk": review.pk}),
        ("reviews:sample_round_new", {}),
        ("ratings:moderation_queue", {}),
        ("ratings:moderate", {"pk": submitted}),
        ("ratings:publish", {"pk": signed_off}),
        ("ratings:reopen", {"pk": published}),
        ("ratings:benchmark_create", {}),
    ]
    for name, kwargs in refused:
        url = reverse(name, kwargs=kwargs)
        assert admin.get(url).status_code == 403, name
        if ACCESS[name].post:
            assert admin.post(url, {"decision": "agree"}).status_code == 403, name
    assert Assessment.objects.get(pk=submitted).status == "submitted"
    assert admin.get(reverse("accounts:user_list")).status_code == 200
    assert admin.get(reverse("accounts:audit_log")).status_code == 200
    assert admin.get(reverse("consultations:staff_list")).status_code == 200


@pytest.mark.django_db
def test_object_rules_give_administrators_no_case_details_or_moderation(users):
    from django.http import Http404

    from ratings.permissions import get_assessment_to_moderate
    from reviews.models import Review
    from reviews.permissions import can_open_case_details, visible_reviews
    from tests.ratings import pages as qa_pages
    from tests.reviews.factories import ReviewFactory

    review = ReviewFactory()
    admin = users["admin"]
    assert not can_open_case_details(admin, review)
    assert not visible_reviews(admin, Review.objects.all()).exists()
    submitted = qa_pages.a_submitted(users)["pk"]
    with pytest.raises(Http404):
        get_assessment_to_moderate(admin, submitted)


@pytest.mark.django_db
def test_an_administrator_who_is_also_a_lead_holds_both_duties(client, make_user):
    from tests.conftest import sign_in

    both = sign_in(client, make_user("admin", "lead_inspector"))
    assert both.get(reverse("accounts:user_list")).status_code == 200
    assert both.get(reverse("ratings:moderation_queue")).status_code == 200
    assert both.get(reverse("reviews:sample_round_new")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api_schema", "api_docs"])
def test_only_hmpps_and_inspectorate_staff_read_the_api_description(name, client_for):
    for role in ("panel_member", "benchmark_participant"):
        assert client_for(role).get(reverse(name)).status_code == 403, role
    for role in ("hmpps_sfo", "inspector", "lead_inspector", "admin"):
        assert client_for(role).get(reverse(name)).status_code == 200, role


@pytest.mark.django_db
def test_a_post_only_address_opened_in_the_browser_explains_itself(
    lead_inspector_client,
):
    response = lead_inspector_client.get(
        reverse("insights:export_request", args=["assessments"])
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This page cannot be opened directly" in response.content.decode()

"""The parts of every page rendered once a process (sfoqa.fragments and the
service navigation): each page still gets its own CSRF token, the settings'
values and the navigation for its user and section."""

import re

import pytest
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.roles import Role
from sfoqa.fragments import TOKEN_PLACEHOLDER
from tests.conftest import sign_in
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
REVIEWS = reverse("reviews:list")
SIGN_OUT = reverse("accounts:sign_out")


def form_token(page: str, form: str) -> str:
    """The CSRF token in the first form after the pattern `form`."""
    found = re.search(form + r".*?</form>", page, re.S)
    assert found, f"no form after {form}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', found[0])
    assert token, f"no CSRF token in the form after {form}"
    return token[1]


def timeout_token(page: str) -> str:
    """The CSRF token in the timeout warning's sign-out form."""
    return form_token(page, r"<form[^>]*data-timeout-sign-out-form")


def navigation(page: str) -> str:
    found = re.search(r'<nav aria-label="Menu".*?</nav>', page, re.S)
    assert found, "no service navigation"
    return found[0]


def strict_client(user) -> Client:
    return sign_in(Client(enforce_csrf_checks=True), user)


def test_each_page_carries_its_own_token_in_the_timeout_form(
    lead_inspector_client,
):
    for path in (HOME, REVIEWS, HOME):
        page = lead_inspector_client.get(path).content.decode()
        assert TOKEN_PLACEHOLDER not in page
        assert len(timeout_token(page)) == 64


def test_the_timeout_forms_token_signs_out(users):
    lead = strict_client(users[Role.LEAD_INSPECTOR])
    admin = strict_client(users[Role.ADMIN])
    lead_token = timeout_token(lead.get(HOME).content.decode())
    admin_token = timeout_token(admin.get(HOME).content.decode())
    # Another person's token (from the same memo) is refused: it is this
    # request's, not the first page's.
    refused = lead.post(SIGN_OUT, {"csrfmiddlewaretoken": admin_token})
    assert refused.status_code == 403
    for client, token in ((lead, lead_token), (admin, admin_token)):
        response = client.post(SIGN_OUT, {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:sign_in")
        assert "_auth_user_id" not in client.session


def test_the_fragments_show_the_settings_of_the_moment(lead_inspector_client, settings):
    page = lead_inspector_client.get(HOME).content.decode()
    idle = settings.SESSION_IDLE_SECONDS - settings.SESSION_RENEW_SECONDS
    assert f'data-idle-seconds="{idle}"' in page
    assert f'href="mailto:{settings.SERVICE_CONTACT_EMAIL}"' in page
    settings.SESSION_IDLE_SECONDS = 45 * 60
    settings.SESSION_WARNING_SECONDS = 90
    settings.SERVICE_CONTACT_EMAIL = "qa-test@example.org"
    page = lead_inspector_client.get(HOME).content.decode()
    idle = 45 * 60 - settings.SESSION_RENEW_SECONDS
    assert f'data-idle-seconds="{idle}"' in page
    assert 'data-warning-seconds="90"' in page
    assert 'href="mailto:qa-test@example.org"' in page


def test_the_two_factor_banner_follows_the_setting(lead_inspector_client, settings):
    banner = 'id="two-factor-banner-title"'
    assert banner not in lead_inspector_client.get(HOME).content.decode()
    settings.REQUIRE_2FA = False
    assert banner in lead_inspector_client.get(HOME).content.decode()


def test_the_navigation_is_each_roles_own(client_for):
    users_link = f'href="{reverse("accounts:user_list")}"'
    # The admin's first, so a memo keyed on too little would hand it on.
    admin = navigation(client_for(Role.ADMIN).get(HOME).content.decode())
    inspector = navigation(client_for(Role.INSPECTOR).get(HOME).content.decode())
    assert users_link in admin and users_link not in inspector
    assert f'href="{REVIEWS}"' in inspector and f'href="{REVIEWS}"' not in admin


def test_the_current_section_is_the_page_or_above_it(lead_inspector_client):
    review = ReviewFactory()
    detail = reverse("reviews:detail", kwargs={"pk": review.pk})
    expected = [
        (REVIEWS, "page"),
        (detail, "true"),
        (REVIEWS, "page"),
        (detail, "true"),
    ]
    for path, current in expected:
        response = lead_inspector_client.get(path)
        assert response.status_code == 200
        nav = navigation(response.content.decode())
        assert f'href="{REVIEWS}" aria-current="{current}"' in nav
        assert nav.count("aria-current") == 1


def test_sampling_not_reviews_is_current_below_reviews(lead_inspector_client):
    sampling = reverse("reviews:sample_round_list")
    nav = navigation(lead_inspector_client.get(sampling).content.decode())
    assert f'href="{sampling}" aria-current="page"' in nav
    assert nav.count("aria-current") == 1


def test_public_pages_have_no_timeout_warning_or_navigation(
    lead_inspector_client, client
):
    lead_inspector_client.get(HOME)  # the fragments memoised, signed in
    page = client.get(reverse("consultations:list")).content.decode()
    assert "govuk-footer" in page and "govuk-phase-banner" in page
    assert 'id="timeout-warning"' not in page
    assert "govuk-service-navigation" not in page
    assert TOKEN_PLACEHOLDER not in page


def test_an_empty_form_is_rendered_for_its_own_address_and_token():
    from reviews.forms import AddToSampleForm
    from sfoqa.fragments import blank_form

    first = blank_form(AddToSampleForm, action="/first/", token="tokenone")
    second = blank_form(AddToSampleForm, action="/second/", token="tokentwo")
    again = blank_form(AddToSampleForm, action="/first/", token="tokenthree")
    assert 'action="/first/"' in first and 'value="tokenone"' in first
    assert 'action="/second/"' in second and 'value="tokentwo"' in second
    assert "/first/" not in second and "tokenone" not in again
    assert again.replace("tokenthree", "tokenone") == first
    assert TOKEN_PLACEHOLDER not in first + second + again
    assert 'name="reference"' in first and 'name="reason"' in first


def test_a_template_of_values_is_kept_for_each_set_of_values(lead_inspector_client):
    from sfoqa import fragments

    fragments._shown.clear()
    name = "insights/includes/home_inspector.html"
    counts = {"open": 3, "due_soon": 1, "overdue": 0, "returned": 0}
    first = fragments.shown(name, home=counts)
    assert fragments.shown(name, home=dict(counts)) == first
    assert len(fragments._shown) == 1
    later = fragments.shown(name, home={**counts, "open": 4})
    assert len(fragments._shown) == 2 and later != first
    assert ">3<" in first and ">4<" in later
    # 1 and True are equal as keys of a dict, but not as values shown.
    assert fragments._frozen({"n": 1}) != fragments._frozen({"n": True})
    # A value that cannot be part of a key is rendered each time.
    fragments.shown(name, home={**counts, "extra": {1, 2}.__iter__()})
    assert len(fragments._shown) == 2
    # The home page shows each role its own values through it.
    page = lead_inspector_client.get(HOME).content.decode()
    assert "Waiting to be sampled" in page and ">3<" not in page


def header_form_token(page: str) -> str:
    """The CSRF token in the header's sign-out form."""
    return form_token(page, r'<div class="moj-header">')


def test_the_header_shows_each_person_their_own_name_and_token(users):
    from sfoqa import fragments

    fragments._shown.clear()
    lead_user, admin_user = users[Role.LEAD_INSPECTOR], users[Role.ADMIN]
    lead_user.full_name = "Ann <b>O'Neil</b> & co"
    lead_user.save()
    lead, admin = strict_client(lead_user), strict_client(admin_user)
    first = lead.get(HOME).content.decode()
    again = lead.get(REVIEWS).content.decode()
    other = admin.get(HOME).content.decode()
    assert "Ann &lt;b&gt;O&#x27;Neil&lt;/b&gt; &amp; co" in first
    assert "<b>O'Neil</b>" not in first
    assert escape(admin_user.full_name) in other and "O&#x27;Neil" not in other
    # Each page its own token, never another's from the memo.
    tokens = [header_form_token(page) for page in (first, again, other)]
    assert len(set(tokens)) == 3 and all(len(t) == 64 for t in tokens)
    assert TOKEN_PLACEHOLDER not in first + again + other
    # One markup a name, whatever the page.
    headers = [k for k in fragments._shown._kept if k[0] == "includes/header.html"]
    assert len(headers) == 2
    # The header's token signs its own person out, and only them.
    refused = lead.post(SIGN_OUT, {"csrfmiddlewaretoken": tokens[2]})
    assert refused.status_code == 403
    response = lead.post(SIGN_OUT, {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302 and "_auth_user_id" not in lead.session


def test_a_name_that_looks_like_the_tokens_place_is_shown_as_it_is(users):
    lead_user = users[Role.LEAD_INSPECTOR]
    lead_user.full_name = f"A {TOKEN_PLACEHOLDER} B"
    lead_user.save()
    lead = strict_client(lead_user)
    page = lead.get(HOME).content.decode()
    assert f"A {TOKEN_PLACEHOLDER} B" in page
    assert len(header_form_token(page)) == 64


def test_a_page_with_no_person_has_neither_sign_in_nor_sign_out(client):
    from django.template.loader import render_to_string

    public = client.get(reverse("consultations:list")).content.decode()
    assert 'href="/sign-in/"' in public and "Sign out" not in public
    error = render_to_string("500.html")
    assert "moj-header__navigation" not in error
    assert "Sign in" not in error and "Sign out" not in error


def test_asset_addresses_are_statics_and_follow_the_settings(
    lead_inspector_client, settings
):
    page = lead_inspector_client.get(HOME).content.decode()
    assert f'<link rel="stylesheet" href="{static("sfoqa/app.css")}">' in page
    assert f'<script type="module" src="{static("sfoqa/init.mjs")}"' in page
    settings.STATIC_URL = "/assets-v2/"
    page = lead_inspector_client.get(HOME).content.decode()
    assert 'href="/assets-v2/sfoqa/app.css"' in page
    assert 'src="/assets-v2/sfoqa/init.mjs"' in page

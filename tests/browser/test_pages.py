"""Every page in the catalogue, as each role sees it, has no axe violations."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.browser.axe import violations
from tests.browser.catalogue import ERROR_PATHS, PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", [None, *Role])
def test_every_page_in_the_catalogue_passes_axe(
    role, page, live_server, users, sign_in_as
):
    if role:
        sign_in_as(users[role])
    paths = [
        reverse(name, kwargs=args(users)) for who, name, args in PAGES if who == role
    ]
    paths += [path for who, path in ERROR_PATHS if who == role]
    assert paths, "every role has at least one page in the catalogue"
    found = {}
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_function("() => document.body.classList.contains('js-enabled')")
        if problems := violations(page):
            found[path] = problems
    assert found == {}


def test_sign_in_errors_are_accessible_and_focus_the_summary(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter your email address" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert violations(page) == []

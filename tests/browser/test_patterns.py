"""GOV.UK patterns in the browser: a conditional reveal, and error summary
links that land on the input they are about."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.browser.axe import violations
from tests.ratings.pages import a_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_action_plan_question_appears_only_for_a_failing(
    page, live_server, users, sign_in_as
):
    pk = a_draft(users)["pk"]
    sign_in_as(users[Role.INSPECTOR])
    page.goto(live_server.url + reverse("ratings:finding_add", kwargs={"pk": pk}))
    question = page.get_by_role("group", name="Does the action plan address it?")
    assert not question.is_visible()
    page.get_by_label("Poor practice or failing").check()
    assert question.is_visible()
    page.get_by_label("Good practice").check()
    assert not question.is_visible()
    page.get_by_label("Poor practice or failing").check()
    assert violations(page) == []


def test_error_summary_links_land_on_the_first_radio(
    page, live_server, users, sign_in_as
):
    pk = a_draft(users)["pk"]
    sign_in_as(users[Role.INSPECTOR])
    page.goto(live_server.url + reverse("ratings:finding_add", kwargs={"pk": pk}))
    page.get_by_role("button", name="Save finding").click()
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name="Choose who the finding applies to").click()
    assert page.evaluate("document.activeElement.id") == "id_level_1"
    summary.get_by_role("link", name="Choose what kind of finding this is").click()
    assert page.evaluate("document.activeElement.id") == "id_kind_1"
    assert violations(page) == []

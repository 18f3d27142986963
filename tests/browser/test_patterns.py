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


def test_a_long_text_box_counts_down_the_characters_left(
    page, live_server, users, sign_in_as
):
    pk = a_draft(users)["pk"]
    sign_in_as(users[Role.INSPECTOR])
    page.goto(live_server.url + reverse("ratings:finding_add", kwargs={"pk": pk}))
    page.get_by_label("Finding", exact=True).fill("Risk not reviewed")
    page.get_by_text("You have 19,983 characters remaining").wait_for()
    page.get_by_label("Finding", exact=True).fill("x" * 20_005)
    page.get_by_text("You have 5 characters too many").wait_for()
    assert violations(page) == []


def test_the_conflict_description_is_asked_for_under_yes_only(
    page, live_server, users, sign_in_as
):
    from tests.ratings.conftest import make_allocation

    allocation = make_allocation(users)
    allocation.conflict = allocation.Conflict.PENDING
    allocation.save(update_fields=["conflict"])
    sign_in_as(users[Role.INSPECTOR])
    page.goto(
        live_server.url
        + reverse("reviews:conflict_declare", kwargs={"pk": allocation.review_id})
    )
    description = page.get_by_label("Describe the conflict of interest")
    assert not description.is_visible()
    page.get_by_label("Yes").check()
    assert description.is_visible()
    page.get_by_role("button", name="Confirm declaration").click()
    page.locator(".govuk-error-summary").get_by_role(
        "link", name="Enter a description of the conflict of interest"
    ).click()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    assert violations(page) == []

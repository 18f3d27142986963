"""The review document beside the rating form, and a newer version's banner."""

import pytest

from accounts.roles import Role
from ratings import services
from tests.browser.axe import violations
from tests.ratings.conftest import make_allocation
from tests.reviews.factories import add_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_inspector_reads_the_review_beside_the_form(
    page, live_server, users, sign_in_as
):
    assessment = services.assessment_start(allocation=make_allocation(users))
    add_document(assessment.review, number=2)
    sign_in_as(users[Role.INSPECTOR])

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/")
    banner = page.get_by_role("region", name="New version of the review")
    assert "you are rating version 1" in banner.inner_text()
    assert violations(page) == []

    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/standard/1/")
    toggle = page.get_by_role("button", name="Show the review beside the form")
    toggle.click()
    frame = page.locator("iframe.app-document-pane__frame")
    frame.wait_for()
    assert page.get_by_text("Cite page numbers like p. 12").is_visible()
    page.get_by_label("Go to page").fill("3")
    page.get_by_role("button", name="Go", exact=True).click()
    assert frame.get_attribute("src").endswith("/read/#page=3")
    form, document = page.locator("#main-form"), frame.bounding_box()
    assert document["x"] > form.bounding_box()["x"] + form.bounding_box()["width"]
    assert violations(page) == []

    # The next section opens with the review beside it too.
    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/overall/")
    assert page.locator("iframe.app-document-pane__frame").is_visible()
    page.get_by_role("button", name="Hide the review").click()
    assert not page.locator("iframe.app-document-pane__frame").is_visible()

    # A phone gets the link, not the side-by-side view.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/standard/1/")
    assert not toggle.is_visible()
    assert page.get_by_role("link", name="Open the review document").is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width == 375

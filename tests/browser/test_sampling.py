"""A lead draws a sample, discards it, draws it again with the same seed and
confirms it after being asked; the allocation form shows the case."""

import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from reviews.models import Review, SampleRound
from tests.browser.test_reviews import accessible, fill_date
from tests.reviews.factories import ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _selected(sample_round):
    return {e.review_id for e in sample_round.entries.all() if e.selected}


def _draw(page, live_server):
    today = timezone.localdate()
    page.goto(f"{live_server.url}/reviews/sampling/new/")
    fill_date(page, "period_start", (today.day, today.month, today.year - 1))
    fill_date(page, "period_end", (today.day, today.month, today.year))
    page.get_by_label("Random seed (optional)").fill("77")
    page.get_by_role("button", name="Draw the sample").click()
    page.get_by_role("heading", name="Sample round").wait_for()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_lead_discards_redraws_and_confirms_a_sample(
    page, live_server, users, sign_in_as, reference_data, width
):
    page.set_viewport_size({"width": width, "height": 900})
    for _ in range(15):
        ReviewFactory(received_on=timezone.localdate())
    sign_in_as(users[Role.LEAD_INSPECTOR])
    _draw(page, live_server)
    accessible(page)
    first = SampleRound.objects.get()
    page.locator("#strata summary").click()
    assert page.get_by_text("largest remainder").is_visible()

    page.get_by_role("link", name="Discard this draft").click()
    accessible(page)
    page.get_by_role("button", name="Yes, discard this draft").click()
    page.get_by_text("Draft discarded").wait_for()
    page.get_by_role("link", name="Draw again with seed 77").click()
    accessible(page)
    assert page.get_by_label("Random seed (optional)").input_value() == "77"
    page.get_by_role("button", name="Draw the sample").click()
    page.get_by_role("heading", name="Sample round").wait_for()
    second = SampleRound.objects.exclude(pk=first.pk).get()
    assert _selected(second) == _selected(first)

    page.get_by_role("link", name="Confirm the sample").click()
    page.get_by_role(
        "heading", name="Are you sure you want to confirm this sample?"
    ).wait_for()
    accessible(page)
    assert Review.objects.filter(status="sampled").count() == 0
    page.get_by_role("button", name="Yes, confirm the sample").click()
    page.get_by_text("Sample confirmed").wait_for()
    assert Review.objects.filter(status="sampled").count() == len(_selected(second))

    sampled = Review.objects.filter(status="sampled").first()
    page.goto(f"{live_server.url}/reviews/{sampled.pk}/allocate/")
    page.get_by_role("heading", name="The case").wait_for()
    accessible(page)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width
    unsampled = Review.objects.filter(status="not_sampled").first()
    page.goto(f"{live_server.url}/reviews/{unsampled.pk}/allocate/")
    page.get_by_role("heading", name="This review cannot be allocated").wait_for()
    assert re.search("is not sampled", page.content())
    accessible(page)

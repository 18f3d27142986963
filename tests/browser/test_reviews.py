"""An SFO review's journey: HMPPS sends it, a lead samples and allocates
it, the inspector declares no conflict and opens the document."""

import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from reviews.models import Allocation, Review
from tests.browser.axe import violations
from tests.reviews.factories import unique_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATES = {
    "offence_date": (1, 5, 2024),
    "charge_date": (3, 5, 2024),
    "first_court_date": (4, 5, 2024),
    "notification_date": (6, 5, 2024),
    "commissioned_date": (10, 5, 2024),
    "target_date": (10, 9, 2024),
    "submitted_date": (1, 9, 2024),
}


def fill_date(page, name, day):
    for part, value in enumerate(day):
        page.fill(f"#id_{name}_{part}", str(value))


def accessible(page):
    page.wait_for_function("() => document.body.classList.contains('js-enabled')")
    assert violations(page) == [], page.url


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/$"))


def send_review(page, tmp_path):
    page.get_by_role("link", name="Send an SFO review").click()
    accessible(page)
    page.get_by_label("HMPPS reference").fill("SFO-2026-0042")
    page.get_by_label("CRN of the person on probation").fill("x123456")
    page.get_by_label("Probation region").select_option(label="London")
    page.get_by_label("Probation delivery unit (PDU)").select_option(
        label="Camden and Islington (London)"
    )
    page.get_by_label("Offence category").select_option(label="Murder")
    page.get_by_label("Supervision at the time of the offence").select_option(
        label="Licence"
    )
    page.get_by_label("MAPPA category").select_option(label="Category 2")
    page.get_by_label("Risk of serious harm level").select_option(label="High")
    for name, day in DATES.items():
        fill_date(page, name, day)
    page.get_by_label("Reviewing manager").fill("Rita Reviewer")
    page.get_by_label("Countersigning manager").fill("Colin Countersign")
    page.get_by_label("Convicted of the SFO").check()
    page.locator("#id_family_meeting_offered_1").check()
    page.locator("#id_family_meeting_held_2").check()
    document = tmp_path / "sfo-review.pdf"
    document.write_bytes(unique_pdf("journey"))
    page.get_by_label("The SFO review").set_input_files(str(document))
    page.get_by_role("button", name="Send review").click()
    page.get_by_role("heading", name="Review received").wait_for()
    accessible(page)


def sample_everything(page):
    today = timezone.localdate()
    page.locator(".govuk-service-navigation").get_by_role(
        "link", name="Sampling"
    ).click()
    accessible(page)
    page.get_by_role("link", name="Draw a sample").click()
    accessible(page)
    fill_date(page, "period_start", (today.day, today.month, today.year - 1))
    fill_date(page, "period_end", (today.day, today.month, today.year))
    page.get_by_label("Target sample (percentage)").fill("100")
    page.get_by_label("Random seed (optional)").fill("42")
    page.get_by_role("button", name="Draw the sample").click()
    page.get_by_role("heading", name="Sample round").wait_for()
    assert "1 of 1 reviews (100.0%)" in page.content()
    accessible(page)
    page.get_by_role("link", name="Confirm the sample").click()
    page.get_by_role(
        "heading", name="Are you sure you want to confirm this sample?"
    ).wait_for()
    accessible(page)
    page.get_by_role("button", name="Yes, confirm the sample").click()
    page.get_by_text("Sample confirmed").wait_for()


def allocate(page, inspector):
    page.get_by_role("link", name="Allocate sampled reviews").click()
    accessible(page)
    page.get_by_role("link", name="Allocate SFO-2026-0042").click()
    accessible(page)
    page.get_by_label("Inspector").select_option(
        label=f"{inspector.full_name} (0 open)"
    )
    fill_date(page, "due_date", (1, 12, timezone.localdate().year + 1))
    page.get_by_role("button", name="Allocate review").click()
    page.get_by_text(f"SFO-2026-0042 allocated to {inspector.full_name}").wait_for()
    accessible(page)


def declare_and_open(page):
    page.locator(".govuk-service-navigation").get_by_role(
        "link", name="Reviews"
    ).click()
    accessible(page)
    page.get_by_role("link", name="SFO-2026-0042").click()
    accessible(page)
    assert page.get_by_role("link", name="sfo-review.pdf").count() == 0
    page.get_by_role("link", name="Declare any conflict of interest").click()
    accessible(page)
    page.get_by_label("No, I have no conflict of interest").check()
    page.get_by_role("button", name="Confirm declaration").click()
    page.get_by_text("Declaration recorded").wait_for()
    accessible(page)
    assert "X123456" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="sfo-review.pdf").click()
    assert download.value.suggested_filename == "sfo-review.pdf"


def test_a_review_goes_from_hmpps_to_an_inspector(
    page, live_server, users, sign_in_as, tmp_path, run_tasks_in_process
):
    # The virus scan and emails run in-process here, whatever REDIS_URL says;
    # the real worker is tested in tests/sfoqa and tests/reports.
    sign_in_as(users[Role.HMPPS_SFO])
    send_review(page, tmp_path)
    sign_out(page)

    sign_in_as(users[Role.LEAD_INSPECTOR])
    sample_everything(page)
    allocate(page, users[Role.INSPECTOR])
    sign_out(page)

    sign_in_as(users[Role.INSPECTOR])
    declare_and_open(page)
    review = Review.objects.get(hmpps_reference="SFO-2026-0042")
    assert review.status == Review.Status.ALLOCATED
    assert Allocation.objects.get(review=review).conflict == Allocation.Conflict.NONE

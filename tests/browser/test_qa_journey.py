"""The quality-assurance steps that had dead ends, in a real browser with axe."""

import re

import pytest

from accounts.roles import Role
from ratings import services
from ratings.models import Assessment, Finding
from tests.browser.axe import violations
from tests.ratings.conftest import make_allocation, rate_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accessible(page):
    assert violations(page) == [], page.url


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], page.url


def submitted(users):
    assessment = services.assessment_start(allocation=make_allocation(users))
    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment, by=users[Role.INSPECTOR],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    return Assessment.objects.get(pk=assessment.pk)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_lead_reaches_publish_from_the_moderation_page(
    page, live_server, users, sign_in_as, width
):
    page.set_viewport_size({"width": width, "height": 900})
    assessment = submitted(users)
    services.assessment_sign_off(assessment=assessment, by=users[Role.LEAD_INSPECTOR])
    reference = assessment.review.hmpps_reference
    sign_in_as(users[Role.LEAD_INSPECTOR])
    page.goto(f"{live_server.url}/quality-assurance/moderation/")
    accessible(page)
    no_sideways_scroll(page)
    page.get_by_role("link", name=f"Publish {reference}").click()
    page.get_by_role("heading", name="Publish the quality assurance report").wait_for()
    assert page.get_by_label(re.compile("published again")).count() == 0
    accessible(page)
    page.goto(f"{live_server.url}/reviews/{assessment.review_id}/")
    page.get_by_role("link", name=re.compile("quality assurance assessment")).click()
    page.get_by_role("link", name=re.compile(f"SFO review {reference}")).wait_for()
    accessible(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_submitted_section_reads_without_a_403(
    page, live_server, users, sign_in_as, width
):
    page.set_viewport_size({"width": width, "height": 900})
    assessment = submitted(users)
    sign_in_as(users[Role.INSPECTOR])
    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/")
    page.get_by_role("link", name="2. Overall judgements").click()
    page.get_by_text("so it cannot be changed").wait_for()
    assert page.get_by_role("button", name="Save and continue").count() == 0
    accessible(page)
    no_sideways_scroll(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_two_windows_conflict_and_the_writer_chooses_field_by_field(
    page, live_server, users, sign_in_as, width
):
    page.set_viewport_size({"width": width, "height": 900})
    assessment = services.assessment_start(allocation=make_allocation(users))
    sign_in_as(users[Role.INSPECTOR])
    url = f"{live_server.url}/quality-assurance/{assessment.pk}/standard/1/"
    other = page.context.new_page()
    page.goto(url)
    other.goto(url)
    other.get_by_label("Evidence for the rating").fill("Risk reviewed late (p.4)")
    other.get_by_role("button", name="Save as draft").click()
    other.get_by_text("Your changes have been saved").wait_for()
    page.get_by_label("Evidence for the rating").fill("Risk never reviewed (p.4)")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("heading", name="Someone else changed this assessment").wait_for()
    assert page.locator("mark.app-diff", has_text="never").count() == 1
    accessible(page)
    no_sideways_scroll(page)
    page.get_by_role("link", name=re.compile("Choose which version")).click()
    page.get_by_label("Merge them", exact=True).check()
    merged = page.get_by_label("The merged text, if you merge them")
    assert "Risk reviewed late (p.4)" in merged.input_value()
    merged.fill("Risk reviewed late and never after the arrest (p.4)")
    accessible(page)
    page.get_by_role("button", name="Save with these choices").click()
    page.get_by_text("Your changes have been saved").wait_for()
    row = assessment.standards.get(standard__number=1)
    assert row.evidence == "Risk reviewed late and never after the arrest (p.4)"


def test_findings_are_completed_and_unusual_ratings_are_flagged_at_the_top(
    page, live_server, users, sign_in_as
):
    assessment = services.assessment_start(allocation=make_allocation(users))
    rate_everything(assessment, ratings=(0, 0, 2, 2))
    Finding.objects.create(
        assessment=assessment, kind=Finding.Kind.LEARNING, text="A point",
        level=Finding.Level.TEAM,
    )  # fmt: skip
    sign_in_as(users[Role.INSPECTOR])
    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/findings/")
    page.get_by_role("button", name="I have recorded all findings").click()
    page.get_by_text("Findings marked as complete").wait_for()
    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/")
    assert page.locator("#findings-status").inner_text().strip() == "Completed"
    page.goto(f"{live_server.url}/quality-assurance/{assessment.pk}/check/")
    summary = page.locator(".govuk-error-summary")
    assert "two or more standards are Inadequate" in summary.inner_text()
    assert summary.bounding_box()["y"] < 600  # at the top, not below the page
    accessible(page)
    page.get_by_role("button", name="Submit for moderation").click()
    page.get_by_text("Confirm that you have checked these points").first.wait_for()
    page.get_by_label(re.compile("I have checked these points")).check()
    page.get_by_role("button", name="Submit for moderation").click()
    page.get_by_text("Assessment submitted for moderation").wait_for()

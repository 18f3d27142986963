"""A whole benchmarking session in a real browser, with axe on each page."""

import re

import pytest

from accounts.roles import Role
from ratings.models import Assessment, BenchmarkSession, Consensus
from reports.models import ReportJob
from tests.browser.test_quality_assurance import (
    accessible,
    rate_standard,
    sign_out,
    worker_if_redis,
)
from tests.factories import UserFactory
from tests.reviews.factories import ReviewFactory, add_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rate_a_review(page, ratings, overall, *, check=False):
    page.get_by_role("link", name="Benchmarking").first.click()
    if check:
        accessible(page)
    page.get_by_role("link", name="Spring benchmarking").click()
    if check:
        accessible(page)
    page.get_by_role("button", name="Start rating Review A").click()
    if check:
        accessible(page)
    page.get_by_role("link", name="1. Analysis of practice").click()
    if check:
        accessible(page)
    for rating in ratings:
        rate_standard(page, rating, f"{rating}: see p.4")
    if check:
        accessible(page)
    page.get_by_role("radio", name=overall, exact=True).check()
    page.get_by_label("Reasons for the overall rating").fill("Weighed overall")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Your rating of Review A").wait_for()
    if check:
        accessible(page)


def test_three_participants_rate_the_lead_reveals_agrees_and_reports(
    page, live_server, users, sign_in_as
):
    review = ReviewFactory()
    add_document(review)
    reviewer = UserFactory(
        roles=[Role.BENCHMARK_PARTICIPANT], full_name="Rhys Reviewer"
    )
    central_qa = UserFactory(roles=[Role.BENCHMARK_PARTICIPANT], full_name="Cara QA")
    inspector = users[Role.INSPECTOR]

    # The lead sets the session up.
    sign_in_as(users[Role.LEAD_INSPECTOR])
    page.get_by_role("link", name="Benchmarking").first.click()
    accessible(page)
    page.get_by_role("link", name="Create a session").click()
    page.get_by_label("Title").fill("Spring benchmarking")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Create the session").click()
    accessible(page)
    page.get_by_role("link", name="Add a review").click()
    accessible(page)
    page.get_by_label("Name of the review in the session").fill("Review A")
    page.get_by_label("A review HMPPS has sent").check()
    page.get_by_label("HMPPS reference of the received review").fill(
        review.hmpps_reference
    )
    page.get_by_role("button", name="Add the review").click()
    page.get_by_role("link", name="Add inspectors or existing participants").click()
    accessible(page)
    for person in (inspector, reviewer, central_qa):
        page.get_by_label(f"{person.full_name} ({person.email})").check()
    page.get_by_role("button", name="Add to the session").click()
    page.get_by_text("3 people added to the session").wait_for()
    sign_out(page)

    # Three participants rate, each on their own.
    sign_in_as(inspector)
    rate_a_review(page, ["Good", "Good", "Good", "Good"], "Good", check=True)
    sign_out(page)
    sign_in_as(reviewer)
    rate_a_review(page, ["Requires improvement", "Good", "Good", "Good"], "Good")
    sign_out(page)
    sign_in_as(central_qa)
    rate_a_review(
        page,
        ["Requires improvement", "Good", "Requires improvement", "Good"],
        "Requires improvement",
    )
    sign_out(page)
    assert Assessment.objects.filter(session_review__isnull=False).count() == 3

    # The lead reveals, records a consensus and makes the report.
    with worker_if_redis():
        sign_in_as(users[Role.LEAD_INSPECTOR])
        page.get_by_role("link", name="Benchmarking").first.click()
        page.get_by_role("link", name="Spring benchmarking").click()
        page.get_by_role("link", name="Reveal the ratings").click()
        accessible(page)
        page.get_by_label("With participants' names").check()
        page.get_by_role("button", name="Reveal the ratings").click()
        page.get_by_text("Ratings revealed and locked").wait_for()
        accessible(page)
        page.get_by_role("link", name="Review A").click()
        accessible(page)
        assert page.get_by_role(
            "img", name=re.compile("1. Analysis of practice")
        ).is_visible()
        page.get_by_role(
            "link", name="Record the consensus for 1. Analysis of practice"
        ).click()
        accessible(page)
        page.get_by_role("radio", name="Requires improvement", exact=True).check()
        page.get_by_label("Reasoning").fill("Explains what, not why")
        page.get_by_role("button", name="Save the consensus rating").click()
        page.get_by_text("Consensus rating saved").wait_for()
        page.get_by_role("link", name="Back to the results").click()
        page.get_by_role("button", name="Make the session report (PDF)").click()
        page.get_by_role("link", name="Download the report").wait_for(timeout=60_000)
        accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the report").click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    session = BenchmarkSession.objects.get()
    assert session.is_revealed
    assert Consensus.objects.get().rating == 1
    assert ReportJob.objects.get().status == ReportJob.Status.DONE
    assert set(
        Assessment.objects.filter(session_review__session=session).values_list(
            "status", flat=True
        )
    ) == {Assessment.Status.LOCKED}

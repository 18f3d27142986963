"""The whole quality-assurance journey in a real browser, with axe on each page."""

import contextlib
import re

import pytest
from django.conf import settings

from accounts.roles import Role
from ratings.models import Assessment, StandardAssessment
from reports.models import ReportJob
from tests.browser.axe import violations
from tests.ratings.conftest import make_allocation
from tests.reviews.factories import hmpps_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def worker_if_redis():
    """With Redis, reports are made by a real worker; without, in-process."""
    if not settings.REDIS_URL:
        yield
        return
    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping
    from celery.contrib.testing.worker import start_worker

    from sfoqa.celery import app

    # No result store to answer a ping: the worker's work shows in the rows.
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False):
        yield


def accessible(page):
    assert violations(page) == [], page.url


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/$"))


def hide_tab(page):
    """What the browser does when the user switches tab: autosave runs."""
    page.evaluate(
        """() => {
          Object.defineProperty(document, 'visibilityState',
            {value: 'hidden', configurable: true});
          document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )


def rate_standard(page, rating, evidence):
    page.get_by_role("radio", name=rating, exact=True).first.check()
    page.get_by_label("Evidence for the rating").fill(evidence)
    page.get_by_role("button", name="Save and continue").click()


def test_rate_moderate_publish_and_hmpps_downloads(
    page, live_server, users, sign_in_as
):
    hmpps = users[Role.HMPPS_SFO]
    hmpps.organisation = hmpps_organisation()
    hmpps.save()
    allocation = make_allocation(users)
    reference = allocation.review.hmpps_reference

    # The inspector starts, rates with autosave, records a finding, submits.
    sign_in_as(users[Role.INSPECTOR])
    page.get_by_role("link", name="Your QA work").click()
    accessible(page)
    page.get_by_role("button", name=f"Start rating {reference}").click()
    accessible(page)
    page.get_by_role("link", name="1. Analysis of practice").click()
    accessible(page)
    page.get_by_label("Evidence for the rating").fill("Autosaved before any button")
    hide_tab(page)
    page.get_by_text("Saved automatically").wait_for()
    assert (
        StandardAssessment.objects.get(
            assessment__allocation=allocation, standard__number=1
        ).evidence
        == "Autosaved before any button"
    )
    rate_standard(page, "Requires improvement", "Says what, not why (p.9)")
    for _ in range(3):
        rate_standard(page, "Good", "Clear and supported (p.12)")
    page.get_by_role("link", name="Add a finding").click()
    page.get_by_label("Poor practice or failing").check()
    page.get_by_label("Finding").fill("Risk not reviewed after the arrest")
    page.get_by_label("Team").check()
    page.get_by_label("Partly").check()
    page.get_by_role("button", name="Save finding").click()
    accessible(page)
    page.get_by_role("link", name="Continue to the overall rating").click()
    accessible(page)
    page.get_by_role("radio", name="Good", exact=True).check()
    page.get_by_label("Reasons for the overall rating").fill("Sound overall")
    page.get_by_role("button", name="Save and continue").click()
    accessible(page)
    page.get_by_role("button", name="Submit for moderation").click()
    page.get_by_text("Assessment submitted for moderation").wait_for()
    sign_out(page)

    # The lead returns it with a comment.
    sign_in_as(users[Role.LEAD_INSPECTOR])
    page.get_by_role("link", name="Moderation").first.click()
    accessible(page)
    page.get_by_role("link", name=reference).click()
    accessible(page)
    page.get_by_label("Comment on 1. Analysis of practice").fill("Explain why")
    page.get_by_role("button", name="Return to the inspector").click()
    page.get_by_text("Returned to the inspector").wait_for()
    sign_out(page)

    # The inspector sees the comment, changes the rating and resubmits.
    sign_in_as(users[Role.INSPECTOR])
    page.get_by_role("link", name="Your QA work").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="1. Analysis of practice").click()
    assert page.get_by_text("Explain why", exact=True).is_visible()
    rate_standard(page, "Good", "Workload and oversight explain it (p.9-11)")
    page.goto(live_server.url + f"/quality-assurance/{allocation.assessment.pk}/check/")
    page.get_by_role("button", name="Submit for moderation").click()
    page.get_by_text("Assessment submitted for moderation").wait_for()
    sign_out(page)

    # The lead signs off and publishes; the worker renders the PDF.
    with worker_if_redis():
        sign_in_as(users[Role.LEAD_INSPECTOR])
        page.get_by_role("link", name="Moderation").first.click()
        page.get_by_role("link", name=reference).click()
        page.get_by_role("button", name="Sign off").click()
        page.get_by_text("Assessment signed off").wait_for()
        page.goto(live_server.url + f"/quality-assurance/{allocation.assessment.pk}/")
        page.get_by_role("link", name="Publish").click()
        accessible(page)
        page.get_by_role("button", name="Publish and send to HMPPS").click()
        page.get_by_role("link", name="Download the report").wait_for(timeout=60_000)
        accessible(page)
        sign_out(page)
    assert Assessment.objects.get(allocation=allocation).status == "published"
    assert ReportJob.objects.get().status == ReportJob.Status.DONE

    # HMPPS reads the published report.
    sign_in_as(hmpps)
    page.get_by_role("link", name="QA reports").click()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download PDF")).click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

"""
Autosave while the database or the network is down: what the inspector typed
is kept in the browser and offered back when the form loads. The live server
runs in this process, so its rating saves can lose their database mid-edit.
"""

import re
from types import SimpleNamespace

import pytest
from django.db import OperationalError

from accounts.roles import Role
from ratings import services
from ratings.benchmarking.services import benchmark_assessment_start
from ratings.models import Assessment, StandardAssessment
from tests.browser.test_quality_assurance import accessible, hide_tab, sign_out
from tests.factories import UserFactory
from tests.ratings.benchmarking import make_session
from tests.ratings.conftest import make_allocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Risk was not reviewed after the arrest (p.9)"
NOT_SAVED = "Not saved: your changes are kept on this computer"
RESTORE = re.compile(r"^Restore the text you typed on \d{1,2} \w+ \d{4} at ")
DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('sfoqa:draft:'))"


@pytest.fixture
def assessment(users):
    return services.assessment_start(allocation=make_allocation(users))


@pytest.fixture
def database(monkeypatch):
    """Switch the database off and on for the live server's rating saves."""
    database = SimpleNamespace(up=True, save=services.assessment_standard_save)
    for name in ("assessment_standard_save", "assessment_overall_save"):
        monkeypatch.setattr(services, name, if_up(database, getattr(services, name)))
    return database


def if_up(database, save):
    def save_if_up(**kwargs):
        if not database.up:
            raise OperationalError("could not connect to server")
        return save(**kwargs)

    return save_if_up


def standard_url(live_server, assessment):
    return f"{live_server.url}/quality-assurance/{assessment.pk}/standard/1/"


def evidence_saved(assessment) -> str:
    return StandardAssessment.objects.get(
        assessment=assessment, standard__number=1
    ).evidence


def type_while_the_database_is_down(page, live_server, assessment, database):
    """Type, and let the background save fail for want of a database."""
    page.goto(standard_url(live_server, assessment))
    database.up = False
    page.get_by_label("Evidence for the rating").fill(TYPED)
    page.get_by_role("radio", name="Good", exact=True).first.check()
    hide_tab(page)
    page.get_by_text(NOT_SAVED).wait_for()


def test_text_typed_while_the_database_is_down_is_restored_after_reload(
    page, live_server, users, sign_in_as, assessment, database
):
    sign_in_as(users[Role.INSPECTOR])
    type_while_the_database_is_down(page, live_server, assessment, database)
    assert evidence_saved(assessment) == ""

    page.reload()
    banner = page.get_by_role("region", name="Important")
    banner.get_by_text("You have changes that were not saved").wait_for()
    assert page.evaluate("() => document.activeElement.matches('[role=region]')")
    assert page.get_by_label("Evidence for the rating").input_value() == ""
    accessible(page)

    banner.get_by_role("button", name=RESTORE).click()
    assert banner.count() == 0
    assert page.get_by_label("Evidence for the rating").input_value() == TYPED
    assert page.get_by_role("radio", name="Good", exact=True).first.is_checked()
    assert page.evaluate("() => document.activeElement.name") == "rating"

    database.up = True
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text("Your changes have been saved").wait_for()
    assert evidence_saved(assessment) == TYPED
    assert page.evaluate(DRAFT_KEYS) == []
    assert page.get_by_role("button", name=RESTORE).count() == 0


def test_autosave_retries_when_the_connection_returns(
    page, live_server, users, sign_in_as, assessment
):
    sign_in_as(users[Role.INSPECTOR])
    page.goto(standard_url(live_server, assessment))
    page.context.set_offline(True)
    page.get_by_label("Evidence for the rating").fill(TYPED)
    hide_tab(page)
    page.get_by_text(NOT_SAVED).wait_for()
    assert len(page.evaluate(DRAFT_KEYS)) == 1

    page.context.set_offline(False)
    page.get_by_text("Saved automatically").wait_for()
    assert evidence_saved(assessment) == TYPED
    page.wait_for_function(f"{DRAFT_KEYS}.length === 0")


def test_discarding_keeps_the_saved_version_and_forgets_the_typed_text(
    page, live_server, users, sign_in_as, assessment, database
):
    sign_in_as(users[Role.INSPECTOR])
    type_while_the_database_is_down(page, live_server, assessment, database)
    page.reload()
    page.get_by_role("button", name=re.compile("^Discard the text you typed")).click()
    page.get_by_text("Discarded the text you typed").wait_for()
    assert page.get_by_label("Evidence for the rating").input_value() == ""
    assert page.evaluate(DRAFT_KEYS) == []
    page.reload()
    assert page.get_by_role("button", name=RESTORE).count() == 0


def test_restoring_over_a_newer_saved_version_shows_the_edit_conflict(
    page, live_server, users, sign_in_as, assessment, database
):
    sign_in_as(users[Role.INSPECTOR])
    type_while_the_database_is_down(page, live_server, assessment, database)
    # Saved from another window, by a route the outage spared.
    database.save(
        assessment=assessment,
        standard=assessment.standards.get(standard__number=1),
        values={"rating": None, "evidence": "Saved elsewhere"},
        answers={},
        lock_version=assessment.lock_version,
    )
    database.up = True
    page.reload()
    page.get_by_role("button", name=RESTORE).click()
    page.get_by_text("Someone else has changed this assessment").wait_for()
    assert evidence_saved(assessment) == "Saved elsewhere"
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("heading", name="Someone else changed this assessment").wait_for()
    # The conflict page sets what was typed beside what was saved.
    page.get_by_text(TYPED).first.wait_for()
    page.get_by_text("Saved elsewhere").first.wait_for()


def test_another_user_of_the_same_browser_is_not_offered_the_text(
    page, live_server, users, sign_in_as, assessment, database
):
    sign_in_as(users[Role.INSPECTOR])
    type_while_the_database_is_down(page, live_server, assessment, database)
    # The first inspector's session ends without signing out; the review
    # moves to a colleague who signs in on the same computer.
    page.context.clear_cookies()
    colleague = UserFactory(roles=[Role.INSPECTOR])
    Assessment.objects.filter(pk=assessment.pk).update(inspector=colleague)
    sign_in_as(colleague)
    page.goto(standard_url(live_server, assessment))
    page.get_by_label("Evidence for the rating").wait_for()
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    assert page.get_by_role("button", name=RESTORE).count() == 0
    assert page.get_by_text(TYPED).count() == 0
    assert page.get_by_label("Evidence for the rating").input_value() == ""


def test_signing_out_forgets_the_typed_text(
    page, live_server, users, sign_in_as, assessment, database
):
    sign_in_as(users[Role.INSPECTOR])
    type_while_the_database_is_down(page, live_server, assessment, database)
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    sign_out(page)
    assert page.evaluate(DRAFT_KEYS) == []


def test_a_benchmarking_rating_is_restored_after_the_database_returns(
    page, live_server, users, sign_in_as, database
):
    inspector = users[Role.INSPECTOR]
    review = make_session(users).reviews.first()
    assessment = benchmark_assessment_start(session_review=review, user=inspector)
    sign_in_as(inspector)
    page.goto(
        f"{live_server.url}/quality-assurance/benchmarking/ratings/{assessment.pk}/overall/"
    )
    database.up = False
    page.get_by_label("Reasons for the overall rating").fill(TYPED)
    hide_tab(page)
    page.get_by_text(NOT_SAVED).wait_for()

    page.reload()
    page.get_by_role("button", name=RESTORE).click()
    assert page.get_by_label("Reasons for the overall rating").input_value() == TYPED
    database.up = True
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text("Your changes have been saved").wait_for()
    assert Assessment.objects.get(pk=assessment.pk).overall_reason == TYPED
    assert page.evaluate(DRAFT_KEYS) == []

"""A learning panel from set-up to accepted evidence in a real browser, with
axe on each page."""

import re

import pytest

from panels.models import Action, LearningItem, Panel
from tests.browser.test_quality_assurance import accessible, sign_out
from tests.panels.factories import partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_panel(page, title):
    page.get_by_role("link", name="Learning panels").first.click()
    accessible(page)
    page.get_by_role("link", name=title).click()
    accessible(page)


def test_chair_and_partners_run_a_panel_to_accepted_evidence(
    page, live_server, users, sign_in_as
):
    police = partner("police", email="pc.partner@example.org", full_name="Pia Police")
    housing = partner("housing", email="h.partner@example.org", full_name="Hal Home")
    title = "Panel on Mr C"

    # The chair sets the panel up with the agencies it needs.
    sign_in_as(users["lead_inspector"])
    page.get_by_role("link", name="Learning panels").first.click()
    accessible(page)
    page.get_by_role("link", name="Set up a panel").click()
    accessible(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Region").select_option(index=1)
    for agency in ("Police", "Housing", "Health: mental health"):
        page.get_by_label(agency, exact=True).check()
    page.get_by_label("Anonymised case summary").fill(
        "A man on licence harmed a stranger."
    )
    page.get_by_role("button", name="Save the panel").click()
    page.get_by_role("heading", name=title).wait_for()
    accessible(page)
    page.get_by_role("link", name="Change status").click()
    page.get_by_label("Active").check()
    page.get_by_role("button", name="Change the status").click()

    # Two partners are invited.
    for person in (police, housing):
        page.get_by_role("link", name="Invite a member").click()
        accessible(page)
        page.get_by_label("Full name").fill(person.full_name)
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Agency").select_option(label=person.organisation.name)
        page.get_by_role("button", name="Invite to the panel").click()
        page.get_by_role("heading", name=title).wait_for()
    assert "No one from Health: mental health is on the panel" in page.content()

    # A meeting is scheduled and its attendance recorded.
    page.get_by_role("link", name="Schedule a meeting").click()
    accessible(page)
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Start time (UK time)").fill("10:30")
    page.get_by_label("Place").fill("Civic Centre")
    page.get_by_label("Agenda").fill("Welcome\nChronology\nLearning")
    page.get_by_role("button", name="Schedule the meeting and send invitations").click()
    page.get_by_role("heading", name=re.compile("Meeting on")).wait_for()
    accessible(page)
    page.get_by_role("link", name="Record attendance").click()
    accessible(page)
    page.get_by_role("group", name=re.compile("Pia Police")).get_by_label(
        "Present"
    ).check()
    page.get_by_role("group", name=re.compile("Hal Home")).get_by_label(
        "Sent apologies"
    ).check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("heading", name=re.compile("Meeting on")).wait_for()
    page.get_by_role("link", name="Back to the panel").click()

    # Learning is drafted, approved and disseminated.
    page.get_by_role("link", name="Add learning").click()
    accessible(page)
    page.get_by_label("Title").fill("Check police intelligence before release")
    page.get_by_label("What happened").fill("Intelligence did not reach probation.")
    page.get_by_label("Why it happened (contributing factors)").fill(
        "No routine check."
    )
    page.get_by_label("The learning").fill("Ask police before every release plan.")
    page.get_by_label("Region", exact=True).check()
    page.get_by_role("button", name="Save the draft").click()
    accessible(page)
    page.get_by_role("button", name="Approve the learning").click()
    page.get_by_role("button", name="Disseminate to the learning library").click()
    page.get_by_text("Learning disseminated").wait_for()
    accessible(page)
    page.get_by_role("link", name="Back to the panel").click()

    # An action is agreed for the police.
    page.get_by_role("link", name="Agree an action").click()
    accessible(page)
    page.get_by_label("What is to be done").fill("Add the check to the checklist.")
    page.get_by_label("Owner agency").select_option(label=police.organisation.name)
    page.get_by_label("Named owner (optional)").select_option(label="Pia Police")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Agree the action").click()
    page.get_by_role("heading", name="Action").wait_for()
    accessible(page)
    sign_out(page)

    # The police partner submits evidence of completion.
    sign_in_as(police)
    accessible(page)
    open_panel(page, title)
    page.get_by_role("link", name="Add the check to the checklist.").click()
    accessible(page)
    page.get_by_role("link", name="Submit evidence of completion").click()
    accessible(page)
    page.get_by_label("Evidence of completion").fill("Checklist version 3 in use.")
    page.get_by_role("button", name="Submit the evidence").click()
    page.get_by_text("Evidence submitted: the chair will decide").wait_for()
    sign_out(page)

    # The chair accepts it.
    sign_in_as(users["lead_inspector"])
    open_panel(page, title)
    # The panel page lists evidence waiting for the chair's decision.
    page.get_by_role("link", name="Add the check to the checklist.").first.click()
    page.get_by_role("heading", name="Decide on the evidence").wait_for()
    accessible(page)
    page.get_by_label("Yes, accept the evidence").check()
    page.get_by_role("button", name="Save the decision").click()
    page.get_by_text("Decision saved").wait_for()
    action = Action.objects.get()
    assert action.status == Action.Status.COMPLETE
    assert action.impact_checks.count() == 2

    # The library finds the learning.
    page.get_by_role("link", name="Learning library").first.click()
    accessible(page)
    page.get_by_label("Search the learning").fill("police intelligence")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Check police intelligence before release").wait_for()
    accessible(page)
    assert LearningItem.objects.get().status == "disseminated"
    assert Panel.objects.get().members.count() == 2


def test_actions_are_cards_on_a_small_phone_and_a_table_above_it(
    page, live_server, users, sign_in_as
):
    from django.urls import reverse

    from tests.panels.factories import add_action, make_panel

    lead = users["lead_inspector"]
    panel = make_panel(lead, members=[partner("police")])
    add_action(panel, lead, due_in=-3)
    add_action(panel, lead, slug="mental-health")
    sign_in_as(lead)
    url = live_server.url + reverse("panels:detail", kwargs={"pk": panel.pk})
    cards = page.locator(".govuk-summary-card", has_text="police intelligence check")
    table = page.get_by_role("table", name="Actions agreed by the panel")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(url)
    assert cards.count() == 2 and cards.first.is_visible()
    assert not table.is_visible()
    accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    assert table.is_visible() and not cards.first.is_visible()

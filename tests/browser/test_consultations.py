"""A consultation from start to finish, in a real browser, with axe on each page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Consultation, Question, Response
from tests.browser.axe import violations
from tests.consultations.factories import (
    AudienceFactory,
    ConsultationFactory,
    QuestionFactory,
)
from tests.sfoqa.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consultation():
    consultation = ConsultationFactory(title="Learning panels consultation")
    AudienceFactory(consultation=consultation, name="probation", position=0)
    AudienceFactory(consultation=consultation, name="youth", position=1)
    QuestionFactory(
        consultation=consultation,
        text="Which best describes you?",
        kind=Question.Kind.SINGLE,
        options=["Probation staff", "Partner agency"],
    )
    QuestionFactory(
        consultation=consultation,
        text="How well would panels work?",
        hint="Tell us why",
    )
    QuestionFactory(
        consultation=consultation,
        text="Which agencies should attend?",
        kind=Question.Kind.MULTIPLE,
        options=["Police", "Health"],
        required=False,
    )
    return consultation


def _accessible(page):
    page.wait_for_function("() => document.body.classList.contains('js-enabled')")
    assert violations(page) == [], page.url


def test_public_response_then_staff_record_export_and_publish(
    page, live_server, users, sign_in_as, consultation, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    # A member of the public responds online.
    page.goto(f"{live_server.url}/consultations/")
    _accessible(page)
    page.get_by_role("link", name="Learning panels consultation").click()
    _accessible(page)
    page.get_by_role("button", name="Respond online").click()
    _accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error:")
    _accessible(page)
    page.get_by_label("Youth").check()
    page.get_by_label("Partner agency").check()
    page.get_by_label("How well would panels work?").fill("Very well, if police come.")
    page.get_by_label("Police").check()
    page.get_by_label("Your name (optional)").fill("Sam Respondent")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    _accessible(page)
    assert "Very well, if police come." in page.content()
    page.get_by_role("button", name="Send response").click()
    page.get_by_role("heading", name="Response sent").wait_for()
    _accessible(page)
    online = Response.objects.get()
    assert online.reference in page.locator(".govuk-panel").inner_text()

    # An administrator records a response that came by email.
    sign_in_as(users[Role.ADMIN])
    page.locator(".govuk-service-navigation").get_by_role(
        "link", name="Consultations"
    ).click()
    _accessible(page)
    page.get_by_role("link", name="Learning panels consultation").click()
    _accessible(page)
    page.get_by_role("link", name="Record a response sent by email or post").click()
    _accessible(page)
    page.get_by_label("By email").check()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Probation").check()
    page.get_by_label("The response, or a summary of it (optional)").fill(
        "We agree with the proposals."
    )
    page.get_by_role("button", name="Record response").click()
    page.get_by_text("Response recorded with reference").wait_for()
    _accessible(page)

    # They export the responses.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as CSV").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert online.reference in exported
    assert "We agree with the proposals." in exported

    # Time passes: the consultation closes. They publish the response.
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(minutes=5)
    )
    page.goto(f"{live_server.url}/consultations/manage/{consultation.pk}/")
    page.get_by_role("link", name="Upload a document").click()
    _accessible(page)
    page.get_by_label("Title").fill("Our response to the learning panels consultation")
    page.get_by_label("Our response").check()
    page.get_by_label("Upload a file").set_input_files(
        files=[
            {
                "name": "response.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes(),
            }
        ]
    )
    page.get_by_role("button", name="Upload document").click()
    page.get_by_text("Document uploaded").wait_for()
    page.get_by_role("link", name="Publish our response").click()
    _accessible(page)
    page.get_by_label("Summary of our response").fill("Thank you: we have listened.")
    page.get_by_role("button", name="Publish response").click()
    page.get_by_text("Response published").first.wait_for()

    # The public page shows it.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/$"))
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/")
    _accessible(page)
    text = page.locator("main").inner_text()
    assert (
        "We received 1 response to the probation consultation and "
        "1 response to the youth consultation." in text
    )
    assert "Thank you: we have listened." in text
    assert "Our response to the learning panels consultation" in text


def test_the_anti_spam_field_is_hidden_and_a_tripped_response_is_kept_for_review(
    page, live_server, consultation, users, sign_in_as, run_tasks_in_process
):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/respond/")
    _accessible(page)
    # Label and input sit in a 1-pixel clipped box, out of sight.
    wrapper = page.locator("#div_id_website").locator("..").bounding_box()
    assert wrapper["width"] <= 1 and wrapper["height"] <= 1
    assert (
        page.locator("#div_id_website").locator("..").get_attribute("aria-hidden")
        == "true"
    )
    # Tabbing from the last visible field skips it and reaches the button.
    page.get_by_label("Email address (optional)").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "Continue"

    page.get_by_label("Youth").check()
    page.get_by_label("Probation staff").check()
    page.get_by_label("How well would panels work?").fill("Well.")
    # Software that fills every field fills this one too.
    page.locator("#id_website").fill("http://spam.example", force=True)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send response").click()
    page.get_by_role("heading", name="Response sent").wait_for()
    held = Response.objects.get()
    assert held.held_for_review

    page.context.clear_cookies()
    sign_in_as(users[Role.ADMIN])
    page.goto(
        f"{live_server.url}/consultations/manage/{consultation.pk}/responses/?held=on"
    )
    page.get_by_text("Held for review", exact=True).first.wait_for()
    _accessible(page)
    page.get_by_role("link", name=held.reference).click()
    _accessible(page)
    page.get_by_role("button", name="Accept this response").click()
    page.get_by_text("Response accepted").wait_for()
    held.refresh_from_db()
    assert not held.held_for_review

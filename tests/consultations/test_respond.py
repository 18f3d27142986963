"""Responding online: the form, checking answers, sending, and what is refused."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from consultations.models import Question, Response
from tests.consultations.factories import (
    AudienceFactory,
    ConsultationFactory,
    QuestionFactory,
)

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db
REFERENCE = re.compile(r"^HMIP-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$")


@pytest.fixture
def consultation(db):
    consultation = ConsultationFactory(title="Learning panels")
    AudienceFactory(consultation=consultation, name="probation", position=0)
    AudienceFactory(consultation=consultation, name="youth", position=1)
    QuestionFactory(
        consultation=consultation,
        text="How well would panels work?",
        hint="Tell us why",
        kind=Question.Kind.TEXT,
        required=True,
    )
    QuestionFactory(
        consultation=consultation,
        text="Which best describes you?",
        kind=Question.Kind.SINGLE,
        options=["Probation staff", "Partner agency"],
        required=True,
    )
    QuestionFactory(
        consultation=consultation,
        text="Which agencies should attend?",
        kind=Question.Kind.MULTIPLE,
        options=["Police", "Health", "Housing"],
        required=False,
    )
    return consultation


def _url(name, consultation):
    return reverse(f"consultations:{name}", kwargs={"slug": consultation.slug})


def _answers(consultation, **extra):
    q1, q2, q3 = consultation.questions.order_by("position")
    youth = consultation.audiences.get(name="youth")
    return {
        "audience": str(youth.pk),
        q1.field_name: "They would help agencies learn together.",
        q2.field_name: "Partner agency",
        q3.field_name: ["Police", "Housing"],
        "name": "Sam Respondent",
        "organisation": "",
        "email": "sam@example.org",
        "website": "",
        **extra,
    }


def test_the_form_shows_every_question_with_its_hint_and_options(client, consultation):
    page = client.get(_url("respond", consultation)).content.decode()
    for text in [
        "How well would panels work?",
        "Tell us why",
        "Partner agency",
        "Housing",
        "Which part of the consultation are you responding to?",
        "Youth",
    ]:
        assert text in page


def test_a_member_of_the_public_responds_and_gets_a_reference_and_a_receipt(
    client, consultation, django_capture_on_commit_callbacks, run_tasks_in_process
):
    check = client.post(_url("respond", consultation), _answers(consultation))
    assert check.url == _url("respond_check", consultation)

    page = client.get(check.url).content.decode()
    assert "They would help agencies learn together." in page
    assert "Police" in page and "Housing" in page
    assert "Youth" in page
    assert Response.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(check.url)
    assert sent.url == _url("respond_sent", consultation)

    response = Response.objects.get()
    assert REFERENCE.match(response.reference)
    assert response.channel == Response.Channel.ONLINE
    assert response.audience.name == "youth"
    q1, _q2, q3 = consultation.questions.order_by("position")
    assert response.answers[str(q1.pk)] == "They would help agencies learn together."
    assert response.answers[str(q3.pk)] == ["Police", "Housing"]
    confirmation = client.get(sent.url).content.decode()
    assert response.reference in confirmation
    (email,) = mail.outbox
    assert email.to == ["sam@example.org"]
    assert response.reference in email.subject
    assert response.reference in email.body
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION_RESPONSE_SUBMITTED,
        object_id=str(response.pk),
    ).exists()


def test_no_receipt_is_sent_without_an_email_address(
    client, consultation, django_capture_on_commit_callbacks, run_tasks_in_process
):
    client.post(_url("respond", consultation), _answers(consultation, email=""))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("respond_check", consultation))
    assert Response.objects.count() == 1
    assert mail.outbox == []


def test_changing_an_answer_keeps_the_others(client, consultation):
    client.post(_url("respond", consultation), _answers(consultation))
    form = client.get(_url("respond", consultation)).content.decode()
    assert "They would help agencies learn together." in form
    assert 'value="Sam Respondent"' in form


def test_errors_keep_everything_typed(client, consultation):
    _q1, q2, _q3 = consultation.questions.order_by("position")
    data = _answers(consultation, **{q2.field_name: "", "audience": ""})
    response = client.post(_url("respond", consultation), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose an answer" in page
    assert "Choose which part you are responding to" in page
    assert "They would help agencies learn together." in page
    assert 'value="Sam Respondent"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("answer", "x" * 10_001, "must be 10,000 characters or fewer"),
        ("name", "n" * 201, "Ensure this value has at most 200 characters"),
        ("email", "not an address", "Enter an email address in the correct format"),
    ],
)
def test_overlong_or_malformed_input_is_refused(
    client, consultation, field, value, message
):
    q1 = consultation.questions.order_by("position").first()
    key = q1.field_name if field == "answer" else field
    page = client.post(
        _url("respond", consultation), _answers(consultation, **{key: value})
    ).content.decode()
    assert message in page
    assert Response.objects.count() == 0


def test_the_honeypot_keeps_a_tripped_response_held_for_review(
    client, consultation, django_capture_on_commit_callbacks, run_tasks_in_process
):
    check = client.post(
        _url("respond", consultation),
        _answers(consultation, website="http://spam.example"),
    )
    assert check.url == _url("respond_check", consultation)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(check.url)
    assert sent.url == _url("respond_sent", consultation)
    kept = Response.objects.get()
    assert kept.held_for_review
    # No receipt goes to an address software may have typed in.
    assert mail.outbox == []


def test_a_real_response_is_not_held(client, consultation):
    client.post(_url("respond", consultation), _answers(consultation))
    client.post(_url("respond_check", consultation))
    assert not Response.objects.get().held_for_review


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(
    client, consultation
):
    page = client.get(_url("respond", consultation)).content.decode()
    wrapper = re.search(
        r'<div\s+class="govuk-visually-hidden"\s+aria-hidden="true"\s*>(.*?)</div>\s*'
        r"</div>",
        page,
        re.S,
    )
    assert wrapper, "the honeypot's wrapper is not hidden"
    assert "Leave this empty" in wrapper.group(1)
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", wrapper.group(1)).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert "govuk-visually-hidden" not in field


def test_one_address_may_send_only_so_many_responses_an_hour(
    client, consultation, settings
):
    settings.CONSULTATION_RESPONSES_PER_HOUR = 2
    for _ in range(2):
        client.post(_url("respond", consultation), _answers(consultation))
        client.post(_url("respond_check", consultation))
    client.post(_url("respond", consultation), _answers(consultation))
    refused = client.post(_url("respond_check", consultation))
    assert refused.status_code == 429
    assert "Try again later" in refused.content.decode()
    assert Response.objects.count() == 2
    # The answers are still there to send later.
    kept = client.get(_url("respond_check", consultation))
    assert "They would help agencies learn together." in kept.content.decode()


def test_the_check_page_sends_you_back_to_the_form_without_answers(
    client, consultation
):
    response = client.get(_url("respond_check", consultation))
    assert response.url == _url("respond", consultation)


def test_no_online_form_when_the_consultation_takes_no_online_responses(client):
    consultation = ConsultationFactory(accepts_online=False)
    assert client.get(_url("respond", consultation)).status_code == 404


def test_the_form_of_a_closed_consultation_says_it_has_closed(client):
    now = timezone.now()
    consultation = ConsultationFactory(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(minutes=1)
    )
    page = client.get(_url("respond", consultation)).content.decode()
    assert "This consultation is not open" in page
    assert "so we cannot accept responses any more" in page


def _saved_answers(client, consultation, text):
    q1 = consultation.questions.get()
    session = client.session
    session[f"consultation_response_{consultation.pk}"] = {
        "audience": "",
        "answers": {str(q1.pk): text},
        "name": "",
        "organisation": "",
        "email": "",
    }
    session.save()


@pytest.mark.parametrize(
    ("closes_at", "last_second", "closed_text"),
    [
        # "05 March 2021 00.00" UK time (GMT).
        (
            datetime(2021, 3, 5, 0, 0, tzinfo=LONDON),
            datetime(2021, 3, 4, 23, 59, 59, tzinfo=LONDON),
            "closed at midnight (00:00) on 5 March 2021",
        ),
        # "07 June 2020 at 23:59" UK time (BST).
        (
            datetime(2020, 6, 7, 23, 59, tzinfo=LONDON),
            datetime(2020, 6, 7, 23, 58, 59, tzinfo=LONDON),
            "closed at 11:59pm on 7 June 2020",
        ),
    ],
)
def test_responses_are_accepted_until_the_last_second_and_refused_after(
    client, monkeypatch, closes_at, last_second, closed_text
):
    consultation = ConsultationFactory(
        opens_at=closes_at - timedelta(days=28), closes_at=closes_at
    )
    question = QuestionFactory(consultation=consultation, text="Your views?")
    clock = {"now": last_second}
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock["now"])

    _saved_answers(client, consultation, "Sent in time")
    accepted = client.post(_url("respond_check", consultation))
    assert accepted.url == _url("respond_sent", consultation)

    clock["now"] = last_second + timedelta(seconds=1)
    _saved_answers(client, consultation, "Sent one second late")
    refused = client.post(_url("respond_check", consultation))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert closed_text in page
    assert "Your response has not been sent" in page
    assert "Sent one second late" in page
    assert list(Response.objects.values_list("answers", flat=True)) == [
        {str(question.pk): "Sent in time"}
    ]

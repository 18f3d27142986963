import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils.html import escape

from accounts import services
from accounts.models import AuditEvent, FailedNotification
from accounts.notify import EMAIL_KINDS
from accounts.roles import Role
from accounts.tasks import notify_send
from sfoqa.celery import app as celery_app
from sfoqa.models import PendingTask
from tests.accounts.fake_notify import API_KEY, SERVICE_ID, FakeNotify

TEMPLATES = {
    kind: f"00000000-0000-4000-8000-{n:012d}" for n, kind in enumerate(EMAIL_KINDS)
}
SERVER_ERROR = {
    "status_code": 500,
    "errors": [{"error": "Exception", "message": "Internal server error"}],
}
RATE_LIMITED = {
    "status_code": 429,
    "errors": [{"error": "RateLimitError", "message": "Exceeded rate limit"}],
}
BAD_REQUEST = {
    "status_code": 400,
    "errors": [{"error": "BadRequestError", "message": "Template not found"}],
}


@pytest.fixture
def notify(settings, monkeypatch):
    with FakeNotify() as fake:
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_BASE_URL = fake.base_url
        settings.NOTIFY_TEMPLATES = TEMPLATES
        # No waiting between retries in the test, and retries run in-process
        # as a worker runs them, rather than raising to the caller.
        monkeypatch.setattr("accounts.tasks.NOTIFY_BACKOFF_SECONDS", 0)
        propagates = celery_app.conf.task_eager_propagates
        celery_app.conf.task_eager_propagates = False
        yield fake
        celery_app.conf.task_eager_propagates = propagates


def _invite(users, django_capture_on_commit_callbacks):
    invited = users[Role.INSPECTOR]
    invited.set_unusable_password()
    invited.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invitation_resend(by=users[Role.ADMIN], user=invited)
    return invited


@pytest.mark.django_db
def test_an_invitation_goes_through_notify_with_its_template_and_fields(
    notify, users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    invited = _invite(users, django_capture_on_commit_callbacks)

    [request] = notify.requests
    assert request["path"] == "/v2/notifications/email"
    assert request["issuer"] == SERVICE_ID
    body = request["body"]
    assert set(body) == {"email_address", "template_id", "personalisation", "reference"}
    assert body["email_address"] == invited.email
    assert body["template_id"] == TEMPLATES["invitation"]
    fields = body["personalisation"]
    assert set(fields) == {"subject", "body", "url"}
    assert fields["subject"] == "You have been invited to SFO quality assurance"
    assert "/password/set/" in fields["url"]
    assert fields["url"] in fields["body"]
    assert body["reference"].startswith("invitation-")
    assert invited.email not in body["reference"]
    assert mail.outbox == []
    assert not PendingTask.objects.exists()


@pytest.mark.django_db
def test_the_audit_says_an_email_was_sent_but_not_what_it_said(
    notify, users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    invited = _invite(users, django_capture_on_commit_callbacks)

    event = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_SENT)
    assert event.details == {"kind": "invitation", "recipient": invited.pk}
    assert event.object_id == notify.requests[0]["body"]["reference"]
    assert invited.email not in str(event.details)


def _send(kind="invitation", recipient_id=None):
    notify_send.apply(
        args=[kind, "someone@example.org", {"subject": "S", "body": "B"}, "ref-1"],
        kwargs={"recipient_id": recipient_id},
    ).get()


@pytest.mark.django_db
@pytest.mark.parametrize("answer", [SERVER_ERROR, RATE_LIMITED], ids=["500", "429"])
def test_notify_down_or_rate_limiting_is_retried_until_it_sends(notify, answer):
    notify.answers = [(answer["status_code"], answer), (answer["status_code"], answer)]

    _send()

    assert len(notify.requests) == 3
    assert all(r["body"] == notify.requests[0]["body"] for r in notify.requests)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EMAIL_SENT).count() == 1
    assert not FailedNotification.objects.exists()


@pytest.mark.django_db
def test_a_refused_email_is_not_retried_and_is_recorded(notify, users, caplog):
    notify.answers = [(400, BAD_REQUEST)]
    recipient = users[Role.HMPPS_SFO]

    with caplog.at_level(logging.ERROR, logger="accounts.tasks"):
        _send(kind="review_received", recipient_id=recipient.pk)

    assert len(notify.requests) == 1
    failure = FailedNotification.objects.get()
    assert (failure.kind, failure.recipient, failure.status_code) == (
        "review_received",
        recipient,
        400,
    )
    assert failure.error == "Template not found"
    assert "Notify did not send review_received email ref-1" in caplog.text
    event = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_FAILED)
    assert event.outcome == AuditEvent.Outcome.FAILED
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EMAIL_SENT).exists()


@pytest.mark.django_db
def test_a_refused_email_shows_on_the_administrators_home_page(
    notify, users, admin_client, client_for
):
    notify.answers = [(400, BAD_REQUEST)]
    _send(kind="review_received", recipient_id=users[Role.HMPPS_SFO].pk)

    page = admin_client.get(reverse("home")).content.decode()
    assert "Emails not sent" in page
    assert "Review received" in page
    # Escaped as the page writes it: a name may have an apostrophe (O'Brien).
    assert escape(users[Role.HMPPS_SFO].full_name) in page
    assert "400: Template not found" in page
    lead_page = client_for(Role.LEAD_INSPECTOR).get(reverse("home")).content.decode()
    assert "Emails not sent" not in lead_page


@pytest.mark.django_db
def test_an_email_notify_never_takes_is_recorded_after_the_last_retry(
    notify, monkeypatch
):
    monkeypatch.setattr(notify_send, "max_retries", 2)
    notify.answers = [(500, SERVER_ERROR)] * 3

    _send()

    assert len(notify.requests) == 3
    assert FailedNotification.objects.get().status_code == 0


@pytest.mark.django_db
def test_without_notify_the_email_backend_sends_and_notify_hears_nothing(
    settings, users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    with FakeNotify() as fake:
        settings.NOTIFY_API_KEY = ""
        invited = _invite(users, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[invited.email]]
    assert fake.requests == []


@pytest.mark.django_db
def test_a_password_reset_goes_through_notify(
    notify, users, client, django_capture_on_commit_callbacks, run_tasks_in_process
):
    user = users[Role.HMPPS_SFO]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": user.email})

    [request] = notify.requests
    assert request["body"]["template_id"] == TEMPLATES["password_reset"]
    assert request["body"]["email_address"] == user.email
    assert "/password/set/" in request["body"]["personalisation"]["body"]


def test_notify_without_a_template_for_every_kind_fails_the_start_up_check(
    settings,
):
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_TEMPLATES = {"invitation": TEMPLATES["invitation"]}
    with pytest.raises(SystemCheckError, match="NOTIFY_TEMPLATE_PASSWORD_RESET"):
        call_command("check")


@pytest.mark.django_db
def test_a_consultation_receipt_goes_to_a_respondent_without_an_account(
    notify, django_capture_on_commit_callbacks, run_tasks_in_process
):
    from consultations.tasks import send_receipt
    from tests.consultations.factories import ResponseFactory

    response = ResponseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        send_receipt(response.pk)

    [request] = notify.requests
    body = request["body"]
    assert body["template_id"] == TEMPLATES["consultation_receipt"]
    assert body["email_address"] == response.email
    assert body["personalisation"]["reference"] == response.reference
    assert body["reference"].startswith("consultation_receipt-")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_SENT)
    assert event.details == {"kind": "consultation_receipt", "recipient": None}

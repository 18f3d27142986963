"""Background tasks: after commit only, and on a real worker when Redis is there."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Organisation, User
from accounts.roles import Role

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL,
    reason="REDIS_URL is not set: tasks run in-process (CI runs this with Redis)",
)


@pytest.mark.django_db
def test_the_invitation_is_sent_only_after_the_invite_commits(
    admin_client, django_capture_on_commit_callbacks
):
    organisation = Organisation.objects.get(kind=Organisation.Kind.HMPPS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(
            reverse("accounts:user_invite"),
            {
                "email": "later@example.org",
                "full_name": "Later Person",
                "organisation": organisation.pk,
                "roles": [Role.HMPPS_SFO],
            },
        )
    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_invitation_task_is_safe_to_run_twice(users):
    from accounts.tasks import send_invitation

    user = users[Role.INSPECTOR]
    user.set_unusable_password()
    user.save()
    send_invitation(user.pk)
    user.set_password("now-has-a-password")
    user.save()
    send_invitation(user.pk)  # accepted already: nothing to send
    assert len(mail.outbox) == 1


def test_celery_is_configured_for_reliable_delivery():
    from sfoqa.celery import app

    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > app.conf.task_time_limit


@needs_redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_that_writes_a_row():
    from celery.contrib.testing.worker import start_worker

    from accounts.tasks import send_invitation
    from sfoqa.celery import app

    user = User.objects.create_user(email="queued@example.org", full_name="Queued")
    user.set_unusable_password()
    user.save()
    sent = AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITATION_SENT, object_id=str(user.pk)
    )
    # No ping check: it needs a result store, and tasks keep no results.
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False):
        send_invitation.delay(user.pk)
        # Tasks keep no results: the row the task writes says it ran.
        deadline = time.monotonic() + 30
        while not sent.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert sent.exists()

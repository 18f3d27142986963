"""
Redis, the broker or a second click failing in the middle of a write: the
write commits, nothing it should send is lost, and nobody sees a 500.
"""

import importlib.util
import logging
import os
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from ratings import services as rating_services
from ratings.benchmarking import services as benchmark_services
from ratings.models import Assessment, BenchmarkSession, Consensus, Publication
from reports.models import ReportJob
from reports.services import report_jobs_sweep
from sfoqa import outbox
from sfoqa.models import PendingTask
from tests.conftest import sign_in
from tests.ratings import pages as qa_pages
from tests.ratings.benchmarking import make_session, participants, rate
from tests.reviews.factories import hmpps_organisation

BASE_DIR = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A loopback port nothing listens on (bound and released: refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_with(**environ) -> dict:
    """The settings module's values when started with this environment."""
    saved = {name: os.environ.get(name) for name in environ}
    os.environ.update(environ)
    try:
        spec = importlib.util.spec_from_file_location(
            "settings_as_deployed", BASE_DIR / "sfoqa" / "settings.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return vars(module)


@contextmanager
def broker_at(url: str, *, eager: bool = False):
    """Point the Celery app at another broker (and back) for the block."""
    from sfoqa.celery import app

    def reset_connections():
        # The pools are made again for the broker now configured.
        app._pool = None
        app.amqp._producer_pool = None

    before = (app.conf.broker_url, app.conf.task_always_eager)
    reset_connections()
    app.conf.broker_url, app.conf.task_always_eager = url, eager
    try:
        yield app
    finally:
        reset_connections()
        app.conf.broker_url, app.conf.task_always_eager = before


def hmpps_user(users):
    hmpps = users[Role.HMPPS_SFO]
    hmpps.organisation = hmpps_organisation()
    hmpps.save(update_fields=["organisation"])
    return hmpps


def signed_off(users) -> Assessment:
    hmpps_user(users)
    return Assessment.objects.get(pk=qa_pages.a_signed_off(users)["pk"])


# The broker down: every task sent after commit waits in the outbox.


@pytest.mark.django_db(transaction=True)
def test_publishing_with_the_broker_down_succeeds_and_the_sweeper_sends_it_later(
    users,
):
    assessment = signed_off(users)
    lead = Client()
    sign_in(lead, users[Role.LEAD_INSPECTOR])
    url = reverse("ratings:publish", kwargs={"pk": assessment.pk})
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        response = lead.post(url, {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert "The report will be ready shortly" in response.content.decode()
    assert "Waiting to start" in response.content.decode()
    publication = Publication.objects.get(assessment=assessment)
    assert (
        Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.PUBLISHED
    )
    job = ReportJob.objects.get(pk=publication.report_job_id)
    assert (job.status, job.sent_at) == (ReportJob.Status.QUEUED, None)
    (pending,) = PendingTask.objects.all()
    assert (pending.task, pending.args) == (
        "ratings.notify_published",
        [publication.pk],
    )
    assert (pending.attempts, pending.error) == (1, "OperationalError")
    assert mail.outbox == []

    with broker_at("memory://", eager=True):
        swept = report_jobs_sweep()
    assert swept == {"resent": 1, "stuck": 0, "tasks": 1}
    assert [m.to for m in mail.outbox] == [[users[Role.HMPPS_SFO].email]]
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.content_type == "application/pdf"
    assert not PendingTask.objects.exists()


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("Error 111 connecting to 127.0.0.1:6379. Refused."),
        RuntimeError("Retry limit exceeded while trying to reconnect"),
        TimeoutError("Timeout reading from socket"),
        ConnectionResetError("Connection reset by peer"),
        ValueError("anything else at all"),
    ],
    ids=lambda error: type(error).__name__,
)
@pytest.mark.django_db
def test_a_send_that_raises_anything_leaves_the_task_for_the_sweeper(
    users, monkeypatch, django_capture_on_commit_callbacks, caplog, error
):
    from accounts.tasks import send_invitation

    def broker_fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(send_invitation, "apply_async", broker_fails)
    invited = users[Role.INSPECTOR]
    with (
        caplog.at_level(logging.WARNING, logger="sfoqa.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outbox.send_after_commit(send_invitation, invited.pk)
    pending = PendingTask.objects.get()
    assert (pending.task, pending.args) == ("accounts.send_invitation", [invited.pk])
    assert pending.due_at <= timezone.now()
    assert pending.error == type(error).__name__
    assert "left for the sweeper" in caplog.text


@pytest.mark.django_db
def test_an_email_that_fails_in_process_is_sent_by_the_sweeper(
    users, monkeypatch, django_capture_on_commit_callbacks, run_tasks_in_process
):
    from accounts import services as account_services
    from accounts import tasks as account_tasks

    invited = users[Role.INSPECTOR]
    invited.set_unusable_password()
    invited.save()
    real_email_send = account_tasks.email_send

    def mail_server_down(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(account_tasks, "email_send", mail_server_down)
    with django_capture_on_commit_callbacks(execute=True):
        account_services.user_invitation_resend(by=users[Role.ADMIN], user=invited)
    assert mail.outbox == []
    assert PendingTask.objects.get().task == "accounts.send_invitation"

    monkeypatch.setattr(account_tasks, "email_send", real_email_send)
    assert outbox.pending_tasks_resend() == 1
    assert [m.to for m in mail.outbox] == [[invited.email]]
    assert not PendingTask.objects.exists()


@pytest.mark.django_db
def test_a_task_sent_normally_leaves_no_row(
    users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    from accounts import services as account_services

    invited = users[Role.INSPECTOR]
    invited.set_unusable_password()
    invited.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        account_services.user_invitation_resend(by=users[Role.ADMIN], user=invited)
    # Written in the transaction, before any attempt to send.
    assert PendingTask.objects.get().task == "accounts.send_invitation"
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert not PendingTask.objects.exists()


@pytest.mark.django_db
def test_a_batch_stops_at_the_first_failed_send_and_keeps_every_row(
    monkeypatch, django_capture_on_commit_callbacks
):
    from reviews.tasks import scan_document

    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(kwargs)
        raise OperationalError("refused")

    monkeypatch.setattr(scan_document, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_each_after_commit(scan_document, [(1,), (2,), (3,)])
    assert len(attempts) == 1  # the others did not wait on a dead broker too
    rows = PendingTask.objects.order_by("pk")
    assert [row.args for row in rows] == [[1], [2], [3]]
    assert all(row.due_at <= timezone.now() for row in rows)


@pytest.mark.django_db
def test_the_sweeper_waits_longer_after_each_failure_and_stops_when_the_broker_is_down(
    monkeypatch,
):
    from reviews.tasks import scan_document

    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(kwargs)
        raise OperationalError("refused")

    monkeypatch.setattr(scan_document, "apply_async", broker_down)
    now = timezone.now()
    for pk in range(5):
        PendingTask.objects.create(task=scan_document.name, args=[pk], due_at=now)
    assert outbox.pending_tasks_resend() == 0
    assert len(attempts) == outbox.GIVE_UP_AFTER
    tried = PendingTask.objects.filter(attempts=1)
    assert tried.count() == outbox.GIVE_UP_AFTER
    assert all(row.due_at > now + outbox.RESEND_AFTER for row in tried)
    assert PendingTask.objects.filter(attempts=0, due_at=now).count() == 2


@pytest.mark.django_db
def test_a_pending_task_is_not_swept_while_its_own_send_may_still_be_under_way():
    PendingTask.objects.create(
        task="accounts.send_invitation", args=[1], due_at=timezone.now() + timedelta(1)
    )
    assert outbox.pending_tasks_resend() == 0
    assert PendingTask.objects.get().attempts == 0


def test_a_request_waits_a_second_or_two_at_most_for_the_broker():
    from sfoqa.celery import app

    options = app.conf.broker_transport_options
    assert options["socket_connect_timeout"] <= 1
    assert options["socket_timeout"] <= 1
    assert app.conf.broker_connection_timeout <= 1
    assert app.conf.task_publish_retry_policy["max_retries"] <= 1
    # No result store: a send touches the broker only.
    assert app.conf.task_ignore_result
    assert not app.conf.result_backend


# The cache down: logged, then served uncached; rate limits fail open.


@pytest.fixture
def cache_down(settings):
    """The service's own cache settings, with Redis at a closed port."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = settings_with(REDIS_URL=url)["CACHES"]
    return settings.CACHES


def test_with_redis_set_the_cache_ignores_and_logs_redis_failures():
    deployed = settings_with(REDIS_URL="redis://127.0.0.1:6379/0")
    cache = deployed["CACHES"]["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 1
    assert cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert deployed["DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"] is True


def test_without_redis_the_cache_is_a_database_table_every_process_shares():
    cache = settings_with(REDIS_URL="")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.django_db
def test_migrate_creates_the_cache_table(settings):
    from django.core.cache import cache
    from django.core.management import call_command

    settings.CACHES = settings_with(REDIS_URL="")["CACHES"]
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert table in connection.introspection.table_names()
    cache.set("shared", "by every process", 60)
    assert cache.get("shared") == "by every process"


@pytest.mark.django_db
def test_confirming_a_consultation_response_with_redis_down_sends_it(
    client, cache_down, caplog
):
    from consultations.models import Response
    from tests.consultations.factories import ConsultationFactory, QuestionFactory

    consultation = ConsultationFactory()
    question = QuestionFactory(consultation=consultation, required=True)
    respond = reverse("consultations:respond", kwargs={"slug": consultation.slug})
    check = client.post(respond, {question.field_name: "Yes", "email": ""})
    assert check.status_code == 302
    with caplog.at_level(logging.WARNING):
        sent = client.post(check.url)
    assert sent.status_code == 302
    assert sent.url == reverse(
        "consultations:respond_sent", kwargs={"slug": consultation.slug}
    )
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert "rate limit skipped" in caplog.text


@pytest.mark.django_db
def test_the_api_lists_reviews_with_redis_down(users, cache_down, caplog):
    hmpps = hmpps_user(users)
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=hmpps).key}")
    with caplog.at_level(logging.ERROR, logger="django_redis"):
        response = api.get(reverse("reviews_api:list"))
    assert response.status_code == 200
    assert "Exception ignored" in caplog.text  # the outage is logged


@pytest.mark.django_db
def test_the_api_throttle_lets_requests_through_when_the_cache_raises(
    users, settings, caplog
):
    # A backend that raises on an outage (Django's own Redis cache).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    hmpps = hmpps_user(users)
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=hmpps).key}")
    with caplog.at_level(logging.WARNING, logger="reviews.api"):
        response = api.get(reverse("reviews_api:list"))
    assert response.status_code == 200
    assert "API rate limit skipped" in caplog.text


@pytest.mark.django_db
def test_the_review_list_is_served_uncached_with_redis_down(
    lead_inspector_client, cache_down
):
    response = lead_inspector_client.get(reverse("reviews:list"))
    assert response.status_code == 200


# Settings checked at start-up.


def start_with(**environ) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sfoqa.settings",
        "SECRET_KEY": "start-up-check",
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("seconds", ["60", "30", "0", "-5"])
def test_a_task_time_limit_leaving_no_soft_limit_stops_the_start(seconds):
    started = start_with(TASK_TIME_LIMIT_SECONDS=seconds)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert f"TASK_TIME_LIMIT_SECONDS is {seconds}: it must be more than 60" in (
        started.stderr
    )


def test_a_task_time_limit_over_a_minute_starts():
    started = start_with(TASK_TIME_LIMIT_SECONDS="61")
    assert started.returncode == 0, started.stderr


# Two clicks at once, or one after the other: one result, a clear answer.


def message_after(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_a_second_publish_is_told_the_report_is_already_published(
    users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    assessment = signed_off(users)
    stale_copy = Assessment.objects.get(pk=assessment.pk)
    lead = users[Role.LEAD_INSPECTOR]
    with django_capture_on_commit_callbacks(execute=True):
        rating_services.assessment_publish(assessment=assessment, by=lead)
    with pytest.raises(rating_services.AlreadyDone):
        rating_services.assessment_publish(assessment=stale_copy, by=lead)
    assert Publication.objects.filter(assessment=assessment).count() == 1


@pytest.mark.django_db
def test_clicking_publish_twice_shows_the_publication_both_times(
    users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    assessment = signed_off(users)
    lead = sign_in(Client(), users[Role.LEAD_INSPECTOR])
    url = reverse("ratings:publish", kwargs={"pk": assessment.pk})
    with django_capture_on_commit_callbacks(execute=True):
        first = lead.post(url, {"reason": ""})
    second = lead.post(url, {"reason": ""}, follow=True)
    assert second.redirect_chain == [(first.url, 302)]
    assert "This report has already been published" in message_after(second)
    assert Publication.objects.filter(assessment=assessment).count() == 1


@pytest.mark.django_db
def test_a_second_sign_off_is_told_it_is_already_signed_off(users):
    assessment = Assessment.objects.get(pk=qa_pages.a_submitted(users)["pk"])
    stale_copy = Assessment.objects.get(pk=assessment.pk)
    lead = users[Role.LEAD_INSPECTOR]
    rating_services.assessment_sign_off(assessment=assessment, by=lead)
    with pytest.raises(rating_services.AlreadyDone):
        rating_services.assessment_sign_off(assessment=stale_copy, by=lead)
    assert assessment.history.filter(history_change_reason="signed off").count() == 1


@pytest.mark.django_db
def test_clicking_sign_off_twice_says_it_is_already_signed_off(users):
    pk = qa_pages.a_submitted(users)["pk"]
    lead = sign_in(Client(), users[Role.LEAD_INSPECTOR])
    url = reverse("ratings:moderate", kwargs={"pk": pk})
    lead.post(url, {"sign_off": "1"})
    second = lead.post(url, {"sign_off": "1"}, follow=True)
    assert second.redirect_chain == [(reverse("ratings:moderation_queue"), 302)]
    assert "This assessment has already been signed off" in message_after(second)


def rated_session(users) -> BenchmarkSession:
    session = make_session(users, reviews=1, extra=1)
    for person in participants(session):
        rate(session, person, [(2, 2, 2, 2)])
    return session


@pytest.mark.django_db
def test_a_second_reveal_is_told_the_ratings_are_already_revealed(users):
    session = rated_session(users)
    lead = users[Role.LEAD_INSPECTOR]
    benchmark_services.benchmark_session_reveal(
        session=session, by=lead, anonymous=False
    )
    with pytest.raises(rating_services.AlreadyDone):
        benchmark_services.benchmark_session_reveal(
            session=session, by=lead, anonymous=True
        )
    session.refresh_from_db()
    assert session.is_revealed and not session.anonymous


@pytest.mark.django_db
def test_a_second_consensus_for_a_section_changes_the_one_agreed_rating(users):
    session = rated_session(users)
    lead = users[Role.LEAD_INSPECTOR]
    benchmark_services.benchmark_session_reveal(
        session=session, by=lead, anonymous=False
    )
    review = session.reviews.get()
    for rating in (2, 3):
        benchmark_services.benchmark_consensus_record(
            session_review=review, standard=None, rating=rating,
            reasoning="Agreed", by=lead,
        )  # fmt: skip
    assert list(Consensus.objects.values_list("rating", flat=True)) == [3]


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two requests at once need row locks (PostgreSQL)",
)


def at_once(clients, posts, *, meet):
    """
    Send the POSTs from two threads, held at `meet` (a patched step inside
    the view) until both have reached it, so that neither commits first.
    """
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def wait_for_the_other(original):
        def held(*args, **kwargs):
            # Broken when the other is held by a row lock: that is the point.
            with suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            return original(*args, **kwargs)

        return held

    def send(index):
        try:
            responses[index] = clients[index].post(*posts[index])
        except Exception as error:
            responses[index] = error
        finally:
            connection.close()

    owner, name = meet
    original = getattr(owner, name)
    setattr(owner, name, wait_for_the_other(original))
    try:
        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        setattr(owner, name, original)
    return responses


def two_leads(users):
    from tests.factories import UserFactory

    second = UserFactory(roles=[Role.LEAD_INSPECTOR])
    return [sign_in(Client(), users[Role.LEAD_INSPECTOR]), sign_in(Client(), second)]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_publish_clicks_at_once_make_one_publication(users, run_tasks_in_process):
    from ratings import views

    assessment = signed_off(users)
    url = reverse("ratings:publish", kwargs={"pk": assessment.pk})
    responses = at_once(
        two_leads(users),
        [(url, {"reason": ""})] * 2,
        meet=(views.ReasonForm, "is_valid"),
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    publication = Publication.objects.get(assessment=assessment)
    job_page = reverse("reports:job_detail", kwargs={"pk": publication.report_job_id})
    assert [r.url for r in responses] == [job_page, job_page]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_sign_off_clicks_at_once_sign_off_once(users):
    from ratings import views

    pk = qa_pages.a_submitted(users)["pk"]
    url = reverse("ratings:moderate", kwargs={"pk": pk})
    responses = at_once(
        two_leads(users),
        [(url, {"sign_off": "1"})] * 2,
        meet=(views.ModerationForm, "is_valid"),
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assessment = Assessment.objects.get(pk=pk)
    assert assessment.status == Assessment.Status.SIGNED_OFF
    assert assessment.history.filter(history_change_reason="signed off").count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_reveal_clicks_at_once_reveal_once(users):
    from ratings.benchmarking import views

    session = rated_session(users)
    url = reverse("ratings:benchmark_reveal", kwargs={"pk": session.pk})
    lead = users[Role.LEAD_INSPECTOR]
    clients = [sign_in(Client(), lead), sign_in(Client(), lead)]
    responses = at_once(
        clients, [(url, {"anonymous": "0"})] * 2, meet=(views.RevealForm, "is_valid")
    )
    results = reverse("ratings:benchmark_results", kwargs={"pk": session.pk})
    assert [getattr(r, "url", r) for r in responses] == [results, results]
    session.refresh_from_db()
    assert session.is_revealed


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_consensus_saves_at_once_keep_one_agreed_rating(users):
    from ratings.benchmarking import views

    session = rated_session(users)
    lead = users[Role.LEAD_INSPECTOR]
    benchmark_services.benchmark_session_reveal(
        session=session, by=lead, anonymous=False
    )
    review = session.reviews.get()
    url = reverse(
        "ratings:benchmark_consensus", kwargs={"pk": review.pk, "section": "overall"}
    )
    posts = [(url, {"rating": rating, "reasoning": "Agreed"}) for rating in (2, 3)]
    clients = [sign_in(Client(), lead), sign_in(Client(), lead)]
    responses = at_once(clients, posts, meet=(views.ConsensusForm, "is_valid"))
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert Consensus.objects.filter(session_review=review).count() == 1

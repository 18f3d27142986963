"""
Several instances, nothing local: two gunicorn instances and two Celery
workers on one PostgreSQL and one Redis (CI's second round). A session, a
rate limit and a report job each work whichever instance or worker a
request lands on; only one of several beats sends the schedule.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.utils.html import escape
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from consultations.models import Question, Response
from reports.models import ReportJob
from tests.consultations.factories import (
    AudienceFactory,
    ConsultationFactory,
    QuestionFactory,
)
from tests.factories import PASSWORD
from tests.integration.conftest import free_port
from tests.panels.factories import make_panel

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (settings.REDIS_URL and ON_POSTGRES),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) shared by "
        "every instance: CI's second round runs it",
    ),
]

RESPONSES_PER_HOUR = 2


def environment() -> dict:
    """What every instance is started with: the test database and Redis."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "0",
        "CONSULTATION_RESPONSES_PER_HOUR": str(RESPONSES_PER_HOUR),
        "BEAT_LOCK_SECONDS": "3",
        "PYTHONUNBUFFERED": "1",
    }


def start(args: list[str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=environment(),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(check, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {seconds} s")


def answering(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code < 500
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two web instances and two workers; their addresses and logs."""
    folder = tmp_path_factory.mktemp("instances")
    processes, urls, worker_logs = [], [], []
    # Earlier tests may have queued tasks no worker took: start from an empty queue.
    from sfoqa.celery import app

    app.control.purge()
    try:
        for n in (1, 2):
            port = free_port()
            gunicorn = ["gunicorn", "sfoqa.wsgi:application", "--workers", "1"]
            bind = ["--bind", f"127.0.0.1:{port}", "--timeout", "60"]
            processes.append(start(gunicorn + bind, folder / f"web{n}.log"))
            urls.append(f"http://127.0.0.1:{port}")
            worker_logs.append(folder / f"worker{n}.log")
            worker = ["celery", "-A", "sfoqa", "worker", "--pool=solo"]
            worker += [f"--hostname=worker{n}@%h", "--loglevel=INFO"]
            processes.append(start(worker, worker_logs[-1]))
        for url in urls:
            wait_for(lambda url=url: answering(url), seconds=60, what=url)
        for log in worker_logs:
            wait_for(
                lambda log=log: b"ready." in log.read_bytes(),
                seconds=60,
                what=f"worker {log.name}",
            )
        yield {"urls": urls, "worker_logs": worker_logs}
    finally:
        stop(processes)


def csrf_token(page: requests.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def post_form(session, url: str, data: dict, **kwargs) -> requests.Response:
    """POST as a browser would: with the CSRF token of the page at `url`."""
    token = csrf_token(session.get(url, timeout=10))
    return session.post(
        url, data={"csrfmiddlewaretoken": token, **data}, timeout=30, **kwargs
    )


def test_a_user_signed_in_on_one_instance_is_signed_in_on_the_other(cluster, users):
    one, two = cluster["urls"]
    user = users[Role.LEAD_INSPECTOR]
    device = TOTPDevice.objects.create(user=user, confirmed=True, name="Phone")
    browser = requests.Session()
    # The password on one instance, the security code on the other.
    post_form(browser, f"{one}/sign-in/", {"email": user.email, "password": PASSWORD})
    signed_in = post_form(
        browser,
        f"{two}/sign-in/security-code/",
        {"code": f"{TOTP(device.bin_key).token():06d}"},
    )
    assert signed_in.url.rstrip("/") == two, signed_in.text[:2000]
    for url in (one, two):
        home = browser.get(f"{url}/", timeout=10, allow_redirects=False)
        assert home.status_code == 200
        assert escape(user.full_name) in home.text
    # Signing out on one ends the session on both.
    token = csrf_token(browser.get(f"{one}/", timeout=10))
    browser.post(f"{one}/sign-out/", data={"csrfmiddlewaretoken": token}, timeout=10)
    refused = browser.get(f"{two}/", timeout=10, allow_redirects=False)
    assert refused.status_code == 302 and "/sign-in/" in refused.headers["Location"]


@pytest.fixture
def consultation(db):
    from django.core.cache import cache

    cache.delete("consultations:responses:127.0.0.1")
    consultation = ConsultationFactory(title="Learning panels")
    AudienceFactory(consultation=consultation, name="probation", position=0)
    QuestionFactory(
        consultation=consultation,
        text="How well would panels work?",
        kind=Question.Kind.TEXT,
        required=True,
    )
    yield consultation
    cache.delete("consultations:responses:127.0.0.1")


def respond(session, url: str, consultation, check_url: str) -> requests.Response:
    (question,) = consultation.questions.all()
    audience = consultation.audiences.get()
    post_form(
        session,
        f"{url}/consultations/{consultation.slug}/respond/",
        {
            "audience": str(audience.pk),
            question.field_name: "They would help agencies learn together.",
            "name": "",
            "organisation": "",
            "email": "",
            "website": "",
        },
    )
    return post_form(
        session, f"{check_url}/consultations/{consultation.slug}/respond/check/", {}
    )


def test_the_response_rate_limit_counts_across_instances(cluster, consultation):
    one, two = cluster["urls"]
    respondent = requests.Session()
    sent = [
        respond(respondent, one, consultation, two),
        respond(respondent, two, consultation, one),
    ]
    assert [response.status_code for response in sent] == [200, 200]
    refused = respond(respondent, one, consultation, one)
    assert refused.status_code == 429
    assert "Try again later" in refused.text
    assert Response.objects.count() == RESPONSES_PER_HOUR


def signed_in_session(url: str, user) -> requests.Session:
    device = TOTPDevice.objects.create(user=user, confirmed=True, name="Phone")
    browser = requests.Session()
    post_form(browser, f"{url}/sign-in/", {"email": user.email, "password": PASSWORD})
    post_form(
        browser,
        f"{url}/sign-in/security-code/",
        {"code": f"{TOTP(device.bin_key).token():06d}"},
    )
    return browser


def test_a_report_job_asked_on_one_instance_is_run_once_by_one_worker(cluster, users):
    one, two = cluster["urls"]
    lead = users[Role.LEAD_INSPECTOR]
    panels = [make_panel(lead, title=f"Panel {n}") for n in range(3)]
    browser = signed_in_session(one, lead)
    for n, panel in enumerate(panels):
        url = (one, two)[n % 2]
        token = csrf_token(browser.get(f"{url}/panels/{panel.pk}/", timeout=10))
        asked = browser.post(
            f"{url}/panels/{panel.pk}/briefing/",
            data={"csrfmiddlewaretoken": token},
            timeout=30,
        )
        assert asked.status_code == 200 and "/reports/" in asked.url

    def finished():
        jobs = list(ReportJob.objects.filter(kind="panel_briefing"))
        done = len(jobs) == len(panels) and all(job.is_finished for job in jobs)
        return jobs if done else None

    jobs = wait_for(finished, seconds=120, what="three briefings")
    assert {(job.status, job.attempts) for job in jobs} == {(ReportJob.Status.DONE, 1)}
    # Each task was handed to one worker, once, and run once.
    logs = b"".join(log.read_bytes() for log in cluster["worker_logs"])
    received = re.findall(rb"Task reports\.run_job\[([^\]]+)\] received", logs)
    ran = re.findall(rb"Task reports\.run_job\[([^\]]+)\] succeeded", logs)
    assert len(received) == len(set(received)) == len(panels), logs[-3000:]
    assert sorted(ran) == sorted(received)


def test_only_one_of_two_beats_sends_the_schedule_and_the_other_takes_over(
    tmp_path,
):
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("sfoqa:beat")
    logs = [tmp_path / "beat1.log", tmp_path / "beat2.log"]
    beats = []
    try:
        for n, log in enumerate(logs, start=1):
            schedule = ["--schedule", str(tmp_path / f"schedule{n}")]
            beats.append(
                start(
                    ["celery", "-A", "sfoqa", "beat", "--loglevel=INFO", *schedule], log
                )
            )
            if n == 1:
                wait_for(
                    lambda: b"Beat lock taken" in logs[0].read_bytes(),
                    seconds=60,
                    what="the first beat's lock",
                )
        wait_for(
            lambda: b"waiting as a standby" in logs[1].read_bytes(),
            seconds=60,
            what="the second beat waiting",
        )
        assert b"Beat lock taken" not in logs[1].read_bytes()
        beats[0].send_signal(signal.SIGKILL)
        beats[0].wait(timeout=10)
        wait_for(
            lambda: b"Beat lock taken" in logs[1].read_bytes(),
            seconds=30,
            what="the second beat taking over",
        )
    finally:
        stop(beats)
        client.delete("sfoqa:beat")

"""
Benchmark the SFO review list at 100,000 reviews against a bare Django view.

Creates (or reuses) a separate PostgreSQL database, migrates it, seeds
100,000 reviews with bulk_create, starts gunicorn (2 workers) with production
settings on 127.0.0.1, signs a lead inspector in with a plain POST, then runs
a bounded load generator (4 connections, a fixed duration per target) and
prints requests/s, p50/p95 latency, errors and the ratio to the baseline.

    .venv/bin/python bench/reviews_list.py

DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/sfoqa_bench).
"""

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sfoqa_bench"
)
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
REVIEWS = 100_000
CONNECTIONS = 4
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
PASSWORD = "bench-password-not-secret"  # noqa: S105
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "bench.reviews_settings",
    "SECRET_KEY": "bench-only-throwaway-secret-key-0123456789",
    "DEBUG": "false",
    "SECURE": "false",
    "REQUIRE_2FA": "false",
    "ALLOWED_HOSTS": HOST,
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "REDIS_URL": "",
    "CONN_MAX_AGE": "60",
    "PYTHONPATH": str(ROOT),
}


def create_database() -> None:
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django() -> None:
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _review_rows(count: int):
    import random
    from datetime import date, timedelta

    from accounts.models import Organisation
    from reviews.models import (
        DeliveryUnit,
        MappaCategory,
        OffenceCategory,
        Review,
        RiskLevel,
        SupervisionType,
    )

    rng = random.Random(1)
    units = list(DeliveryUnit.objects.all())
    offences = list(OffenceCategory.objects.all())
    organisation = Organisation.objects.get(name="HM Prison and Probation Service")
    common = {
        "organisation": organisation,
        "supervision_type": SupervisionType.objects.first(),
        "mappa_category": MappaCategory.objects.first(),
        "risk_level": RiskLevel.objects.first(),
        "reviewing_manager": "Bench Reviewer",
        "countersigning_manager": "Bench Countersigner",
        "family_meeting_offered": True,
        "family_meeting_held": False,
    }
    start = date(2019, 4, 1)
    for number in range(count):
        unit = rng.choice(units)
        received = start + timedelta(days=rng.randint(0, 2500))
        target = received - timedelta(days=rng.randint(-30, 30))
        commissioned = target - timedelta(days=120)
        yield Review(
            **common,
            hmpps_reference=f"BENCH-{number:06d}",
            crn=f"X{number:06d}",
            region_id=unit.region_id,
            delivery_unit=unit,
            offence_category=rng.choice(offences),
            offence_date=commissioned - timedelta(days=30),
            charge_date=commissioned - timedelta(days=20),
            first_court_date=commissioned - timedelta(days=10),
            notification_date=commissioned - timedelta(days=5),
            commissioned_date=commissioned,
            target_date=target,
            due_date=target + timedelta(days=rng.choice([0, 0, 30, 60])),
            submitted_date=received,
            received_on=received,
            status=rng.choice(["received", "sampled", "not_sampled", "not_sampled"]),
        )


def seed() -> None:
    from itertools import islice

    from django.contrib.auth.models import Group
    from django.db import connection

    from accounts.models import Organisation, User
    from reviews.models import Review

    existing = Review.objects.count()
    if existing < REVIEWS:
        Review.objects.all().delete()
        rows = _review_rows(REVIEWS)
        while batch := list(islice(rows, 5000)):
            Review.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reviews_review")
    lead, _ = User.objects.get_or_create(
        email="bench.lead@example.org",
        defaults={
            "full_name": "Bench Lead",
            "organisation": Organisation.objects.get(kind="hmip"),
        },
    )
    lead.set_password(PASSWORD)
    lead.save()
    lead.groups.set([Group.objects.get(name="lead_inspector")])


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "sfoqa.wsgi",
            "-b",
            f"{HOST}:{PORT}",
            "-w",
            "2",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def _cookies(response, jar: dict) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        jar[name] = value


def sign_in() -> str:
    """A plain sign-in POST, as a browser would; returns the Cookie header."""
    jar: dict[str, str] = {}
    connection = http.client.HTTPConnection(HOST, PORT, timeout=10)
    connection.request("GET", "/sign-in/")
    response = connection.getresponse()
    page = response.read().decode()
    _cookies(response, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "email": "bench.lead@example.org",
            "password": PASSWORD,
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Referer": f"http://{HOST}:{PORT}/sign-in/",
    }
    connection.request("POST", "/sign-in/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    _cookies(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"sign-in failed: {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _worker(path: str, cookie: str, until: float, results: list, errors: list):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            ok = False
        (results if ok else errors).append(time.perf_counter() - started)


def measure(path: str, cookie: str = "") -> dict:
    results: list[float] = []
    errors: list[float] = []
    until = time.perf_counter() + SECONDS
    threads = [
        threading.Thread(target=_worker, args=(path, cookie, until, results, errors))
        for _ in range(CONNECTIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(results) or [0.0]
    return {
        "path": path,
        "requests": len(results),
        "rps": len(results) / SECONDS,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1 if len(latencies) > 1 else 0]
        * 1000,
        "errors": len(errors),
    }


def main() -> None:
    create_database()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    setup_django()
    started = time.perf_counter()
    seed()
    print(f"Seeded {REVIEWS:,} reviews in {time.perf_counter() - started:.1f} s")
    server = start_server()
    try:
        cookie = sign_in()
        targets = [
            ("bare Django view (baseline)", "/bench/bare/", ""),
            ("/healthz (one query)", "/healthz", ""),
            ("home page (signed in, no list)", "/", cookie),
            ("review list, page 1", "/reviews/", cookie),
            (
                "review list, region + year filter",
                "/reviews/?region=9&year=2023",
                cookie,
            ),
            ("review list, page 200", "/reviews/?page=200", cookie),
        ]
        rows = [(label, measure(path, who)) for label, path, who in targets]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    baseline = rows[0][1]["rps"] or 1
    print(
        f"\n{CONNECTIONS} connections, {SECONDS:.0f} s per target, 2 gunicorn workers"
    )
    print(
        f"{'target':<36}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'errors':>8}{'vs bare':>9}"
    )
    for label, r in rows:
        print(
            f"{label:<36}{r['requests']:>9}{r['rps']:>9.0f}{r['p50']:>9.1f}"
            f"{r['p95']:>9.1f}{r['errors']:>8}{r['rps'] / baseline:>9.2f}"
        )


if __name__ == "__main__":
    main()

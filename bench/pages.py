"""
Benchmark the hot pages at scale against a bare Django view in the same run.

Creates (or reuses) a PostgreSQL database, migrates it, seeds 100,000 reviews
and 20,000 assessments with their standards and findings and 10,000 learning
items in the learning library (bulk_create, once), starts gunicorn (2
workers) with production settings on 127.0.0.1, signs a
lead inspector and an inspector in with plain POSTs (password, then the
security code from their authenticator, as production asks), and measures each page
for a fixed time with `wrk` (the Python client where wrk is not installed),
then 32 connections on the review list. Prints one table: requests/s,
p50/p95/p99 latency, errors, the ratio to the bare view (loaded for a
moment just before the target in each round, see measure_rounds) and the
queries per request (from a counting middleware in the benchmark's settings
only).

    .venv/bin/python bench/pages.py [--compare REV] [--seconds 8] [--only WORD]

--compare REV also serves the code of git revision REV (same database, same
run, targets interleaved) and prints its table first, for before/after.
DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/sfoqa_bench).
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sfoqa_bench"
)
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
REVIEWS = 100_000
ASSESSMENTS = 20_000
LEARNING_ITEMS = 10_000
LEARNING_PANELS = 50
INSPECTORS = 50
CONNECTIONS = 4
OVERLOAD_CONNECTIONS = 32
OVERLOAD_SECONDS = 10
DRAIN_LIMIT_SECONDS = 5
DEEP_PAGE = 200
# How long each round loads the bare view before a target, for its ratio.
BARE_SECONDS = 2
# A page slower than this is timed once, not loaded (it would only time out).
SLOW_SECONDS = 1.5
PASSWORD = "bench-password-not-secret"  # noqa: S105
LEAD = "bench.lead@example.org"
INSPECTOR = "bench.inspector@example.org"
WRK = shutil.which("wrk")
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": "bench-only-throwaway-secret-key-0123456789",
    "DEBUG": "false",
    "SECURE": "false",
    "ALLOWED_HOSTS": HOST,
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "REDIS_URL": "",
    "CONN_MAX_AGE": "60",
    "PYTHONPATH": str(ROOT),
}


# Seeding -------------------------------------------------------------------


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
        # The planner's cost of a random read, as the service's database
        # server is set (docker-compose.yml): its data is in memory or on SSD.
        cursor.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')
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
    common = {
        "organisation": Organisation.objects.get(kind="hmpps"),
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


def _bulk(model, rows, size: int = 5000) -> None:
    from itertools import islice

    rows = iter(rows)
    while batch := list(islice(rows, size)):
        model.objects.bulk_create(batch)


def _user(email: str, name: str, role: str):
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Organisation, User

    user, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": name,
            "organisation": Organisation.objects.get(kind="hmip"),
        },
    )
    user.set_password(PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    return user


def security_code(email: str) -> str:
    """The code the user's authenticator shows now. Each sign-in may use the
    same one: the device forgets the last code it took (a benchmark signs
    the same users in to each server, several times a minute)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user__email=email, confirmed=True)
    devices.update(last_t=-1, throttling_failure_count=0)
    device = devices.get()
    code = totp(device.bin_key, device.step, device.t0, device.digits)
    return f"{code:0{device.digits}d}"


def _inspectors(lead):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.models import Organisation, User

    emails = [f"bench.inspector.{n}@example.org" for n in range(INSPECTORS - 1)]
    hmip = Organisation.objects.get(kind="hmip")
    User.objects.bulk_create(
        [
            User(
                email=e,
                full_name=f"Inspector {e[16:-12]}",
                organisation=hmip,
                password=make_password(None),
            )
            for e in emails
        ],
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(email__in=emails))
    group = Group.objects.get(name="inspector")
    group.user_set.add(*users)
    return users


def _seed_assessments(lead, inspector) -> None:
    """20,000 assessments over the reviews, mostly published, each with its
    four standards, two findings and (when published) a publication."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from ratings.models import (
        Assessment,
        Finding,
        Framework,
        OverallPolicy,
        Publication,
        StandardAssessment,
    )
    from reports.models import ReportJob
    from reviews.models import Allocation, Review

    rng = random.Random(2)
    inspectors = [inspector, *_inspectors(lead)]
    framework = Framework.objects.get(is_active=True)
    standards = list(framework.standards.all())
    policy = OverallPolicy.objects.get(is_active=True)
    reviews = list(Review.objects.order_by("id").values_list("id", flat=True)[::5])
    reviews = reviews[:ASSESSMENTS]
    Review.objects.filter(id__in=reviews).update(status=Review.Status.PUBLISHED)
    now = timezone.now()
    _bulk(
        Allocation,
        (
            Allocation(
                review_id=r,
                inspector=inspectors[i % len(inspectors)],
                allocated_by=lead,
                due_date=now.date(),
                conflict="none",
                allocated_at=now - timedelta(days=i % 2000),
                # Each gets its assessment below.
                started_at=now - timedelta(days=i % 2000),
            )
            for i, r in enumerate(reviews)
        ),
    )
    allocations = Allocation.objects.filter(review_id__in=reviews).order_by("id")
    statuses = ["published"] * 90 + ["signed_off"] * 2 + ["submitted"] * 1
    statuses += ["returned"] * 1 + ["draft"] * 6
    _bulk(
        Assessment,
        (
            Assessment(
                review_id=a.review_id,
                allocation=a,
                due_date=a.due_date,
                inspector_id=a.inspector_id,
                framework=framework,
                policy=policy,
                status=rng.choice(statuses),
                overall_rating=rng.randint(1, 4),
                overall_suggested=2,
                overall_reason="Bench reason.",
                submitted_at=a.allocated_at + timedelta(days=20),
                signed_off_at=a.allocated_at + timedelta(days=25),
                published_at=a.allocated_at + timedelta(days=30),
            )
            for a in allocations.iterator(chunk_size=5000)
        ),
    )
    assessments = Assessment.objects.filter(session_review__isnull=True)
    ids = list(assessments.values_list("id", "status"))
    text = "The review analyses the risk assessment well. " * 4
    _bulk(
        StandardAssessment,
        (
            StandardAssessment(
                assessment_id=pk, standard=s, rating=rng.randint(1, 4), evidence=text
            )
            for pk, _ in ids
            for s in standards
        ),
    )
    _bulk(
        Finding,
        (
            Finding(assessment_id=pk, kind=kind, text=text, level="team")
            for pk, _ in ids
            for kind in ("learning", "good_practice")
        ),
    )
    published = [pk for pk, status in ids if status == "published"]
    _bulk(
        ReportJob,
        (
            ReportJob(
                kind="qa_report",
                params={"assessment": pk},
                requested_by=lead,
                status="done",
                progress=100,
            )
            for pk in published
        ),
    )
    jobs = ReportJob.objects.filter(kind="qa_report").order_by("id")
    _bulk(
        Publication,
        (
            Publication(assessment_id=pk, number=1, published_by=lead, report_job=job)
            for pk, job in zip(published, jobs.iterator(chunk_size=5000), strict=False)
        ),
    )


def _seed_snapshots() -> None:
    """Each publication's snapshot, the report as published, of the size a
    real one has: 250 words of evidence for each standard and 80 words each
    of strengths and areas for improvement (about 15 KB of JSON; the rating
    form takes up to 20,000 characters a field). PostgreSQL keeps a value
    that size compressed out of the row (TOAST), as it would the real ones.
    Its overall rating is its assessment's."""
    import copy
    import random

    from ratings.models import Assessment, Publication, Rating
    from ratings.selectors import snapshot_of

    if not Publication.objects.filter(snapshot={}).exists():
        return
    rng = random.Random(3)
    words = (  # noqa: SIM905 - one string reads as the prose it imitates
        "the review analysis of practice risk assessment probation officer "
        "supervision contact victim family learning actions manager oversight "
        "domestic abuse safeguarding police information sharing recall licence "
        "conditions home visit court report judgement evidence sentence plan "
        "partnership multi-agency public protection arrangements"
    ).split()

    def text(count: int) -> str:
        return " ".join(rng.choice(words) for _ in range(count)).capitalize() + "."

    first = Publication.objects.order_by("id").first()
    snapshot = snapshot_of(Assessment.objects.get(pk=first.assessment_id))
    for standard in snapshot["standards"]:
        standard["evidence"] = text(250)
        standard["strengths"] = text(80)
        standard["improvements"] = text(80)
    unset = Publication.objects.filter(snapshot={})
    for value, label in [*Rating.choices, (None, "")]:
        snapshot["overall"]["rating"] = str(label)
        rated = {"assessment__overall_rating": value} if value is not None else {}
        unset.filter(**rated).update(snapshot=copy.deepcopy(snapshot))


def _seed_own_drafts(lead, inspector) -> list[int]:
    """Four assessments in progress for the benchmark's inspector, made by the
    services, so the rating form and autosave run as in use."""
    from datetime import date

    from ratings import services
    from reviews.models import Allocation, Review

    drafts = []
    for number in range(4):
        review = Review.objects.get(hmpps_reference=f"BENCH-{number * 5 + 1:06d}")
        allocation, _ = Allocation.objects.get_or_create(
            review=review,
            is_current=True,
            defaults={
                "inspector": inspector,
                "allocated_by": lead,
                "due_date": date(2030, 1, 1),
                "conflict": "none",
            },
        )
        drafts.append(services.assessment_start(allocation=allocation).pk)
    return drafts


# The learning library: disseminated items about a few topics each, the rest
# of their words drawn from a large vocabulary, so that a search matches some
# items, not all of them.
LEARNING_TOPICS = [
    "police",
    "intelligence",
    "release",
    "plan",
    "housing",
    "medication",
    "mental",
    "health",
    "risk",
    "assessment",
    "domestic",
    "abuse",
    "victim",
    "contact",
    "safeguarding",
    "supervision",
    "licence",
    "recall",
    "prison",
    "information",
    "sharing",
    "chronology",
    "agency",
    "referral",
]
LEARNING_FILLER = [
    f"{stem}{n}" for stem in ("ana", "bel", "cor", "dun", "eri") for n in range(400)
]


def _learning_text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(LEARNING_FILLER) for _ in range(words - 2)]
    chosen += rng.sample(LEARNING_TOPICS, 2)
    rng.shuffle(chosen)
    return " ".join(chosen).capitalize() + "."


def seed_learning() -> dict:
    """10,000 disseminated learning items over 50 panels, each with a theme
    and an agency, indexed for search (once); the first theme's slug and this
    year, for the library's filters. The caller vacuums and analyses after."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import AgencyType
    from panels.models import LearningItem, Panel
    from panels.services import learning_index
    from ratings.models import Theme
    from reviews.models import Region

    theme = Theme.objects.order_by("pk").first()
    if LearningItem.objects.count() < LEARNING_ITEMS:
        rng = random.Random(7)
        chair = _user("bench.chair@example.org", "Bench Chair", "lead_inspector")
        region = Region.objects.first()
        panels = [
            Panel.objects.create(
                title=f"Bench panel {n}", region=region, chair=chair, status="active"
            )
            for n in range(LEARNING_PANELS)
        ]
        now = timezone.now()
        _bulk(
            LearningItem,
            (
                LearningItem(
                    panel=panels[n % LEARNING_PANELS],
                    title=_learning_text(rng, 5)[:200],
                    what_happened=_learning_text(rng, 40),
                    why=_learning_text(rng, 30),
                    learning=_learning_text(rng, 30),
                    recommendation=_learning_text(rng, 15),
                    level=rng.choice(["individual", "team", "region", "national"]),
                    status="disseminated",
                    created_by=chair,
                    approved_by=chair,
                    approved_at=now,
                    disseminated_at=now - timedelta(days=rng.randint(0, 900)),
                )
                for n in range(LEARNING_ITEMS)
            ),
        )
        themes = list(Theme.objects.all())
        agencies = list(AgencyType.objects.all())
        through = LearningItem.themes.through
        links = [
            through(learningitem_id=pk, theme_id=rng.choice(themes).pk)
            for pk in LearningItem.objects.values_list("pk", flat=True)
        ]
        _bulk(through, links)
        agency_through = LearningItem.agencies.through
        _bulk(
            agency_through,
            [
                agency_through(
                    learningitem_id=link.learningitem_id,
                    agencytype_id=rng.choice(agencies).pk,
                )
                for link in links
            ],
        )
    learning_index(items=LearningItem.objects.filter(search_vector__isnull=True))
    return {"theme": theme.slug, "year": timezone.now().year}


def seed() -> dict:
    from datetime import date

    from django.db import connection

    from ratings.models import Assessment
    from reviews.models import Review, SampleRound
    from reviews.services import sample_round_draw

    if Review.objects.count() < REVIEWS:
        Assessment.objects.all().delete()
        Review.objects.all().delete()
        _bulk(Review, _review_rows(REVIEWS))
    lead = _user(LEAD, "Bench Lead", "lead_inspector")
    inspector = _user(INSPECTOR, "Bench Inspector", "inspector")
    if Assessment.objects.count() < ASSESSMENTS:
        _seed_assessments(lead, inspector)
    _seed_snapshots()
    drafts = _seed_own_drafts(lead, inspector)
    sample_round = SampleRound.objects.filter(created_by=lead).first()
    if sample_round is None:
        sample_round = sample_round_draw(
            by=lead,
            period_start=date(2024, 4, 1),
            period_end=date(2024, 6, 30),
            seed=1,
        )
    seed_learning()
    with connection.cursor() as cursor:
        # As autovacuum leaves a settled database: statistics, and the
        # visibility map that lets an index answer without the table.
        cursor.execute("VACUUM ANALYZE")
    return {"drafts": drafts, "sample_round": sample_round.pk}


# Serving -------------------------------------------------------------------


@dataclass
class Server:
    name: str
    root: Path
    port: int
    process: subprocess.Popen | None = None
    cookies: dict = field(default_factory=dict)
    paths: dict = field(default_factory=dict)  # deep pages, once found

    def start(self) -> None:
        env = {**ENV, "PYTHONPATH": str(self.root)}
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "sfoqa.wsgi",
                "-b",
                f"{HOST}:{self.port}",
                "-w",
                "2",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=self.root,
            env=env,
        )
        for _ in range(150):
            try:
                request(self.port, "GET", "/healthz")
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit(f"gunicorn ({self.name}) did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def source_tree(revision: str) -> Path:
    """The code of a git revision (or a copy of a source folder) in a
    temporary folder, with today's bench/."""
    folder = Path(tempfile.mkdtemp(prefix="sfoqa-bench-"))
    if Path(revision).is_dir():
        shutil.copytree(revision, folder, dirs_exist_ok=True)
    else:
        archive = subprocess.run(
            ["git", "archive", revision], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    for name in ("settings.py", "urls.py", "query_count.py"):
        shutil.copy(ROOT / "bench" / name, folder / "bench" / name)
    (folder / "static").exists() or shutil.copytree(ROOT / "static", folder / "static")
    return folder


def request(
    port: int, method: str, path: str, *, cookie: str = "", body=None, headers=None
):
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    sent = {"Cookie": cookie} if cookie else {}
    sent.update(headers or {})
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    content = response.read().decode(errors="replace")
    connection.close()
    return response, content


def _cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


SECURITY_CODE = "/sign-in/security-code/"
CSRF_FIELD = r'name="csrfmiddlewaretoken" value="([^"]+)"'


def sign_in(port: int, email: str) -> str:
    """Plain sign-in POSTs, as a browser sends them; returns the Cookie header."""
    jar: dict[str, str] = {}

    def keep(response):
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            jar[name] = value

    response, page = request(port, "GET", "/sign-in/")
    keep(response)
    token = re.search(CSRF_FIELD, page).group(1)
    body = urlencode(
        {"csrfmiddlewaretoken": token, "email": email, "password": PASSWORD}
    )
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response, _ = request(
        port, "POST", "/sign-in/", cookie=_cookie_header(jar), body=body, headers=form
    )
    keep(response)
    if response.getheader("Location", "").endswith(SECURITY_CODE):
        response, page = request(port, "GET", SECURITY_CODE, cookie=_cookie_header(jar))
        keep(response)
        token = re.search(CSRF_FIELD, page).group(1)
        body = urlencode({"csrfmiddlewaretoken": token, "code": security_code(email)})
        response, _ = request(
            port,
            "POST",
            SECURITY_CODE,
            cookie=_cookie_header(jar),
            body=body,
            headers=form,
        )
        keep(response)
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"sign-in failed for {email}: {response.status}")
    return _cookie_header(jar)


def follow_next(port: int, path: str, cookie: str, times: int) -> str:
    """The path reached by following the "Next" link `times` times."""
    for _ in range(times):
        _, page = request(port, "GET", path, cookie=cookie)
        found = re.search(r'href="([^"]*)" rel="next"', page)
        if not found:
            break
        path = "/reviews/" + found.group(1).replace("&amp;", "&")
    return path


# Targets -------------------------------------------------------------------


@dataclass
class Target:
    label: str
    path: str
    who: str = ""  # "", "lead" or "inspector"
    post: dict | None = None  # form fields of an autosave POST
    deep: bool = False


def targets(seeded: dict) -> list[Target]:
    draft = seeded["drafts"][0]
    return [
        Target("bare Django view (baseline)", "/bench/bare/"),
        Target("/healthz", "/healthz"),
        Target("bare view, signed in", "/bench/signed-in/", "lead"),
        Target("empty page shell, signed in", "/bench/shell/", "lead"),
        Target("home (signed in)", "/", "lead"),
        Target("review list, page 1", "/reviews/", "lead"),
        Target(f"review list, page {DEEP_PAGE}", "/reviews/", "lead", deep=True),
        Target("review list, region + year", "/reviews/?region=9&year=2023", "lead"),
        Target(
            "rating form GET", f"/quality-assurance/{draft}/standard/1/", "inspector"
        ),
        Target(
            "autosave POST",
            "/quality-assurance/{pk}/autosave/standard-1/",
            "inspector",
            post={"rating": "3", "evidence": "Bench evidence."},
        ),
        Target("moderation queue", "/quality-assurance/moderation/", "lead"),
        Target("Your QA work", "/quality-assurance/", "inspector"),
        Target("published QA reports", "/quality-assurance/published/", "lead"),
        Target(
            "sample round page", f"/reviews/sampling/{seeded['sample_round']}/", "lead"
        ),
        Target(
            "learning library, search",
            "/learning/?q=police+intelligence",
            "inspector",
        ),
        Target("QA dashboard", "/dashboard/", "lead"),
        Target("QA dashboard, one region", "/dashboard/?region=9", "lead"),
    ]


def autosave_once(server: Server, target: Target, seeded: dict, cookie: str):
    """Each draft's CSRF token and lock version, and one autosave of the first
    (again if a request of the last run, still in flight, got there first)."""
    for _ in range(10):
        posts = []
        for pk in seeded["drafts"]:
            form = f"/quality-assurance/{pk}/standard/1/"
            _, page = request(server.port, "GET", form, cookie=cookie)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            lock = re.search(r'name="lock_version" value="(\d+)"', page)
            path = target.path.format(pk=pk)
            posts.append({"path": path, "token": token[1], "lock": lock[1]})
        response, _ = request(
            server.port,
            "POST",
            posts[0]["path"],
            cookie=cookie,
            body=urlencode({**target.post, "lock_version": posts[0]["lock"]}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": posts[0]["token"],
            },
        )
        if response.status != 409:
            break
        time.sleep(1)
    posts[0]["lock"] = str(int(posts[0]["lock"]) + 1)
    return posts, response


def prepare(server: Server, target: Target, seeded: dict) -> dict:
    """Resolve the path (deep pages, CSRF tokens) and count the queries."""
    cookie = server.cookies.get(target.who, "")
    path = target.path
    if target.deep:
        if target.label not in server.paths:
            server.paths[target.label] = follow_next(
                server.port, path, cookie, DEEP_PAGE - 1
            )
        path = server.paths[target.label]
    posts, seconds = [], 0.0
    if target.post:
        posts, response = autosave_once(server, target, seeded, cookie)
        path = posts[0]["path"]
    else:
        started = time.perf_counter()
        response, _ = request(server.port, "GET", path, cookie=cookie)
        seconds = time.perf_counter() - started
    if response.status != 200:  # reported in the table, not measured
        return {"path": path, "queries": "-", "failed": response.status}
    queries = response.headers.get("X-Bench-Queries", "?")
    if not posts:
        # The median of three reads: one of them may be the read that renews
        # the session's expiry (at most once a minute), two queries more.
        counts = [queries]
        for _ in range(2):
            again, _ = request(server.port, "GET", path, cookie=cookie)
            counts.append(again.headers.get("X-Bench-Queries", "?"))
        queries = sorted(counts, key=lambda count: (len(count), count))[1]
    prepared = {"path": path, "cookie": cookie, "posts": posts, "queries": queries}
    if not posts and seconds > SLOW_SECONDS:
        prepared["slow"] = seconds
    return prepared


LUA = r"""
local posts = {POSTS}
local fields = "{FIELDS}"
local counter = 0
local threads = {}
local mine = nil
local lock = 0
fivexx = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  if #posts > 0 then
    mine = posts[((index - 1) % #posts) + 1]
    lock = tonumber(mine.lock)
  end
end

function request()
  if mine then
    local body = fields .. "&lock_version=" .. lock
    return wrk.format("POST", mine.path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-CSRFToken"] = mine.token,
      ["Cookie"] = "{COOKIE}",
    }, body)
  end
  return wrk.format(nil, nil, {["Cookie"] = "{COOKIE}"})
end

function response(status, headers, body)
  if status >= 500 then fivexx = fivexx + 1 end
  if mine then
    local found = string.match(body or "", '"lock_version": *(%d+)')
    if found then lock = tonumber(found) end
  end
end

function done(summary, latency, requests)
  local total5 = 0
  for _, thread in ipairs(threads) do total5 = total5 + (thread:get("fivexx") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, ' ..
    '"errors": %d, "fivexx": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.status + e.timeout, total5))
end
"""


def _lua(prepared: dict, fields: dict) -> str:
    posts = ", ".join(
        f'{{path="{p["path"]}", token="{p["token"]}", lock="{p["lock"]}"}}'
        for p in prepared["posts"]
    )
    return (
        LUA.replace("{POSTS}", "{" + posts + "}")
        .replace("{FIELDS}", urlencode(fields))
        .replace("{COOKIE}", prepared["cookie"])
    )


def run_wrk(
    port: int, prepared: dict, fields: dict, connections: int, seconds: float
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(prepared, fields))
    threads = min(connections, 4) if not prepared["posts"] else connections
    out = subprocess.run(
        [
            WRK,
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds:.0f}s",
            "--timeout",
            "5s",
            "-s",
            script.name,
            f"http://{HOST}:{port}{prepared['path']}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    os.unlink(script.name)
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH "))
    result = json.loads(line[6:])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def run_python(
    port: int, prepared: dict, fields: dict, connections: int, seconds: float
) -> dict:
    """The fallback load generator: one thread and connection per client."""
    latencies: list[float] = []
    errors = [0, 0]  # any error, 5xx
    until = time.perf_counter() + seconds

    def worker(index: int) -> None:
        post = (
            prepared["posts"][index % len(prepared["posts"])]
            if prepared["posts"]
            else None
        )
        lock = int(post["lock"]) if post else 0
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        while time.perf_counter() < until:
            started = time.perf_counter()
            try:
                if post:
                    connection.request(
                        "POST",
                        post["path"],
                        body=urlencode({**fields, "lock_version": lock}),
                        headers={
                            "Cookie": prepared["cookie"],
                            "X-CSRFToken": post["token"],
                            "Content-Type": "application/x-www-form-urlencoded",
                        },
                    )
                else:
                    connection.request(
                        "GET", prepared["path"], headers={"Cookie": prepared["cookie"]}
                    )
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                status, body = 0, b""
            latencies.append(time.perf_counter() - started)
            errors[0] += status >= 400 or status == 0
            errors[1] += status >= 500
            if post and (found := re.search(rb'"lock_version": *(\d+)', body)):
                lock = int(found.group(1))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return ordered[min(int(len(ordered) * p), len(ordered) - 1)] * 1000

    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": statistics.median(ordered) * 1000,
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": errors[0],
        "fivexx": errors[1],
    }


def load(port: int, prepared: dict, fields: dict, connections: int, seconds: float):
    if "failed" in prepared:
        return {
            "rps": 0,
            "p50": 0,
            "p95": 0,
            "p99": 0,
            "errors": 1,
            "fivexx": 1,
            "requests": 1,
            "note": f"FAILED: status {prepared['failed']}",
        }
    if "slow" in prepared:  # under load it would only time out: one request
        ms = prepared["slow"] * 1000
        return {
            "rps": 1000 / ms,
            "p50": ms,
            "p95": ms,
            "p99": ms,
            "errors": 0,
            "fivexx": 0,
            "requests": 1,
            "note": "one request, too slow to load",
        }
    runner = run_wrk if WRK else run_python
    return runner(port, prepared, fields, connections, seconds)


def drain_seconds(port: int, path: str, cookie: str) -> float:
    """How long after the overload until a fresh request is answered."""
    started = time.perf_counter()
    while time.perf_counter() - started < 30:
        try:
            response, _ = request(port, "GET", path, cookie=cookie)
            if response.status == 200:
                break
        except OSError:
            time.sleep(0.05)
    return time.perf_counter() - started


# Report --------------------------------------------------------------------


def print_table(server: Server, rows: list, seconds: float) -> None:
    generator = "wrk" if WRK else "Python threaded client"
    print(
        f"\n== {server.name}: {generator}, {CONNECTIONS} connections, "
        f"{seconds:.0f} s a target, gunicorn 2 workers, production settings"
    )
    print(
        f"{'page':<30}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'errors':>7}{'vs bare':>8}{'queries':>8}"
    )
    for label, r, queries in rows:
        print(
            f"{label:<30}{r['rps']:>8.0f}{r['p50']:>8.1f}{r['p95']:>8.1f}"
            f"{r['p99']:>8.1f}{r['errors']:>7}{r['ratio']:>8.3f}{queries:>8}"
            + (f"  ({r['note']})" if r.get("note") else "")
        )


def print_overload(server: Server, r: dict) -> None:
    if r:
        print(
            f"{server.name}, overload: {OVERLOAD_CONNECTIONS} connections for "
            f"{OVERLOAD_SECONDS} s on "
            f"the review list: {r['rps']:.0f} req/s, p99 {r['p99']:.0f} ms, "
            f"{r['fivexx']} 5xx, {r['errors']} errors, drained in {r['drain']:.2f} s "
            f"({'ok' if r['ok'] else 'FAILS'}: no 5xx, p99 <= 1000 ms, drain <= "
            f"{DRAIN_LIMIT_SECONDS} s)"
        )


def measure_rounds(servers, target: Target, seeded: dict, args) -> dict:
    """Each server in turn, round after round, so that drift in the machine's
    load hits every server alike; the rounds' requests are summed and their
    percentiles' medians taken. Each round also loads the bare view for
    BARE_SECONDS just before the target on the same server, and the
    target's ratio is to that bare view, measured seconds rather than minutes
    before it: the machine's slow drift over a run (the bare view alone moved
    by 15% between runs) reaches both alike. The bare view's own noise over
    those seconds stays in the ratio."""
    runs = {server.name: [] for server in servers}
    bares = {server.name: [] for server in servers}
    queries = {}
    seconds = args.seconds / args.rounds
    bare = Target("bare", "/bench/bare/")
    for _ in range(args.rounds):
        for server in servers:
            if target.path != bare.path:
                bares[server.name].append(
                    load(
                        server.port,
                        prepare(server, bare, seeded),
                        {},
                        CONNECTIONS,
                        min(seconds, BARE_SECONDS),
                    )
                )
                time.sleep(0.5)
            prepared = prepare(server, target, seeded)
            queries[server.name] = prepared["queries"]
            runs[server.name].append(
                load(server.port, prepared, target.post or {}, CONNECTIONS, seconds)
            )
            time.sleep(0.5)  # let requests still in flight finish first
    merged = {}
    for name, results in runs.items():
        rps = statistics.mean(r["rps"] for r in results)
        bare_rps = statistics.mean(r["rps"] for r in bares[name] or results)
        merged[name] = (
            {
                "rps": rps,
                "ratio": rps / (bare_rps or 1),
                **{
                    k: statistics.median(r[k] for r in results)
                    for k in ("p50", "p95", "p99")
                },
                "errors": sum(r["errors"] for r in results),
                "note": results[0].get("note", ""),
            },
            queries[name],
        )
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--compare", metavar="REV", help="git revision (or source folder) to compare"
    )
    parser.add_argument("--seconds", type=float, default=8, help="a target, in all")
    parser.add_argument("--rounds", type=int, default=4, help="slices of --seconds")
    parser.add_argument("--only", help="measure only targets whose label has this")
    parser.add_argument("--no-overload", action="store_true")
    args = parser.parse_args()
    create_database()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    setup_django()
    started = time.perf_counter()
    seeded = seed()
    print(
        f"Seeded {REVIEWS:,} reviews, {ASSESSMENTS:,} assessments and "
        f"{LEARNING_ITEMS:,} learning items "
        f"({time.perf_counter() - started:.0f} s)"
    )
    servers = [Server("after (working tree)", ROOT, PORT)]
    if args.compare:
        servers.insert(
            0, Server(f"before ({args.compare})", source_tree(args.compare), PORT + 1)
        )
    chosen = [
        t
        for t in targets(seeded)
        if not args.only or args.only in t.label or t.path == "/bench/bare/"
    ]
    results = {s.name: [] for s in servers}
    overloads = {}
    try:
        for server in servers:
            server.start()
            server.cookies = {
                "lead": sign_in(server.port, LEAD),
                "inspector": sign_in(server.port, INSPECTOR),
            }
        for target in chosen:
            print(target.label, file=sys.stderr, flush=True)
            rounds = measure_rounds(servers, target, seeded, args)
            for server in servers:
                results[server.name].append((target.label, *rounds[server.name]))
                print(server.name, target.label, rounds[server.name], file=sys.stderr)
        for server in servers:
            print_table(server, results[server.name], args.seconds)
        if not args.no_overload:
            for server in servers:
                prepared = prepare(server, Target("list", "/reviews/", "lead"), seeded)
                if "failed" in prepared:
                    print(f"{server.name}: the review list gave {prepared['failed']}")
                    continue
                r = load(
                    server.port, prepared, {}, OVERLOAD_CONNECTIONS, OVERLOAD_SECONDS
                )
                r["drain"] = drain_seconds(server.port, "/reviews/", prepared["cookie"])
                r["ok"] = (
                    not r["fivexx"]
                    and r["p99"] <= 1000
                    and r["drain"] <= DRAIN_LIMIT_SECONDS
                )
                overloads[server.name] = r
    finally:
        for server in servers:
            server.stop()
    for server in servers:
        if server.name in overloads:
            print_overload(server, overloads[server.name])


if __name__ == "__main__":
    main()

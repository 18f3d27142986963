"""
Benchmark the learning library's search at 10,000 disseminated items against
a bare Django view in the same run (target: p95 <= 100 ms at 4 connections).

Creates (or reuses) a PostgreSQL database, migrates it, seeds 10,000 learning
items over 50 panels (bulk_create, once), starts gunicorn (2 workers) with
production settings, signs an inspector in and measures each target with
`wrk` (or the Python client), using the machinery of bench/pages.py.

    .venv/bin/python bench/learning_search.py [--seconds 8]

DATABASE_URL picks the database (default .../sfoqa_bench_learning).
"""

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sfoqa_bench_learning"
)
# Its own port, so it can run beside bench/pages.py.
os.environ.setdefault("BENCH_PORT", "8775")
sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402

ITEMS = 10_000
PANELS = 50
INSPECTOR = "bench.learning@example.org"
WORDS = [
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
TARGETS = [
    ("bare Django view", "/bench/bare/"),
    ("library, first page", "/learning/"),
    ("library, search", "/learning/?q=police+intelligence"),
    ("library, search and theme", "/learning/?q=medication&theme={theme}"),
    ("library, level and year", "/learning/?level=region&year={year}"),
]


# Each item is about a few topics; the rest of its words are drawn from a
# large vocabulary, so a search matches some items, not all of them.
FILLER = [
    f"{stem}{n}" for stem in ("ana", "bel", "cor", "dun", "eri") for n in range(400)
]


def _text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(FILLER) for _ in range(words - 2)] + rng.sample(WORDS, 2)
    rng.shuffle(chosen)
    return " ".join(chosen).capitalize() + "."


def seed() -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import AgencyType
    from panels.models import LearningItem, Panel
    from ratings.models import Theme
    from reviews.models import Region

    inspector = pages._user(INSPECTOR, "Bench Learning", "inspector")
    theme = Theme.objects.order_by("pk").first()
    if LearningItem.objects.count() < ITEMS:
        rng = random.Random(7)
        lead = pages._user("bench.chair@example.org", "Bench Chair", "lead_inspector")
        region = Region.objects.first()
        panels = [
            Panel.objects.create(
                title=f"Bench panel {n}", region=region, chair=lead, status="active"
            )
            for n in range(PANELS)
        ]
        now = timezone.now()
        rows = [
            LearningItem(
                panel=panels[n % PANELS],
                title=_text(rng, 5)[:200],
                what_happened=_text(rng, 40),
                why=_text(rng, 30),
                learning=_text(rng, 30),
                recommendation=_text(rng, 15),
                level=rng.choice(["individual", "team", "region", "national"]),
                status="disseminated",
                created_by=lead,
                approved_by=lead,
                approved_at=now,
                disseminated_at=now - timedelta(days=rng.randint(0, 900)),
            )
            for n in range(ITEMS)
        ]
        pages._bulk(LearningItem, rows)
        themes = list(Theme.objects.all())
        agencies = list(AgencyType.objects.all())
        through = LearningItem.themes.through
        links = [
            through(learningitem_id=pk, theme_id=rng.choice(themes).pk)
            for pk in LearningItem.objects.values_list("pk", flat=True)
        ]
        pages._bulk(through, links)
        agency_through = LearningItem.agencies.through
        pages._bulk(
            agency_through,
            [
                agency_through(
                    learningitem_id=link.learningitem_id,
                    agencytype_id=rng.choice(agencies).pk,
                )
                for link in links
            ],
        )
    from panels.services import learning_index

    learning_index(items=LearningItem.objects.filter(search_vector__isnull=True))
    from django.db import connection

    # Fresh planner statistics after the load, and the dead rows of the
    # index refresh cleared, as autovacuum would have done on a live database.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE panels_learningitem")
    return {"theme": theme.slug, "year": timezone.now().year, "inspector": inspector}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8, help="a target, in all")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    pages.create_database()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=pages.ENV,
        check=True,
    )
    pages.setup_django()
    started = time.perf_counter()
    seeded = seed()
    print(f"{ITEMS:,} learning items ready ({time.perf_counter() - started:.0f} s)")
    server = pages.Server("working tree", ROOT, pages.PORT)
    rows = []
    try:
        server.start()
        server.cookies = {"inspector": pages.sign_in(server.port, INSPECTOR)}
        for label, path in TARGETS:
            target = pages.Target(
                label, path.format(**seeded), "" if "bare" in label else "inspector"
            )
            rounds = pages.measure_rounds([server], target, seeded, args)
            rows.append((label, *rounds[server.name]))
    finally:
        server.stop()
    pages.print_table(server, rows, args.seconds)
    search = next(r for r in rows if r[0] == "library, search")[1]
    verdict = "meets" if search["p95"] <= 100 else "misses"
    print(f"\nSearch p95 {search['p95']:.0f} ms: {verdict} the 100 ms target.")


if __name__ == "__main__":
    main()

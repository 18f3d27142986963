"""
Benchmark the learning library's search at 10,000 disseminated items against
a bare Django view in the same run (target: p95 <= 100 ms at 4 connections).

Creates (or reuses) a PostgreSQL database, migrates it, seeds 10,000 learning
items over 50 panels (bulk_create, once), starts gunicorn (2 workers) with
production settings, signs an inspector in and measures each target with
`wrk` (or the Python client), using the machinery and the seeding of
bench/pages.py (whose table has the library's search too, beside the other
hot pages): this one loads the library's filters as well.

    .venv/bin/python bench/learning_search.py [--seconds 8]

DATABASE_URL picks the database (default .../sfoqa_bench_learning).
"""

import argparse
import os
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

INSPECTOR = "bench.learning@example.org"
TARGETS = [
    ("bare Django view", "/bench/bare/"),
    ("library, first page", "/learning/"),
    ("library, search", "/learning/?q=police+intelligence"),
    ("library, search and theme", "/learning/?q=medication&theme={theme}"),
    ("library, level and year", "/learning/?level=region&year={year}"),
]


def seed() -> dict:
    from django.db import connection

    inspector = pages._user(INSPECTOR, "Bench Learning", "inspector")
    seeded = pages.seed_learning()
    # Fresh planner statistics after the load, and the dead rows of the
    # index refresh cleared, as autovacuum would have done on a live database.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE panels_learningitem")
    return {**seeded, "inspector": inspector}


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
    seconds = time.perf_counter() - started
    print(f"{pages.LEARNING_ITEMS:,} learning items ready ({seconds:.0f} s)")
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

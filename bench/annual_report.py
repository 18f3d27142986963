"""
Benchmark the annual report at 1,000 published reviews with findings: time
and peak memory to count the figures and write the PDF and the data pack,
against a baseline measured in the same run (a one-paragraph PDF and a
one-sheet workbook through the same helpers). Target: <= 15 s and <= 400 MB.

Creates (or reuses) a PostgreSQL database, migrates it and seeds the reviews
(bulk, once). Each measurement runs in its own child process, as a worker
would, so each peak RSS is its own.

    .venv/bin/python bench/annual_report.py [--runs 3]

DATABASE_URL picks the database (default .../sfoqa_bench_annual).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sfoqa_bench_annual"
)
sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402

REVIEWS = 1_000
YEAR = 2024
PREFIX = "BENCH-AR-"

CHILD = r"""
import io, json, os, resource, sys, time
import django
django.setup()
from django.utils import timezone
from insights.reports import data_pack_xlsx, make_tables, render_pdf
from sfoqa import exports
from sfoqa.pdf import render

which, year = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
if which == "baseline":
    pdf = render("<html lang='en'><body><h1>Baseline</h1><p>One paragraph.</p>"
                 "</body></html>")
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, {"Sheet": exports.Table(["A"], [[1]])})
    pack = buffer.getvalue()
else:
    tables = make_tables(year)
    pdf = render_pdf(year, tables, version="bench", data_as_at=timezone.now(),
                     generated_by="Bench")
    pack = data_pack_xlsx(tables)
print(json.dumps({
    "seconds": time.perf_counter() - start,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "pdf_kb": len(pdf) / 1000,
    "pack_kb": len(pack) / 1000,
}))
"""


def seed() -> None:
    """1,000 reviews rated and published in the year, with findings."""
    import random
    from datetime import datetime, timedelta

    from accounts.models import User
    from insights.demo import (
        LONDON,
        OFFENCE_WEIGHTS,
        REGION_WEIGHTS,
        RatedCase,
        create_rated,
    )
    from reviews.models import Review

    if Review.objects.filter(hmpps_reference__startswith=PREFIX).exists():
        return
    lead, _ = User.objects.get_or_create(
        email="bench.lead@example.org", defaults={"full_name": "Bench Lead"}
    )
    inspector, _ = User.objects.get_or_create(
        email="bench.inspector@example.org", defaults={"full_name": "Bench Inspector"}
    )
    rng = random.Random(1000)
    start = datetime(YEAR, 4, 2, 10, tzinfo=LONDON)
    themes = ["risk-assessment", "management-oversight", "victim-contact", "mappa"]
    cases = [
        RatedCase(
            overall=rng.choice((1, 2, 2, 1, 3, 0)),
            published_at=start + timedelta(hours=8 * n),
            standards=[rng.randint(0, 3) for _ in range(4)],
            region=rng.choice(list(REGION_WEIGHTS)),
            offence=rng.choice(list(OFFENCE_WEIGHTS)),
            days_late=rng.choice((0, 0, 12)),
            findings=[
                ("poor_practice", [rng.choice(themes)], rng.choice(("yes", "no")))
                for _ in range(rng.randint(1, 5))
            ],
        )
        for n in range(REVIEWS)
    ]
    create_rated(cases, inspector=inspector, lead=lead, prefix=PREFIX)


def measure(which: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, str(YEAR)],
        cwd=ROOT, env={**pages.ENV, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    pages.create_database()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=pages.ENV,
        check=True,
    )
    pages.setup_django()
    seed()
    results = {"baseline": [], "annual report": []}
    for _ in range(runs):  # interleaved, so drift hits both alike
        for which in results:
            results[which].append(measure(which.split()[0]))
    print(f"{REVIEWS:,} published reviews; {runs} runs of each, own process each")
    print(f"{'run':<16}{'median s':>10}{'max s':>8}{'peak MB':>9}{'PDF KB':>8}")
    medians = {}
    for which, rows in results.items():
        seconds = sorted(r["seconds"] for r in rows)
        medians[which] = seconds[len(seconds) // 2]
        peak = max(r["peak_mb"] for r in rows)
        print(
            f"{which:<16}{medians[which]:>10.2f}{seconds[-1]:>8.2f}{peak:>9.0f}"
            f"{rows[-1]['pdf_kb']:>8.0f}"
        )
    report = results["annual report"]
    worst_s = max(r["seconds"] for r in report)
    worst_mb = max(r["peak_mb"] for r in report)
    ratio = medians["annual report"] / medians["baseline"]
    print(f"\nannual report / baseline median time: {ratio:.1f}x")
    verdict = "meets" if worst_s <= 15 and worst_mb <= 400 else "misses"
    print(f"Slowest {worst_s:.1f} s, peak {worst_mb:.0f} MB: {verdict} 15 s / 400 MB.")


if __name__ == "__main__":
    main()

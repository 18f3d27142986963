"""
Measure the QA report PDF: render time and peak memory, as a ratio against a
baseline measured in the same run (a one-paragraph PDF through the same
renderer, `sfoqa.pdf.render`).

    .venv/bin/python bench/qa_report_pdf.py [--runs 10]

Rendering runs in a child process, like a Celery worker: the first render
(cold: fonts and WeasyPrint loading) is reported apart from the warm ones.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, statistics, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sfoqa.settings")
os.environ.setdefault("DEBUG", "true")
import django
django.setup()
from datetime import datetime, timezone
from sfoqa.pdf import Stamp, render, render_template

runs = int(sys.argv[1])
stamp = Stamp(title="QA report SFO-BENCH-1", version="1",
              data_as_at=datetime(2026, 11, 26, tzinfo=timezone.utc),
              generated_by="Bench")
text = ("The review analyses assessment and planning well but says little about "
        "why the risk of serious harm assessment was not reviewed. ") * 6
names = ["Analysis of practice", "Overall judgements", "Learning",
         "Victims and their families"]
data = {
    "review": {"reference": "SFO-BENCH-1", "region": "London", "offence": "Murder",
               "supervision": "Licence", "risk": "High", "version": 1},
    "framework": {"name": "SFO review quality assurance standards", "version": 1},
    "policy": {"kind": "Add up the scores and band the total", "version": 1},
    "standards": [{"number": i + 1, "name": n, "rating": "Good", "evidence": text,
                   "strengths": text, "improvements": text}
                  for i, n in enumerate(names)],
    "overall": {"rating": "Good", "suggested": "Good", "reason": text,
                "departure_reason": ""},
    "findings": [{"kind": "Learning point", "text": text[:300], "level": "Team",
                  "themes": ["Risk assessment", "MAPPA"], "action_plan": "Partly",
                  "action_plan_comment": "Covers training, not oversight."}] * 12,
    "inspector": "Ilse Inspector", "signed_off_by": "Leah Lead", "signed_off_at": "",
}


class Publication:
    number = 1
    reason = ""


def baseline():
    return render("<html lang='en'><body><h1>Baseline</h1><p>One paragraph.</p>"
                  "</body></html>", stamp=stamp)


def qa_report():
    context = {"data": data, "publication": Publication, "signed_off_at": None}
    return render_template("ratings/qa_report_pdf.html", context, stamp=stamp)


def timed(function):
    start = time.perf_counter()
    pdf = function()
    return time.perf_counter() - start, pdf


cold, _ = timed(baseline)
times = {"baseline": [], "qa_report": []}
sizes = {}
for _ in range(runs):  # interleaved, so drift hits both alike
    for name, function in (("baseline", baseline), ("qa_report", qa_report)):
        seconds, pdf = timed(function)
        times[name].append(seconds)
        sizes[name] = len(pdf)
print(json.dumps({
    "cold_seconds": cold,
    "times": times,
    "sizes": sizes,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(runs)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{runs} warm renders of each, after one cold render")
    print(f"cold first render (baseline): {result['cold_seconds']:.2f} s")
    print(f"peak RSS of the rendering process: {result['peak_mb']:.0f} MB\n")
    print(f"{'render':<12}{'median s':>10}{'p90 s':>10}{'KB':>8}")
    medians = {}
    for name, seconds in result["times"].items():
        seconds = sorted(seconds)
        medians[name] = seconds[len(seconds) // 2]
        p90 = seconds[int(0.9 * (len(seconds) - 1))]
        size = result["sizes"][name] / 1000
        print(f"{name:<12}{medians[name]:>10.3f}{p90:>10.3f}{size:>8.0f}")
    ratio = medians["qa_report"] / medians["baseline"]
    print(f"\nQA report / baseline median render time: {ratio:.1f}x")


if __name__ == "__main__":
    main()

"""
Time each hot page inside one Django process, without HTTP or a load
generator: Django's test client, signed in as bench/pages.py signs in, the
median of a number of requests per page, against the database bench/pages.py
seeds (run that first). What it measures is the service's own work for a
request (middleware, views, queries, templates), which the load benchmark
mixes with the HTTP server's and the load generator's.

    .venv/bin/python bench/profile.py [--compare REV] [--requests 250] [PAGE ...]

Beside each median it prints the CPU time a request costs: this process's,
and that of the PostgreSQL backend serving its connection (read from /proc,
where the database runs on this machine; "-" otherwise). Unlike the median,
CPU time leaves out waiting (the round trip to the database) and most of
what other processes do to this one's timing, which is what a loaded server
runs out of. The backend's time is counted in clock ticks (10 ms): give
--requests 1500 or more for its figure to mean something.

With --compare REV the code of a git revision is timed too, from a temporary
folder (same database), each in its own process, taking turns for --rounds
rounds; each page's figure is the lowest median of its rounds. PAGE names
any of the pages below (all by default).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = {
    "bare": (None, "/bench/bare/"),
    "signed-in": ("lead", "/bench/signed-in/"),
    "shell": ("lead", "/bench/shell/"),
    "home": ("lead", "/"),
    "list": ("lead", "/reviews/"),
    "list-filtered": ("lead", "/reviews/?region=9&year=2023"),
    "rating-form": ("inspector", "{draft}"),
    "moderation": ("lead", "/quality-assurance/moderation/"),
    "your-qa": ("inspector", "/quality-assurance/"),
    "published": ("lead", "/quality-assurance/published/"),
    "sample-round": ("lead", "{sample_round}"),
    "learning-search": ("inspector", "/learning/?q=police+intelligence"),
    "dashboard": ("lead", "/dashboard/"),
    "dashboard-region": ("lead", "/dashboard/?region=9"),
}


def _worker(root: str, names: list[str], requests: int) -> None:
    """In a process of the tree at `root`: each page's median, as JSON."""
    sys.path.insert(0, root)
    sys.path.insert(1, str(HERE))
    import pages  # the benchmark's settings, users and password

    pages.ROOT = Path(root)
    os.environ.update({**pages.ENV, "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ratings.models import Assessment
    from reviews.models import SampleRound

    # The draft whose rating form bench/pages.py loads.
    draft = Assessment.objects.get(
        review__hmpps_reference="BENCH-000001", session_review__isnull=True
    )
    sample_round = SampleRound.objects.filter(created_by__email=pages.LEAD).first()
    places = {
        "draft": f"/quality-assurance/{draft.pk}/standard/1/",
        "sample_round": f"/reviews/sampling/{sample_round.pk}/",
    }
    emails = {"lead": pages.LEAD, "inspector": pages.INSPECTOR}
    clients = {}
    results = {}
    for name in names:
        who, path = PAGES[name]
        path = path.format(**places)
        if who not in clients:
            clients[who] = Client()
            if who:
                _sign_in(clients[who], emails[who], pages)
        client = clients[who]
        for _ in range(20):  # warm: templates, statements, prepared plans
            assert client.get(path).status_code == 200, path
        times = []
        backend = _backend_cpu(connection)
        python = time.process_time()
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        python = (time.process_time() - python) / requests * 1000
        if backend is not None:
            backend = (_backend_cpu(connection) - backend) / requests * 1000
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        results[name] = (
            statistics.median(times) * 1000,
            len(queries),
            python,
            backend,
        )
    print(json.dumps(results))


def _backend_cpu(connection) -> float | None:
    """The CPU seconds the database backend serving `connection` has used,
    where it is a PostgreSQL process on this machine; None otherwise."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # another machine's, or not Linux
        return None
    # utime and stime, after the command name (which may hold spaces).
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sign_in(client, email: str, pages) -> None:
    """Password, then the security code where the service asks for one."""
    response = client.post("/sign-in/", {"email": email, "password": pages.PASSWORD})
    if response.get("Location", "").endswith(pages.SECURITY_CODE):
        client.post(pages.SECURITY_CODE, {"code": pages.security_code(email)})


def _measure(root: Path, names: list[str], requests: int) -> dict:
    command = [sys.executable, __file__, "--worker", str(root), "--requests"]
    done = subprocess.run(
        [*command, str(requests), *names],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*", metavar="PAGE")
    parser.add_argument("--compare", metavar="REV")
    parser.add_argument("--requests", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = args.pages or list(PAGES)
    if unknown := set(names) - set(PAGES):
        parser.error(
            f"no such page: {', '.join(sorted(unknown))} (pages: {', '.join(PAGES)})"
        )
    if args.worker:
        _worker(args.worker, names, args.requests)
        return
    sys.path.insert(0, str(HERE))
    from pages import source_tree

    trees = {"after (working tree)": HERE.parent}
    if args.compare:
        trees = {f"before ({args.compare})": source_tree(args.compare), **trees}
    # Each page's lowest median, its queries, and its lowest CPU times.
    best: dict[str, dict] = {label: {} for label in trees}
    for _ in range(args.rounds if args.compare else 1):
        for label, root in trees.items():
            for name, measured in _measure(root, names, args.requests).items():
                kept = best[label].get(name, measured)
                best[label][name] = _lowest(kept, measured)
    labels = list(trees)
    heading = "median  queries  cpu: python + database"
    print("page              " + "".join(f"{label:>40}" for label in labels))
    print(" " * 18 + "".join(f"{heading:>40}" for _ in labels))
    for name in names:
        cells = "".join(_cells(*best[label][name]) for label in labels)
        print(f"{name:<18}{cells}")


def _lowest(kept: list, measured: list) -> list:
    """The lower of two rounds' figures, each figure on its own."""
    return [
        None if a is None or b is None else min(a, b)
        for a, b in zip(kept, measured, strict=True)
    ]


def _cells(ms: float, queries: int, python: float, backend: float | None) -> str:
    database = "-" if backend is None else f"{backend:.2f}"
    return f"{ms:>10.2f} ms {queries:>4} q {python:>10.2f} + {database:>5} ms"


if __name__ == "__main__":
    main()

"""bench/scale.py still runs: at a tiny size (3 circles, a few requests, one short load of 4
carers through gunicorn) it prints every headline figure as a number, finds no double booking,
and leaves neither its database nor its gunicorn behind. The figures themselves are not
judged here: speed is measured by the benchmark, never by a timed test."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

BENCH = Path(settings.BASE_DIR) / "bench" / "scale.py"
NAME = "cc_bench_test_scale"
KEYS = {
    "sweep_steady_s",
    "sweep_floor_s",
    "dashboard_40_p95_ms",
    "dashboard_500_p95_ms",
    "dashboard_40_kept_p95_ms",
    "circle_page_queries",
    "my_shifts_p95_ratio",
    "claims_http_ratio",
    "claims_http_p95_ms",
    "double_bookings",
    "sweep_peak_mb",
}


def server_url(database: str) -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


def processes_of_this_run() -> list[str]:
    """Processes whose environment names this run's database: its gunicorn, had it stayed."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"/{NAME}".encode() in environ.read_bytes():
                found.append(environ.parent.name)
        except OSError:
            continue  # gone, or not ours to read
    return found


def test_the_scale_benchmark_prints_every_figure_at_a_tiny_size():
    env = {**os.environ, "BENCH_DATABASE_URL": server_url(NAME).replace("postgresql", "postgres")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(BENCH), "--circles", "3", "--requests", "2", "--runs", "1"]
        + ["--seconds", "1", "--carers", "4", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)

    assert figures.keys() >= KEYS
    for key in KEYS:
        assert isinstance(figures[key], (int, float)) and figures[key] >= 0, (key, figures[key])
    assert figures["double_bookings"] == 0
    assert figures["claims_http_5xx"] == 0
    assert figures["circles"] == figures["figures"]["sweep"]["circles"] == 3
    assert figures["dashboard_40_circles"] == figures["dashboard_500_circles"] == 3
    # Each figure stands beside a ceiling that did less: the floor under the sweep, the
    # one-query page under the pages.
    assert 0 < figures["sweep_floor_s"] < figures["sweep_steady_s"]
    assert figures["circle_page_queries"] > figures["figures"]["pages"]["ceiling"]["queries"]
    # A look that finds the rows kept reads fewer queries than one that works them out.
    assert figures["dashboard_40_kept_queries"] < figures["dashboard_40_queries"]
    assert figures["claims_http_ratio"] > 0
    # Claims were made, over HTTP, by carers each signed in: places were taken.
    assert figures["figures"]["claims_http"]["places_taken"] > 0

    with psycopg.connect(server_url("postgres"), autocommit=True) as server:
        left = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchall()
    assert left == []
    assert processes_of_this_run() == []

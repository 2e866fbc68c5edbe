"""How the product holds up as an organisation grows: the sweep, the team leaders' pages, a
carer's pages and claims over HTTP, each beside its ceiling measured in the same run.

Seeds one organisation of N circles as bench/sweep.py does (4 clients, 12 carers and 2 team
leaders each, four visits a day for six weeks), adds a team leader of the first 40 circles and
one of the first 500, then measures:

- generation: seeding N circles;
- the first sweep (states change, leaders alerted; each run starts from every circle "coping")
  and the steady sweep (nothing new), beside the floor: one GROUP BY of the places needed and
  held per circle over the sweep's fortnight;
- sweep memory: peak RSS of a separate process that runs one steady sweep, and its growth over
  that process's RSS just before the sweep;
- the dashboard at 40 and 500 circles, the circle page (time and queries), My shifts and Needs
  cover, through Django's test client, beside the ceiling page (bench/ceiling.py);
- claims over HTTP: the production topology on this machine, gunicorn (4 workers) and one
  Celery worker with a redis-server of the bench's own as broker and cache, and 32 carers of
  one circle, each in a thread of its own, taking places from one small pool of open visits
  for --seconds; how long after the load the worker had run every follow-up of the claims;
  then the ceiling page under the same load; then the places held beyond a visit's carers and
  a carer's visits that overlap (double bookings, 0 expected).

Every figure is the median of --runs runs (sweeps) or --requests requests (pages), with its
spread (min-max). --growth measures the sweep and the dashboard of all circles at 50, 500 and
2,000 circles (--sizes) instead.

    .venv/bin/python bench/scale.py [--circles 500] [--json] [--growth]

It runs on its own database, BENCH_DATABASE_URL (default cc_bench_scale on the local server),
which is made anew and dropped at the end; DATABASE_URL is never touched.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import claims as claims_bench  # bench/claims.py: a circle with visits every half hour
import own_database  # bench/own_database.py: Django on a database of its own
import sweep as sweep_bench  # bench/sweep.py: the organisation's seeding, the timed sweep

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
NAME = "cc_bench_scale"
ENVIRONMENT = {
    # Measured as production runs: DEBUG off; plain http on a local port.
    "DJANGO_SETTINGS_MODULE": "scale_settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-scale-not-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "LOG_FORMAT": "text",
    "LOG_LEVEL": "WARNING",
}
CONTENDERS = 32  # carers claiming at once
WORKERS = 4  # gunicorn's
POOL = 96  # open visits they contend for


# --- figures -----------------------------------------------------------------------------------


def spread(values: list[float]) -> dict:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latencies(samples_ms: list[float]) -> dict:
    return {
        "p50": percentile(samples_ms, 50),
        "p95": percentile(samples_ms, 95),
        "min": min(samples_ms),
        "max": max(samples_ms),
        "n": len(samples_ms),
    }


# --- seeding -----------------------------------------------------------------------------------


def seed(circles: int) -> dict:
    """The organisation of bench/sweep.py, and team leaders of its first 40 and 500 circles
    and of all of them. Returns the people the pages are opened as."""
    from circles.models import Circle, Membership, Role
    from people.models import Person

    sweep_bench.seed(circles, random.Random(6))
    ordered = list(Circle.objects.order_by("pk"))
    leaders = {}
    for label, count in (("40", 40), ("500", 500), ("all", circles)):
        person = Person.objects.create(
            email=f"leader-{label}@bench.test", full_name=f"Leader of {label}", password="!"
        )
        Membership.objects.bulk_create(
            Membership(
                circle=circle,
                person=person,
                role=Role.TEAM_LEADER,
                started_on=sweep_bench.SINCE,
            )
            for circle in ordered[:count]
        )
        leaders[label] = (person, min(count, circles))
    first = ordered[0]
    own = Membership.objects.filter(circle=first).select_related("person")
    return {
        "leaders": leaders,
        "circle": first,
        "circle_leader": own.filter(role=Role.TEAM_LEADER).first().person,
        "carer": own.filter(role=Role.CARER).order_by("pk").first().person,
    }


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the sweep ---------------------------------------------------------------------------------


def sweep_floor() -> float:
    """The least a sweep could read: places needed and rightly held per circle over the
    sweep's fortnight, in one GROUP BY."""
    from django.db import connection
    from django.utils import timezone

    from circles.alerts import HORIZON
    from rota.models import Assignment, Shift, ShiftStatus

    now = timezone.now()
    sql = f"""
        SELECT s.circle_id, SUM(s.carers_needed), SUM(held.n)
        FROM {Shift._meta.db_table} s
        LEFT JOIN (
            SELECT shift_id, COUNT(*) AS n FROM {Assignment._meta.db_table}
            WHERE released_at IS NULL AND start >= %s AND start < %s GROUP BY shift_id
        ) held ON held.shift_id = s.id
        WHERE s.start >= %s AND s.start < %s AND s.status <> %s
        GROUP BY s.circle_id
    """
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, now + HORIZON, now, now + HORIZON, ShiftStatus.CANCELLED])
        cursor.fetchall()
    return time.perf_counter() - began


def sweeps(runs: int, first: bool = True) -> dict:
    from circles.models import Circle, CircleState

    out: dict = {}
    if first:
        seconds, statements = [], []
        for _ in range(runs):
            Circle.objects.update(state=CircleState.OK, state_changed_at=None)
            _checked, took, queries = sweep_bench.timed_sweep()
            seconds.append(took)
            statements.append(queries)
        out["first"] = {"s": spread(seconds), "queries": statistics.median(statements)}
    seconds, statements = [], []
    for _ in range(runs):
        checked, took, queries = sweep_bench.timed_sweep()
        seconds.append(took)
        statements.append(queries)
    out["steady"] = {"s": spread(seconds), "queries": statistics.median(statements)}
    out["floor"] = {"s": spread([sweep_floor() for _ in range(runs)])}
    out["circles"] = checked
    return out


def sweep_memory(runs: int) -> dict:
    """Peak RSS of a separate process running one steady sweep (the worker's memory)."""
    peaks, growths = [], []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, str(BENCH / "scale.py"), "--sweep-memory"],
            env={**os.environ},
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        peaks.append(figures["peak_mb"])
        growths.append(figures["growth_mb"])
    return {"peak_mb": spread(peaks), "growth_mb": spread(growths)}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss, which Linux
    carries over from the parent through fork and exec: it gave the bench's own size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("No VmHWM in /proc/self/status")


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_own_sweep() -> None:
    """In the separate process: attach, warm up, then one sweep; print its memory."""
    own_database.attach(NAME)
    from circles.models import Circle

    Circle.objects.first()  # connected, models loaded
    before = rss_mb()
    sweep_bench.timed_sweep()
    peak = peak_rss_mb()
    print(json.dumps({"peak_mb": peak, "growth_mb": peak - before}))


# --- pages through the test client -------------------------------------------------------------


def signed_in(person):
    """A test client signed in as `person`, as signing in leaves the session."""
    from django.test import Client
    from django.utils import timezone

    from web.account import sessions

    client = Client()
    client.force_login(person)
    session = client.session
    now = timezone.now().timestamp()
    session.update({sessions.SIGNED_IN_AT: now, sessions.SEEN_AT: now})
    session.save()
    return client


def page(client, url: str, requests: int, *, kept: bool = True) -> dict:
    """Milliseconds over `requests` GETs after one to warm up, and the queries of one.
    Unless `kept`, the cache is emptied before each (untimed): the dashboard's rows are
    all worked out, as at the first look in five minutes."""
    from django.core.cache import cache

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(requests):
        if not kept:
            cache.clear()
        with sweep_bench.counted() as statements:
            began = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {**latencies(samples), "queries": statements[0], "bytes": len(response.content)}


def pages(people: dict, requests: int) -> dict:
    from django.urls import reverse

    out = {}
    ceiling_url = reverse("bench_ceiling")
    for label, (leader, count) in people["leaders"].items():
        if label == "all":
            continue
        n = requests if count <= 40 else max(3, requests // 4)
        out[f"dashboard_{label}"] = {
            "circles": count,
            **page(signed_in(leader), reverse("leaders:dashboard"), n, kept=False),
        }
        out[f"dashboard_{label}_kept"] = page(signed_in(leader), reverse("leaders:dashboard"), n)
        out[f"ceiling_leader_{label}"] = page(signed_in(leader), ceiling_url, requests)
    leader = signed_in(people["circle_leader"])
    circle_url = reverse("leaders:circle", kwargs={"circle_id": people["circle"].pk})
    out["circle_page"] = page(leader, circle_url, requests)
    carer = signed_in(people["carer"])
    out["my_shifts"] = page(carer, reverse("carer:my_shifts"), requests)
    out["needs_cover"] = page(carer, reverse("carer:needs_cover"), requests)
    out["ceiling"] = page(carer, ceiling_url, requests)
    return out


# --- claims over HTTP --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """A redis-server of the bench's own on a free port, keeping nothing on disk: the
    broker and the cache of the web and the worker below, as in production."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def __enter__(self) -> "Broker":
        import redis

        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return self
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not answer in 20 s")

    def __exit__(self, *exc) -> None:
        stop(self.process)

    def queued(self) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen("celery")


def served_env(broker: Broker, **more: str) -> dict:
    """The environment of the bench's servers: this database, the product's settings with the
    ceiling page, and the broker, tasks going to the worker as in production."""
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{BENCH}",
        "REDIS_URL": broker.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **more,
    }


class Worker:
    """One Celery worker process (concurrency 1) running the changes' follow-ups: the
    capacity check, who is told, their messages."""

    def __init__(self, broker: Broker) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", "celery"],
            cwd=ROOT,
            env=served_env(broker),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    """Kill a server the bench started, and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class Gunicorn:
    """gunicorn serving this database with the product's settings, in a session of its own,
    killed whole on leaving."""

    def __init__(self, workers: int, broker: Broker) -> None:
        self.port = free_port()
        env = served_env(broker, BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers))
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def __enter__(self) -> "Gunicorn":
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped before it answered")
            try:
                status, _ = request(self.port, "GET", "/healthz/", {})
                if status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in 60 s")

    def __exit__(self, *exc) -> None:
        stop(self.process)


def request(port: int, method: str, path: str, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def session_headers(person) -> dict:
    """The headers of a signed-in browser: its session cookie and a CSRF token."""
    from django.conf import settings

    client = signed_in(person)
    token = "b" * 32
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {
        "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={token}",
        "X-CSRFToken": token,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": "0",
    }


def load(port: int, carers: list[dict], seconds: float, target) -> dict:
    """Each carer in a thread of their own, one request after another for `seconds`;
    `target(rng)` says which request. Requests a second, client-side latency, statuses."""
    samples: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def one_carer(headers: dict, seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < stop_at:
            method, path = target(rng)
            began = time.perf_counter()
            status, _body = request(port, method, path, headers)
            took = (time.perf_counter() - began) * 1000
            with lock:
                samples.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    threads = [
        threading.Thread(target=one_carer, args=(headers, n)) for n, headers in enumerate(carers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "per_s": len(samples) / elapsed,
        **latencies(samples),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def double_bookings() -> dict:
    """Places held beyond a visit's carers, and pairs of one carer's held visits that overlap."""
    from django.db import connection

    from rota.models import Assignment, Shift

    a, s = Assignment._meta.db_table, Shift._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT COUNT(*) FROM (
                SELECT s.id FROM {s} s JOIN {a} a ON a.shift_id = s.id AND a.released_at IS NULL
                GROUP BY s.id, s.carers_needed HAVING COUNT(*) > s.carers_needed) over_held"""
        )
        over = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT COUNT(*) FROM (
                SELECT start, LAG("end") OVER (PARTITION BY carer_id ORDER BY start) AS before
                FROM {a} WHERE released_at IS NULL) held WHERE before > start"""
        )
        overlapping = cursor.fetchone()[0]
    return {"over_carers_needed": over, "overlapping_holds": overlapping}


def claims_over_http(seconds: float, runs: int, contenders: int = CONTENDERS) -> dict:
    from django.urls import reverse

    carers, shifts = claims_bench.build_circle(carers_in_it=contenders)
    analyse()
    pool = [s.pk for s in shifts[:POOL]]
    headers = [session_headers(carer) for carer in carers]
    ceiling_url = reverse("bench_ceiling")

    def take(rng):
        return "POST", reverse("carer:take", kwargs={"shift_id": rng.choice(pool)})

    def ceiling(rng):
        return "GET", ceiling_url

    from rota.models import Assignment

    claimed, ceilings, drained = [], [], []
    with Broker() as broker, Worker(broker), Gunicorn(WORKERS, broker) as server:
        load(server.port, headers, min(seconds, 2), ceiling)  # every worker warmed up
        for _ in range(runs):
            claimed.append(load(server.port, headers, seconds, take))
            drained.append(follow_ups_done(broker))
            ceilings.append(load(server.port, headers, seconds, ceiling))
    held = Assignment.objects.filter(shift_id__in=pool, released_at__isnull=True).count()
    return {
        "carers": contenders,
        "workers": WORKERS,
        "pool": len(pool),
        "places_taken": held,
        "claims": {
            "per_s": spread([r["per_s"] for r in claimed]),
            "p50": spread([r["p50"] for r in claimed]),
            "p95": spread([r["p95"] for r in claimed]),
            "statuses": merged([r["statuses"] for r in claimed]),
        },
        "ceiling": {
            "per_s": spread([r["per_s"] for r in ceilings]),
            "p50": spread([r["p50"] for r in ceilings]),
            "p95": spread([r["p95"] for r in ceilings]),
            "statuses": merged([r["statuses"] for r in ceilings]),
        },
        "follow_ups_after_s": spread(drained),
        "double_bookings": double_bookings(),
    }


def follow_ups_done(broker: Broker, within: float = 300) -> float:
    """Seconds after the load until the worker had run every follow-up of its changes: none
    queued, and every outbox row done."""
    from rota.models import OutboxMessage

    began = time.perf_counter()
    while time.perf_counter() - began < within:
        if not broker.queued() and not OutboxMessage.objects.filter(done_at__isnull=True).exists():
            return time.perf_counter() - began
        time.sleep(0.1)
    raise RuntimeError(f"follow-ups still waiting {within:.0f} s after the load")


def merged(counts: list[dict]) -> dict:
    out: dict[str, int] = {}
    for one in counts:
        for status, n in one.items():
            out[status] = out.get(status, 0) + n
    return out


# --- the whole run -----------------------------------------------------------------------------


def measure(args) -> dict:
    from rota.models import Assignment, Shift

    began = time.perf_counter()
    people = seed(args.circles)
    analyse()
    figures: dict = {
        "circles": args.circles,
        "generation_s": time.perf_counter() - began,
        "visits": Shift.objects.count(),
        "places_held": Assignment.objects.count(),
    }
    figures["sweep"] = sweeps(args.runs)
    figures["sweep_memory"] = sweep_memory(args.runs)
    figures["pages"] = pages(people, args.requests)
    figures["claims_http"] = claims_over_http(args.seconds, args.runs, args.carers)
    return figures


def growth(args) -> list[dict]:
    series = []
    for size in args.sizes:
        if series:
            from django.db import connections

            connections.close_all()
            own_database.set_up(NAME, **ENVIRONMENT)
        from django.urls import reverse

        began = time.perf_counter()
        people = seed(size)
        analyse()
        generated = time.perf_counter() - began
        found = sweeps(args.runs, first=False)
        leader, _count = people["leaders"]["all"]
        requests = max(3, args.requests // 4) if size > 40 else args.requests
        dashboard = page(signed_in(leader), reverse("leaders:dashboard"), requests, kept=False)
        ceiling = page(signed_in(leader), reverse("bench_ceiling"), args.requests)
        series.append(
            {
                "circles": size,
                "generation_s": generated,
                "sweep_steady_s": found["steady"]["s"],
                "sweep_floor_s": found["floor"]["s"],
                "sweep_queries": found["steady"]["queries"],
                "sweep_memory": sweep_memory(1 if size > 500 else args.runs),
                "dashboard_ms": dashboard,
                "ceiling_ms": ceiling,
            }
        )
        print(growth_line(series[-1]), flush=True)
    return series


def summary(figures: dict) -> dict:
    """The headline figures, one number each (medians; p95 where it says so)."""
    sweep, pages_, http = figures["sweep"], figures["pages"], figures["claims_http"]
    booked = http["double_bookings"]
    return {
        "circles": figures["circles"],
        "generation_s": figures["generation_s"],
        "sweep_first_s": sweep["first"]["s"]["median"],
        "sweep_first_queries": sweep["first"]["queries"],
        "sweep_steady_s": sweep["steady"]["s"]["median"],
        "sweep_steady_queries": sweep["steady"]["queries"],
        "sweep_floor_s": sweep["floor"]["s"]["median"],
        "sweep_ratio": sweep["steady"]["s"]["median"] / sweep["floor"]["s"]["median"],
        "dashboard_40_circles": pages_["dashboard_40"]["circles"],
        "dashboard_40_p50_ms": pages_["dashboard_40"]["p50"],
        "dashboard_40_p95_ms": pages_["dashboard_40"]["p95"],
        "dashboard_40_queries": pages_["dashboard_40"]["queries"],
        "dashboard_40_kept_p95_ms": pages_["dashboard_40_kept"]["p95"],
        "dashboard_40_kept_queries": pages_["dashboard_40_kept"]["queries"],
        "dashboard_500_circles": pages_["dashboard_500"]["circles"],
        "dashboard_500_p50_ms": pages_["dashboard_500"]["p50"],
        "dashboard_500_p95_ms": pages_["dashboard_500"]["p95"],
        "dashboard_500_queries": pages_["dashboard_500"]["queries"],
        "dashboard_500_bytes": pages_["dashboard_500"]["bytes"],
        "dashboard_500_kept_p95_ms": pages_["dashboard_500_kept"]["p95"],
        "circle_page_p50_ms": pages_["circle_page"]["p50"],
        "circle_page_queries": pages_["circle_page"]["queries"],
        "my_shifts_p95_ms": pages_["my_shifts"]["p95"],
        "my_shifts_queries": pages_["my_shifts"]["queries"],
        "my_shifts_p95_ratio": pages_["my_shifts"]["p95"] / pages_["ceiling"]["p95"],
        "needs_cover_p95_ms": pages_["needs_cover"]["p95"],
        "ceiling_page_p95_ms": pages_["ceiling"]["p95"],
        "claims_http_per_s": http["claims"]["per_s"]["median"],
        "claims_http_p95_ms": http["claims"]["p95"]["median"],
        "ceiling_http_per_s": http["ceiling"]["per_s"]["median"],
        "claims_http_ratio": http["claims"]["per_s"]["median"] / http["ceiling"]["per_s"]["median"],
        "claims_http_5xx": sum(
            n for status, n in http["claims"]["statuses"].items() if status.startswith("5")
        ),
        "claims_follow_ups_after_s": http["follow_ups_after_s"]["median"],
        "double_bookings": booked["over_carers_needed"] + booked["overlapping_holds"],
        "sweep_peak_mb": figures["sweep_memory"]["peak_mb"]["median"],
        "sweep_growth_mb": figures["sweep_memory"]["growth_mb"]["median"],
    }


# --- printing ----------------------------------------------------------------------------------


def ms(figure: dict, key: str = "p50") -> str:
    return f"{figure[key]:,.1f} ms ({figure['min']:,.1f}–{figure['max']:,.1f})"


def seconds(figure: dict) -> str:
    return f"{figure['median']:.3f} s ({figure['min']:.3f}–{figure['max']:.3f})"


def table(figures: dict) -> str:
    sweep, p, http = figures["sweep"], figures["pages"], figures["claims_http"]
    ceiling = p["ceiling"]
    booked = http["double_bookings"]
    claims, top = http["claims"], http["ceiling"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:,.1f}×" if b else "–"

    rows = [
        ("generation", f"{figures['generation_s']:.1f} s, {figures['visits']:,} visits", "–", "–"),
        (
            "first sweep",
            f"{seconds(sweep['first']['s'])}, {sweep['first']['queries']:,.0f} statements",
            "–",
            "–",
        ),
        (
            f"steady sweep, {sweep['circles']:,} circles",
            f"{seconds(sweep['steady']['s'])}, {sweep['steady']['queries']:,.0f} statements",
            f"GROUP BY {seconds(sweep['floor']['s'])}",
            ratio(sweep["steady"]["s"]["median"], sweep["floor"]["s"]["median"]),
        ),
    ]
    for label in ("40", "500"):
        d, k, c = (
            p[f"dashboard_{label}"],
            p[f"dashboard_{label}_kept"],
            p[f"ceiling_leader_{label}"],
        )
        for figure, how in ((d, "every row worked out"), (k, "rows kept")):
            rows.append(
                (
                    f"dashboard, {d['circles']} circles, {how}",
                    f"p50 {ms(figure)}, p95 {figure['p95']:,.1f} ms, {figure['queries']} "
                    f"queries, {figure['bytes'] / 1024:,.0f} KiB",
                    f"p50 {c['p50']:.1f} ms, p95 {c['p95']:.1f} ms",
                    f"p95 {ratio(figure['p95'], c['p95'])}",
                )
            )
    for key, label in (
        ("circle_page", "circle page"),
        ("my_shifts", "My shifts"),
        ("needs_cover", "Needs cover"),
    ):
        f = p[key]
        rows.append(
            (
                label,
                f"p50 {ms(f)}, p95 {f['p95']:,.1f} ms, {f['queries']} queries",
                f"p50 {ceiling['p50']:.1f} ms, p95 {ceiling['p95']:.1f} ms, "
                f"{ceiling['queries']} queries",
                f"p95 {ratio(f['p95'], ceiling['p95'])}",
            )
        )
    rows.append(
        (
            f"claims over HTTP, {http['carers']} carers, gunicorn {http['workers']} workers",
            f"{seconds_free(claims['per_s'], '/s')}, p50 {claims['p50']['median']:,.0f} ms, "
            f"p95 {claims['p95']['median']:,.0f} ms ({claims['p95']['min']:,.0f}–"
            f"{claims['p95']['max']:,.0f}); statuses {claims['statuses']}",
            f"{seconds_free(top['per_s'], '/s')}, p95 {top['p95']['median']:,.0f} ms",
            f"{claims['per_s']['median'] / top['per_s']['median']:.2f}",
        )
    )
    after = http["follow_ups_after_s"]
    rows.append(
        (
            "the claims' follow-ups, by one Celery worker",
            f"every one done {seconds(after)} after the load ended",
            "–",
            "–",
        )
    )
    rows.append(
        (
            "double bookings after the claims",
            f"{booked['over_carers_needed']} over carers needed, "
            f"{booked['overlapping_holds']} overlapping holds "
            f"({http['places_taken']} of {http['pool']} contested places taken)",
            "0",
            "–",
        )
    )
    m = figures["sweep_memory"]
    rows.append(
        (
            "sweep memory (peak RSS of a separate process)",
            f"{m['peak_mb']['median']:.0f} MB ({m['peak_mb']['min']:.0f}–{m['peak_mb']['max']:.0f})"
            f", +{m['growth_mb']['median']:.0f} MB during the sweep",
            "–",
            "–",
        )
    )
    lines = [
        "| figure | today: median (min–max) | ceiling, same run | ratio |",
        "|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def seconds_free(figure: dict, unit: str) -> str:
    return f"{figure['median']:,.1f}{unit} ({figure['min']:,.1f}–{figure['max']:,.1f})"


def growth_line(row: dict) -> str:
    steady, floor, d = row["sweep_steady_s"], row["sweep_floor_s"], row["dashboard_ms"]
    per_circle = steady["median"] / row["circles"] * 1000
    return (
        f"| {row['circles']:,} | {row['generation_s']:.0f} s | {seconds(steady)} | "
        f"{per_circle:.2f} ms | {seconds(floor)} | "
        f"{floor['median'] / row['circles'] * 1000:.3f} ms | "
        f"{row['sweep_memory']['peak_mb']['median']:.0f} MB "
        f"(+{row['sweep_memory']['growth_mb']['median']:.0f}) | "
        f"p50 {d['p50']:,.0f} ms, p95 {d['p95']:,.0f} ms, {d['queries']} queries | "
        f"p95 {row['ceiling_ms']['p95']:.1f} ms |"
    )


GROWTH_HEAD = (
    "| circles | generation | steady sweep | per circle | GROUP BY floor | per circle | "
    "sweep peak RSS (growth) | dashboard of all circles | ceiling page |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circles", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="one JSON object, no table")
    parser.add_argument("--growth", action="store_true", help="the sweep and dashboard series")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 2000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each sweep and load")
    parser.add_argument("--requests", type=int, default=20, help="GETs of each page")
    parser.add_argument("--seconds", type=float, default=10.0, help="each load's length")
    parser.add_argument("--carers", type=int, default=CONTENDERS, help="carers claiming at once")
    parser.add_argument("--sweep-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.update({k: v for k, v in ENVIRONMENT.items() if k not in ("SECRET_KEY",)})
    os.environ.setdefault("SECRET_KEY", ENVIRONMENT["SECRET_KEY"])
    if args.sweep_memory:
        measure_own_sweep()
        return
    # With --json, stdout carries the JSON object alone: everything else (log lines) goes to
    # stderr.
    out = sys.stdout
    if args.json:
        sys.stdout = sys.stderr

    own_database.set_up(NAME, **ENVIRONMENT)
    try:
        if args.growth:
            if not args.json:
                print(GROWTH_HEAD, flush=True)
            series = growth(args)
            if args.json:
                print(json.dumps({"growth": series}, indent=2), file=out)
            return
        figures = measure(args)
    finally:
        own_database.drop()
    if args.json:
        print(json.dumps({**summary(figures), "figures": figures}, indent=2), file=out)
    else:
        print(table(figures))


if __name__ == "__main__":
    main()

"""bin/serve runs the production topology here: gunicorn, a Celery worker and beat, against
real PostgreSQL and Redis. It answers /healthz/, a committed change is followed up by its
worker, every line it logs is JSON with the request's id, and one signal stops it all."""

import json
import os
import signal
import subprocess
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from rota import services
from rota.models import OutboxMessage
from tests.ports import unused_port
from tests.stories import visit
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SERVE = Path(settings.BASE_DIR) / "bin" / "serve"


def database_url() -> str:
    """The tests' own database, which pytest-django made and migrated."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def get(url: str):
    try:
        return urllib.request.urlopen(url, timeout=5)
    except OSError:
        return None


@pytest.fixture
def served(redis_url, tmp_path):
    port = unused_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bin-serve-test-key-not-secret-" + "x" * 40,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "BEAT_SCHEDULE": str(tmp_path / "beat-schedule"),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(SERVE)], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield f"http://127.0.0.1:{port}", process, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_bin_serve_runs_the_topology_and_logs_json_lines(served, gwen, ana):
    url, process, log = served
    health = wait_for(lambda: get(f"{url}/healthz/"), 180)
    assert json.load(health) == {"database": "ok", "broker": "ok"}
    request_id = health.headers["X-Request-ID"]

    # A change committed here is announced through the broker and followed up by the worker.
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    services.claim(visit(gwen, start), ana)
    wait_for(
        lambda: (
            OutboxMessage.objects.count() >= 3
            and not OutboxMessage.objects.filter(done_at__isnull=True).exists()
        ),
        120,
    )

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) is not None
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    assert {"path": "/healthz/", "status": 200, "request_id": request_id}.items() <= {
        k: v for r in access for k, v in r.items() if r["request_id"] == request_id
    }.items()
    assert any(r["logger"].startswith("celery") and "task_id" in r for r in records)
    assert any(r["logger"] == "gunicorn.error" for r in records)
    # Nothing else is written but migrations' and collectstatic's progress before the start.
    plain = [line for line in log.read_text().splitlines() if line and not line.startswith("{")]
    assert all(not line.startswith(("Traceback", "Error")) for line in plain), plain
    # And nothing is left running.
    leftovers = subprocess.run(
        ["pgrep", "-g", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert leftovers == []

"""Servers of the fault tests' own, which the tests start, break and stop themselves: a
PostgreSQL cluster (Debian's initdb and pg_ctl) and a redis-server, each on a free port in a
temporary directory, never the shared ones; a mail server that can be made to stall; and a
real Celery worker process pointed at them by its environment.

The cluster's database is migrated once per session, as a template; each test gets a fresh
copy of it, and the test process's own connection (and its threads') is pointed there.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from email import message_from_bytes
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connections

from config.celery import app
from tests.ports import unused_port
from tests.waiting import wait_for

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATE = "faults_template"


def settled(measure: Callable[[], object], quiet: float = 3, seconds: float = 60) -> object:
    """Poll `measure()` until it has not changed for `quiet` seconds: the work has settled."""
    deadline = time.monotonic() + seconds
    last, since = measure(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = measure()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"still changing after {seconds} s: {last}")


# PostgreSQL


def _pg_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        raise RuntimeError("the fault tests need Debian's postgresql package (initdb, pg_ctl)")
    return Path(found[-1]).parent


def _as_owner(command: list[str]) -> list[str]:
    """initdb refuses to run as root: as root, the cluster belongs to the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """A PostgreSQL cluster of the tests' own, started by pg_ctl on a free port."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="cc-faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.port = unused_port()
        self.made = 0
        subprocess.run(
            _as_owner(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def pg_ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        subprocess.run(
            _as_owner(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.dir / "log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    *args,
                ]
            ),
            check=True,
            capture_output=True,
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str) -> None:
        with psycopg.connect(
            self.url("postgres").replace("postgres://", "postgresql://"), autocommit=True
        ) as conn:
            conn.execute(statement)

    def new_database(self) -> str:
        """A fresh, migrated database: a copy of the template."""
        self.made += 1
        name = f"faults_{self.made}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return name


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    cluster.pg_ctl("start")
    try:
        cluster.sql(f"CREATE DATABASE {TEMPLATE}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=BASE_DIR,
            env=environment(database=cluster.url(TEMPLATE)),
            check=True,
            capture_output=True,
        )
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError):
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(cluster.dir, ignore_errors=True)


class Databases:
    """Fresh copies of the migrated database, each in turn the one this process (and its
    threads) use; `url` is the current one's, for the processes the test starts."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.url = ""

    def fresh(self) -> str:
        name = self.cluster.new_database()
        connection = connections["default"]
        connection.close()
        # The one settings dict every thread's connection is made from.
        connection.settings_dict.update(
            NAME=name, HOST="127.0.0.1", PORT=str(self.cluster.port), USER="postgres", PASSWORD=""
        )
        self.url = self.cluster.url(name)
        return self.url


@pytest.fixture
def databases(cluster: Cluster, django_db_blocker) -> Iterator[Databases]:
    """This process on a fresh copy of the migrated database, and more on request."""
    connection = connections["default"]
    kept = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        databases = Databases(cluster)
        databases.fresh()
        try:
            yield databases
        finally:
            connection.close()
            connection.settings_dict.update(kept)


# Redis


class Redis:
    """A redis-server of the tests' own. It keeps nothing on disk: stopped, its queues are gone."""

    def __init__(self) -> None:
        self.port = unused_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 20, "redis-server")

    def ping(self) -> bool:
        with suppress(redis.exceptions.ConnectionError):
            return bool(self.client().ping())
        return False

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1)

    def queued(self) -> int:
        return self.client().llen("celery")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def broker() -> Iterator[Redis]:
    """Our redis-server, and the Celery app of this process publishing to it."""
    server = Redis()
    server.start()
    url, eager = app.conf.broker_url, app.conf.task_always_eager
    _point_at(server.url, eager=False)
    try:
        yield server
    finally:
        _point_at(url, eager=eager)
        server.stop()


def _point_at(url: str, *, eager: bool) -> None:
    app.conf.broker_url, app.conf.task_always_eager = url, eager
    # Forget pooled connections, so the next publish connects to `url`.
    app._pool = None
    app.amqp._producer_pool = None


# Mail


class MailServer:
    """A plain SMTP server in a thread that keeps every message it accepts. Stalled, it
    accepts connections and never answers, as a mail server that hangs does."""

    def __init__(self) -> None:
        self.port = unused_port()
        self.received: list[str] = []  # the Message-ID of each message accepted
        self.stalled = threading.Event()
        self.stalls = 0  # connections held unanswered
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn, suppress(OSError):
            if self.stalled.is_set():
                self.stalls += 1
                while not self.stopping.is_set() and conn.recv(1024):
                    pass
                return
            reader = conn.makefile("rb")
            conn.sendall(b"220 faults ESMTP\r\n")
            for line in reader:
                verb = line[:4].upper()
                if verb == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    body = b""
                    for data in reader:
                        if data == b".\r\n":
                            break
                        body += data
                    self.received.append(message_from_bytes(body)["Message-ID"])
                    conn.sendall(b"250 kept\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.close()


# The processes


def environment(*, database: str, broker: str = "", mail_port: int = 0, **more: str) -> dict:
    """What a process of the topology is started with, pointed at our servers."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database,
        "REDIS_URL": broker or "redis://127.0.0.1:1/0",
        "LOG_FORMAT": "text",
        **more,
    }
    if mail_port:
        env |= {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail_port),
            # Long enough that a stalled send is still stalled when the worker is killed.
            "EMAIL_TIMEOUT": "120",
        }
    return env


class Worker:
    """`celery -A config worker`, a process of its own (and its pool's), started again at will."""

    def __init__(self, env: Callable[[], dict], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with self.log.open("a") as out:
            out.write(f"--- start {self.starts}\n")
            out.flush()
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--hostname",
                    f"faults{self.starts}@%h",
                ],
                cwd=BASE_DIR,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: self.log.read_text().count(" ready.") >= self.starts, 60, "ready worker")

    def kill(self) -> None:
        """SIGKILL, to the worker and its pool: nothing gets to tidy up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(
    databases: Databases, broker: Redis, mail_server: MailServer, tmp_path
) -> Iterator[Worker]:
    """A real worker process on our current database, broker and mail server; not started."""
    worker = Worker(
        lambda: environment(database=databases.url, broker=broker.url, mail_port=mail_server.port),
        tmp_path / "worker.log",
    )
    yield worker
    worker.kill()

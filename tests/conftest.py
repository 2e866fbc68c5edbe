"""Test set-up: real PostgreSQL and Redis, never stand-ins.

The suite refuses to run on anything but PostgreSQL. A test that needs Redis asks for the
`redis_url` fixture, which skips (naming Redis) when it is unreachable on a developer's
machine; under CI=true any skipped test fails the run instead.
"""

import os

import pytest
import redis
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_sessionstart(session: pytest.Session) -> None:
    if connection.vendor != "postgresql":
        pytest.exit(
            "The tests need PostgreSQL: set DATABASE_URL (the README's test command sets "
            "postgres://postgres@127.0.0.1:5432/care_circles by default).",
            returncode=3,
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped and session.exitstatus == 0:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; nothing may skip in CI.", red=True
        )
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_url() -> str:
    """The tests' own Redis database, emptied first. Skips, naming Redis, if unreachable."""
    url = os.environ.get("TEST_REDIS_URL") or settings.REDIS_URL or "redis://127.0.0.1:6379/15"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    client.flushdb()
    return url

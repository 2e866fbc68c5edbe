"""Test set-up: real PostgreSQL and Redis, never stand-ins; the stories' clock and cast.

The suite refuses to run on anything but PostgreSQL. A test that needs Redis asks for the
`redis_url` fixture, which skips (naming Redis) when it is unreachable on a developer's
machine; under CI=true any skipped test fails the run instead.

bin/test spreads the suite over the machine's cores (pytest-xdist, `--dist loadgroup`): each
process has its own test database (pytest-django names it) and its own Redis database, and
keeps each module's tests together, and all the browser tests together.

Every person and place of tests/stories.py is a fixture of their own name (`gwen`, `ana`,
`circle` for Treforest, ...), made when a test asks for them; `story` is the whole cast.
"""

import os
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import django.test
import pytest
import redis
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.celery import app as celery_app
from tests.stories import NAMES, WEDNESDAY_NOON, Cast
from web.account import sessions

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# "gw0", "gw1", ... in each process when the suite runs on several cores; None in one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def own_redis_database(url: str) -> str:
    """The Redis database of this test process: the one in `url` for the first (or only)
    process, the one below it for the second, and so on, so one process emptying its
    database never empties another's."""
    if not WORKER:
        return url
    parts = urlsplit(url)
    given = int(parts.path.strip("/") or 0)
    number = (given - int(WORKER.removeprefix("gw"))) % 16
    return urlunsplit(parts._replace(path=f"/{number}"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "now(moment): the moment the story stands still at (tests/stories.py)"
    )
    if WORKER and settings.REDIS_URL:
        url = own_redis_database(settings.REDIS_URL)
        cache_backend = {**settings.CACHES["default"], "LOCATION": url}
        override_settings(
            REDIS_URL=url, CELERY_BROKER_URL=url, CACHES={"default": cache_backend}
        ).enable()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On several cores, a module's tests run in one process, as their module-wide fixtures
    expect, and the browser tests all in one, whose served pages the HTML check reads after
    them; being the longest group, the browser tests start first."""
    for item in items:
        browser = item.path.parent.name == "browser"
        group = "browser" if browser else item.nodeid.partition("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: item.path.parent.name != "browser")


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


class Client(django.test.Client):
    """The test client. force_login leaves the session as signing in does: its start
    noted (web/account/sessions.py) and, for staff, the code from their authenticator
    given, as they must before any page opens (web/account/second_factor.py). Tests of
    those steps use django.test.Client itself."""

    def force_login(self, user, backend=None) -> None:
        super().force_login(user, backend)
        session = self.session
        now = timezone.now().timestamp()
        session.update({sessions.SIGNED_IN_AT: now, sessions.SEEN_AT: now})
        if user.is_staff:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "tests"}
            )
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def admin_client(client: Client, admin_user) -> Client:
    """pytest-django's, with the suite's client."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads (carers' photos) kept in a folder of the test's own, gone afterwards."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _in_english():
    """Each test starts in English: a page drawn in Welsh leaves Welsh active in the thread,
    and the next test in the same process would read the services' words in Welsh."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The sign-in link counts (web/account/throttle.py) live in the cache: each test
    starts with none."""
    cache.clear()


@pytest.fixture
def eager():
    """Celery runs tasks in-process, as in the demo."""
    was = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was


@pytest.fixture
def redis_url() -> str:
    """The tests' own Redis database, emptied first. Skips, naming Redis, if unreachable."""
    given = os.environ.get("TEST_REDIS_URL")
    url = own_redis_database(given) if given else settings.REDIS_URL
    url = url or own_redis_database("redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    client.flushdb()
    return url


# The stories' clock


@pytest.fixture
def now(request: pytest.FixtureRequest) -> datetime:
    """The moment the story stands still at: Wednesday 29 April 2026, noon, in London,
    unless the test or its module is marked `pytest.mark.now(another_moment)`."""
    marker = request.node.get_closest_marker("now")
    return marker.args[0] if marker else WEDNESDAY_NOON


@pytest.fixture
def frozen_now(now: datetime):
    """Time stands still at `now` for the whole test; the traveller can move it on."""
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


# The cast


@pytest.fixture
def cast(db) -> Cast:
    """The stories' people, each made when first named."""
    return Cast()


@pytest.fixture
def story(cast: Cast, frozen_now) -> Cast:
    """The whole cast, made at the story's moment, with time standing still there."""
    return cast.everyone()


def _named(name: str):
    @pytest.fixture(name=name)
    def fixture(cast: Cast):
        """Someone (or somewhere) of the cast, by name."""
        return getattr(cast, name)

    return fixture


for _name in NAMES:
    globals()[f"_{_name}"] = _named(_name)

"""Every committed rota change is announced to Celery after commit, through the outbox;
a rolled-back change announces nothing, and nothing is lost to a crash or a down broker."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from circles.notify import DELIVER
from config.celery import app
from rota import outbox, services
from rota.models import Assignment, AuditEvent, OutboxMessage
from rota.services._base import ANNOUNCE_CHANGE
from tests.stories import visit


@pytest.fixture
def broker(redis_url):
    """The real Redis broker the tests' Celery app publishes to, emptied first."""
    if not settings.REDIS_URL or app.conf.task_always_eager:
        pytest.skip("Needs Redis as the Celery broker: set REDIS_URL (bin/test does).")
    return redis.Redis.from_url(settings.REDIS_URL)


def queued(broker) -> list[dict]:
    """The task messages waiting in the default queue, oldest first."""
    return [json.loads(raw)["headers"] for raw in reversed(broker.lrange("celery", 0, -1))]


@pytest.fixture
def free_visit(gwen):
    """Gwen's visit the day after tomorrow, with nobody on it yet."""
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return visit(gwen, start)


@pytest.mark.django_db(transaction=True)
def test_a_committed_claim_is_published_to_the_broker_after_commit(broker, free_visit, ana):
    services.claim(free_visit, ana)
    event = AuditEvent.objects.get(action="claim")
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None
    [headers] = queued(broker)
    assert headers["task"] == "circles.tasks.announce_change"
    assert headers["id"] == f"outbox-{message.pk}"
    assert f"'event_id': {event.pk}" in headers["kwargsrepr"]


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_announces_nothing(broker, free_visit, ana):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.claim(free_visit, ana)
        raise RuntimeError("the request failed after the claim")
    assert not Assignment.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert queued(broker) == []


@pytest.mark.django_db
def test_a_follow_up_left_behind_by_a_crash_after_commit_is_sent_by_the_relay(
    broker, free_visit, ana
):
    # In this test's transaction on_commit never fires: as if the process died at commit.
    services.claim(free_visit, ana)
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and queued(broker) == []
    assert outbox.relay() == 0  # too fresh: the after-commit send may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert outbox.relay() == 1
        assert outbox.relay() == 0  # sent once, not again
    message.refresh_from_db()
    assert message.sent_at is not None
    assert [h["id"] for h in queued(broker)] == [f"outbox-{message.pk}"]


@pytest.mark.django_db(transaction=True)
def test_a_down_broker_does_not_fail_the_change_and_the_relay_sends_it_later(
    broker, free_visit, ana
):
    with _down():
        assignment = services.claim(free_visit, ana)
    assert assignment.is_held
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert outbox.relay() == 1
    assert [h["id"] for h in queued(broker)] == [f"outbox-{message.pk}"]


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_the_broker_lost_with_its_queue_is_sent_again_until_it_has_run(
    broker, free_visit, ana
):
    services.claim(free_visit, ana)
    message = OutboxMessage.objects.get()
    assert [h["id"] for h in queued(broker)] == [f"outbox-{message.pk}"]
    broker.flushdb()  # Redis restarted: it keeps nothing on disk

    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert outbox.relay() == 0  # handed over a minute ago: the worker may be busy
    with time_machine.travel(timezone.now() + outbox.RESEND_AFTER + timedelta(minutes=1)):
        assert outbox.relay() == 1
    assert [h["id"] for h in queued(broker)] == [f"outbox-{message.pk}"]
    message.refresh_from_db()
    assert message.done_at is None and message.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_announcing_puts_its_follow_ups_in_the_outbox_and_marks_itself_done_once(
    broker, free_visit, ana
):
    services.claim(free_visit, ana)
    announce = OutboxMessage.objects.get()
    broker.flushdb()

    # The worker runs it (in this process, with the id the outbox gave it).
    app.tasks[ANNOUNCE_CHANGE].apply(kwargs=announce.kwargs, task_id=f"outbox-{announce.pk}")

    announce.refresh_from_db()
    assert announce.done_at is not None
    follow_ups = OutboxMessage.objects.exclude(pk=announce.pk)
    assert sorted(m.task for m in follow_ups) == [
        "circles.tasks.check_circle",
        "circles.tasks.tell_people",
    ]
    assert sorted(h["id"] for h in queued(broker)) == sorted(f"outbox-{m.pk}" for m in follow_ups)

    # Each follow-up, once run, is done; the relay sends nothing again, however late.
    for message in follow_ups:
        app.tasks[message.task].apply(kwargs=message.kwargs, task_id=f"outbox-{message.pk}")
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert outbox.relay() == 0


@pytest.mark.django_db
def test_only_ids_the_outbox_gave_mark_a_row_done(free_visit, ana):
    services.claim(free_visit, ana)
    message = OutboxMessage.objects.get()
    for task_id in (None, "", "d3b07384-d9a0", "outbox-", "outbox-x1", f"other-{message.pk}"):
        assert outbox.done(task_id) is False
    assert outbox.done(f"outbox-{message.pk}") is True
    assert outbox.done(f"outbox-{message.pk}") is False  # the first time only


class _down:
    """Point the Celery app at a port where nothing listens, and back again after."""

    def __enter__(self):
        self.real = app.conf.broker_url
        self._switch("redis://127.0.0.1:9/0")

    def __exit__(self, *exc):
        self._switch(self.real)

    @staticmethod
    def _switch(url):
        app.conf.broker_url = url
        # Forget pooled connections, so the next publish connects to `url`.
        app._pool = None
        app.amqp._producer_pool = None


def test_a_process_that_only_started_django_knows_the_follow_up_tasks_by_name():
    """A change names its follow-up task instead of importing it, so every process (a web
    server, a management command, the demo) must know the tasks once Django is set up."""
    script = (
        "import django; django.setup(); from celery import current_app; "
        "print(sorted(n for n in current_app.tasks if n.startswith(('rota.', 'circles.'))))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    known = ran.stdout
    for task in (ANNOUNCE_CHANGE, DELIVER, "rota.tasks.relay_outbox"):
        assert f"'{task}'" in known

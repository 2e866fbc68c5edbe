"""Redis restarted with tasks queued: it keeps nothing on disk, so every queued follow-up is
gone. The outbox rows stay pending until their task has run, so the relay sends them again:
every committed change is announced, and each notification is made once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from circles.models import Notification
from config.celery import app
from rota import outbox
from rota.models import OutboxMessage
from tests.faults.changes import announced, changes, make_changes, notifications
from tests.faults.conftest import settled
from tests.stories import Cast
from tests.waiting import wait_for


def test_a_broker_restart_with_tasks_queued_loses_no_follow_up(
    databases, broker, mail_server, worker, expected
):

    # The changes commit while no worker runs: each announcement waits in Redis's queue.
    made = make_changes(Cast())
    assert broker.queued() == made == len(changes())
    broker.stop()
    broker.start()
    assert broker.queued() == 0
    worker.start()

    # Beat's relay, once the rows have waited past RESEND_AFTER, sends them again.
    with time_machine.travel(timezone.now() + outbox.RESEND_AFTER + timedelta(seconds=1)):
        assert outbox.relay() == made
    wait_for(
        lambda: not OutboxMessage.objects.filter(done_at__isnull=True).exists(),
        90,
        "outbox drained",
    )
    # Every email the unbroken run sent arrives (a busy worker may pause longer than the quiet
    # spell below between two), then nothing more does.
    wait_for(lambda: len(mail_server.received) >= expected["emails"], 90, "emails")
    settled(
        lambda: (len(mail_server.received), Notification.objects.filter(emailed_at=None).count())
    )

    made_notes = notifications()
    figures = {
        "changes": made,
        "announced": announced(),
        "notifications": sum(made_notes.values()),
        "emails": len(mail_server.received),
    }
    print(f"\nbroker restart: {figures} expected {expected}")
    assert figures == {**expected, "changes": made, "announced": made}
    assert max(made_notes.values()) == 1
    # Nothing is left for the relay: a later run sends nothing again.
    with time_machine.travel(timezone.now() + outbox.RESEND_AFTER * 2):
        assert outbox.relay() == 0
    assert len(set(mail_server.received)) == len(mail_server.received)


@pytest.fixture
def expected(databases, broker) -> dict:
    """The same changes with nothing broken, in a database of their own, their follow-ups
    run afterwards as the fault run's are, in this process: what should be made."""
    made = make_changes(Cast())
    broker.client().flushdb()
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app.conf, "task_always_eager", True)
        with time_machine.travel(timezone.now() + outbox.RESEND_AFTER + timedelta(seconds=1)):
            outbox.relay()
    figures = {
        "changes": made,
        "announced": announced(),
        "notifications": sum(notifications().values()),
        "emails": len(mail.outbox),
    }
    mail.outbox.clear()
    databases.fresh()
    return figures

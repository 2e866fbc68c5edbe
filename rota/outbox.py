"""A transactional outbox for the follow-up work of rota changes.

`enqueue` writes a row in the caller's transaction and asks for it to be sent after
commit. A rolled-back change leaves no row, so it announces nothing. The row stays pending
until its task has run and marked it `done`: a crash between commit and send, a broker
that is down, a broker restarted with the task in its queue, or a worker killed mid-task
all leave it pending, and `relay` (run by Celery beat) sends it again. Tasks are
idempotent, so the rare double run is harmless.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rota.models import OutboxMessage

log = logging.getLogger(__name__)

# The follow-ups of a rota change (the circle judged again, the people concerned told) are
# decided by the circles' task of this name: named, not imported, since circles sits above
# the rota. Services and generation both send it.
ANNOUNCE_CHANGE = "circles.tasks.announce_change"

# The after-commit send gets this long before the relay treats a row as left behind.
RELAY_AFTER = timedelta(seconds=30)
# Handed to the broker but still not done after this long: the queue or the worker lost it.
RESEND_AFTER = timedelta(minutes=5)
# Task ids name their row, so a task can mark it done: "outbox-<id>".
TASK_ID_PREFIX = "outbox-"


def enqueue(task: str, **kwargs: object) -> OutboxMessage:
    """Send Celery task `task` (by its name) with `kwargs` once the caller's change commits."""
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: send(message.pk), robust=True)
    return message


def send(message_id: int) -> bool:
    """Publish one message unless its task has run. True if this call published it."""
    message = OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).first()
    if message is None:
        return False
    try:
        current_app.tasks[message.task].apply_async(
            kwargs=message.kwargs, task_id=f"{TASK_ID_PREFIX}{message.pk}"
        )
    except Exception:
        # Broker down or unreachable: leave the row for the relay and never fail the caller.
        log.warning("Outbox message %s not sent; the relay will retry", message.pk, exc_info=True)
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1)
        return False
    # In-process tasks (the demo) have run and marked the row done by now: keep that.
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1
    )
    return True


def done(task_id: str | None) -> bool:
    """Mark the row behind task `task_id` done, if the outbox sent it. True the first time."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return False
    pk = task_id.removeprefix(TASK_ID_PREFIX)
    if not pk.isdigit():
        return False
    return bool(
        OutboxMessage.objects.filter(pk=int(pk), done_at__isnull=True).update(
            done_at=timezone.now()
        )
    )


def relay(limit: int = 500) -> int:
    """Send again what was left behind; returns how many were sent."""
    now = timezone.now()
    pending = OutboxMessage.objects.filter(
        Q(sent_at__isnull=True) | Q(sent_at__lt=now - RESEND_AFTER),
        done_at__isnull=True,
        created_at__lt=now - RELAY_AFTER,
    )
    return sum(send(pk) for pk in pending.values_list("pk", flat=True)[:limit])

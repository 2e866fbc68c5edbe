"""A transactional outbox for the follow-up work of rota changes.

`enqueue` writes a row in the caller's transaction and asks for it to be sent after
commit. A rolled-back change leaves no row, so it announces nothing. A crash between
commit and send, or a broker that is down, leaves the row unsent: `relay` (run by Celery
beat) sends it later. Tasks are idempotent, so the rare double send is harmless.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from rota.models import OutboxMessage

log = logging.getLogger(__name__)

# The follow-ups of a rota change (the circle judged again, the people concerned told) are
# decided by the circles' task of this name: named, not imported, since circles sits above
# the rota. Services and generation both send it.
ANNOUNCE_CHANGE = "circles.tasks.announce_change"

# The after-commit send gets this long before the relay treats a row as left behind.
RELAY_AFTER = timedelta(seconds=30)


def enqueue(task: str, **kwargs: object) -> OutboxMessage:
    """Send Celery task `task` (by its name) with `kwargs` once the caller's change commits."""
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: send(message.pk), robust=True)
    return message


def send(message_id: int) -> bool:
    """Publish one message unless it was already sent. True if this call sent it."""
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return False
    try:
        current_app.tasks[message.task].apply_async(
            kwargs=message.kwargs, task_id=f"outbox-{message.pk}"
        )
    except Exception:
        # Broker down or unreachable: leave the row for the relay and never fail the caller.
        log.warning("Outbox message %s not sent; the relay will retry", message.pk, exc_info=True)
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1)
        return False
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), attempts=message.attempts + 1
        )
    )


def relay(limit: int = 500) -> int:
    """Send what was left behind; returns how many were sent."""
    cutoff = timezone.now() - RELAY_AFTER
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
    return sum(send(pk) for pk in pending.values_list("pk", flat=True)[:limit])

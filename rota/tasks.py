"""Celery jobs of the rota: thin wrappers that fetch and call the domain code."""

import logging

from celery import shared_task
from django.db import OperationalError

from circles import tasks as circle_tasks
from circles.models import Circle
from rota import generation, lapse, outbox
from rota.models import AuditEvent

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def roll_horizon() -> int:
    """Nightly: extend every circle's shifts to the rolling horizon. Safe to run twice.

    Each circle is rolled on its own: one circle's failure is logged and the others still
    get their shifts; the next night (or a retry) tries it again.
    """
    created = 0
    for circle in Circle.objects.iterator():
        try:
            created += generation.roll_horizon(circle)
        except Exception:
            log.exception("Could not roll the horizon of circle %s", circle.pk)
    return created


@shared_task(acks_late=True)
def relay_outbox() -> int:
    """Every minute: send the follow-ups a crash or a down broker left behind."""
    return outbox.relay()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def announce_change(event_id: int) -> str:
    """After a committed rota change: the follow-up of one audit event.

    The circle's state is checked, the carers and families concerned are told, and for a
    call for help the carers who could go are asked. Each is idempotent, so announcing a
    change twice is harmless.
    """
    event = AuditEvent.objects.get(pk=event_id)
    log.debug(
        "Rota change %s: %s %s #%s", event.pk, event.action, event.subject_type, event.subject_id
    )
    if event.circle_id is not None:
        circle_tasks.check_circle.delay(event.circle_id)
    circle_tasks.tell_people.delay(event.pk)
    if event.action == "raise_help_request":
        circle_tasks.ask_carers_for_help.delay(event.subject_id)
    return event.action


@shared_task(acks_late=True)
def lapse_started() -> int:
    """Every few minutes: offers and swap proposals of visits that have started lapse."""
    return lapse.lapse_started()

"""Celery jobs of the rota: thin wrappers that fetch and call the domain code."""

import logging

from celery import shared_task

from circles.models import Circle
from rota import counts, generation, lapse, outbox

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


@shared_task(acks_late=True)
def lapse_started() -> int:
    """Every few minutes: offers, swap proposals and new-face questions of visits that have
    started lapse."""
    return lapse.lapse_started()


@shared_task(acks_late=True)
def reconcile_counts() -> int:
    """Nightly: every visit's count of places rightly held checked against a recount and put
    right where it differs (logged: only a change made round the services can cause it)."""
    return counts.reconcile()

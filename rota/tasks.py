"""Celery jobs of the rota: thin wrappers that fetch and call the domain code."""

from celery import shared_task
from django.db import OperationalError

from circles.models import Circle
from rota import generation


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def roll_horizon() -> int:
    """Nightly: extend every circle's shifts to the rolling horizon. Safe to run twice."""
    return sum(generation.roll_horizon(circle) for circle in Circle.objects.iterator())

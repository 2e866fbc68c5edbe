"""A journey through a real Celery worker on the real Redis broker, not eager mode: a claim
committed, its follow-up relayed from the outbox, the circle checked in the worker, and its
team leader told."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from circles.models import Circle, CircleState, Notification, NotificationKind
from config.celery import app
from rota import services
from rota.models import OutboxMessage
from tests.stories import planned_visit
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(redis_url):
    """A worker thread consuming from the tests' own Redis database (emptied first)."""
    url, eager = app.conf.broker_url, app.conf.task_always_eager
    _point_at(redis_url, eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        _point_at(url, eager=eager)


def _point_at(url: str, *, eager: bool) -> None:
    app.conf.broker_url, app.conf.task_always_eager = url, eager
    # Forget pooled connections, so the next publish connects to `url`.
    app._pool = None
    app.amqp._producer_pool = None


def test_a_claim_that_covers_the_last_gap_reaches_the_leader_through_the_worker(
    worker, circle, gwen, ana, leaders
):
    rhian = leaders[0]
    tomorrow = (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    medicine = planned_visit(gwen, tomorrow, essential=True)
    Circle.objects.filter(pk=circle.pk).update(state=CircleState.NOT_COPING)

    services.claim(medicine, ana, actor=ana)

    assert OutboxMessage.objects.get().task == "circles.tasks.announce_change"
    note = wait_for(
        lambda: Notification.objects.filter(
            person=rhian, kind=NotificationKind.CIRCLE_RECOVERED
        ).first()
    )
    assert note.title == "Treforest is coping again"
    assert Circle.objects.get(pk=circle.pk).state == CircleState.OK
    # The worker emailed it too: once to each leader.
    wait_for(lambda: len([e for e in mail.outbox if e.subject == note.title]) == 2)
    assert sorted(e.to[0] for e in mail.outbox) == sorted(p.email for p in leaders)
    note.refresh_from_db()
    assert note.emailed_at is not None
    # The change and each follow-up it asked for ran, and the outbox knows: nothing to resend.
    wait_for(lambda: not OutboxMessage.objects.filter(done_at__isnull=True).exists())
    assert OutboxMessage.objects.count() == 3  # announce, check the circle, tell people

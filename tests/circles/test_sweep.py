"""The periodic sweep: every circle judged at once, a transition only where the stored state
differs, so time passing is caught and nobody hears of a crossing twice."""

from datetime import timedelta

import pytest
from celery.signals import task_prerun
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles import alerts, tasks
from circles.alerts import sweep
from circles.models import Circle, CircleState, Notification, NotificationKind, StateChange
from tests.circles.conftest import next_week
from tests.factories import CircleFactory, ClientFactory, carer
from tests.stories import MONDAY_MIDNIGHT, at, place, planned_visit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MIDNIGHT),
    pytest.mark.usefixtures("frozen_now"),
]


def test_twenty_sweeps_make_one_crossing_and_one_alert_per_leader(circle, gwen, tom, leaders):
    next_week(tom, filled=17)
    planned_visit(gwen, at(5, 8), essential=True)
    CircleFactory(name="Quiet circle")

    for _ in range(20):
        assert sweep() == 2

    assert StateChange.objects.count() == 1
    for leader in leaders:
        assert list(Notification.objects.filter(person=leader).values_list("kind", flat=True)) == [
            NotificationKind.CIRCLE_WORSE
        ]
    assert Circle.objects.get(pk=circle.pk).state == CircleState.NOT_COPING
    assert Circle.objects.get(name="Quiet circle").state == CircleState.OK


def test_the_sweep_catches_a_gap_coming_closer(frozen_now, circle, gwen, ana, leaders):
    for day in range(4, 20):
        place(planned_visit(gwen, at(day, 12)), ana)
    planned_visit(gwen, at(8, 8), essential=True)  # Friday: four days off, and nobody on it

    sweep()
    assert Circle.objects.get(pk=circle.pk).state == CircleState.STRAINED

    # Wednesday 09:00: 47 hours to go.
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(days=2, hours=9))
    sweep()
    assert Circle.objects.get(pk=circle.pk).state == CircleState.NOT_COPING
    assert Notification.objects.filter(person=leaders[0]).count() == 2


def test_the_sweep_sends_the_recovered_note_once(circle, gwen, ana, leaders):
    medicine = planned_visit(gwen, at(5, 8), essential=True)
    sweep()
    place(medicine, ana)
    sweep()
    sweep()
    assert [
        kind
        for kind in Notification.objects.filter(person=leaders[1])
        .order_by("pk")
        .values_list("kind", flat=True)
    ] == [NotificationKind.CIRCLE_WORSE, NotificationKind.CIRCLE_RECOVERED]


def test_a_sweep_that_finds_nothing_new_costs_the_same_for_5_and_50_circles(
    django_assert_num_queries,
):
    for n in range(5):
        _a_circle(n)
    # The circles' ids (the blocks), the block's circles, and their figures: a row a circle.
    with django_assert_num_queries(3):
        assert sweep() == 5
    for n in range(5, 50):
        _a_circle(n)
    with django_assert_num_queries(3):
        assert sweep() == 50


def test_the_sweep_agrees_with_checking_one_circle(circle, gwen, tom, ana):
    next_week(tom, filled=18)
    assert alerts.check_circle(circle) == CircleState.STRAINED
    Circle.objects.filter(pk=circle.pk).update(state=CircleState.OK)
    sweep()
    assert Circle.objects.get(pk=circle.pk).state == CircleState.STRAINED


def test_the_sweep_judges_a_block_of_circles_at_a_time_and_misses_none(monkeypatch):
    """Blocks of two: the circle with a gap, made last, is in the third block."""
    monkeypatch.setattr(alerts, "SWEEP_BLOCK", 2)
    for n in range(4):
        _a_circle(n)
    last = _a_circle(4)
    planned_visit(ClientFactory(circle=last), at(5, 8), essential=True)
    with CaptureQueriesContext(connection) as queries:
        assert sweep() == 5
    blocks = [q["sql"] for q in queries.captured_queries if '"circles_circle"."id" <=' in q["sql"]]
    assert len(blocks) == 3  # two, two and one
    assert Circle.objects.get(pk=last.pk).state == CircleState.NOT_COPING


def test_the_periodic_sweep_hands_each_block_to_a_task_of_its_own(monkeypatch, eager):
    """Workers share a national sweep: the periodic task only hands out the blocks."""
    monkeypatch.setattr(alerts, "SWEEP_BLOCK", 2)
    made = [_a_circle(n) for n in range(5)]
    planned_visit(ClientFactory(circle=made[-1]), at(5, 8), essential=True)
    ran = []

    def record(sender, args, kwargs, **_):
        ran.append((sender.name, kwargs or dict(zip(("first", "last"), args, strict=True))))

    task_prerun.connect(record)
    try:
        assert tasks.sweep() == 3
    finally:
        task_prerun.disconnect(record)

    ids = [circle.pk for circle in made]
    assert ran == [
        ("circles.tasks.sweep_block", {"first": ids[0], "last": ids[1]}),
        ("circles.tasks.sweep_block", {"first": ids[2], "last": ids[3]}),
        ("circles.tasks.sweep_block", {"first": ids[4], "last": ids[4]}),
    ]
    assert Circle.objects.get(pk=made[-1].pk).state == CircleState.NOT_COPING


def _a_circle(n: int) -> Circle:
    """A circle coping as it was last judged: its one visit has a carer."""
    circle = CircleFactory(name=f"Circle {n}")
    place(planned_visit(ClientFactory(circle=circle), at(12, 9)), carer(circle))
    return circle

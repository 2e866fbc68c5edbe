"""One alert per crossing (docs/design.md, Who hears what): team leaders hear when their circle gets
worse and when it is coping again, and nothing else, however often it is checked."""

import threading
from datetime import timedelta

import pytest
from celery.signals import before_task_publish
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from circles import alerts
from circles.models import (
    Circle,
    CircleState,
    Notification,
    NotificationKind,
    Role,
    StateChange,
)
from rota import services
from rota.models import OutboxMessage
from tests.circles.conftest import next_week
from tests.factories import MembershipFactory
from tests.stories import MONDAY_MIDNIGHT, at, place, planned_visit, visit

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MIDNIGHT)]


def alerts_to(person) -> list[str]:
    return list(Notification.objects.filter(person=person).values_list("kind", flat=True))


@pytest.mark.usefixtures("frozen_now")
def test_a_circle_getting_worse_alerts_each_team_leader_once(circle, gwen, leaders, ana):
    planned_visit(gwen, at(5, 8), essential=True)  # Gwen's medicine tomorrow: nobody on it

    for _ in range(3):
        assert alerts.check_circle(circle) == CircleState.NOT_COPING

    circle.refresh_from_db()
    assert circle.state == CircleState.NOT_COPING
    assert circle.state_changed_at is not None
    change = StateChange.objects.get()
    assert (change.from_state, change.to_state) == (CircleState.OK, CircleState.NOT_COPING)
    assert (change.slots_needed, change.slots_filled) == (1, 0)
    assert change.alerted_at is not None
    for leader in leaders:
        alert = Notification.objects.get(person=leader)
        assert alert.kind == NotificationKind.CIRCLE_WORSE
        assert alert.urgent
        assert alert.title == "Treforest is not coping: visits need cover"
        assert "An essential visit has nobody yet: Gwen" in alert.body
        assert alert.circle == circle
    assert alerts_to(ana) == []  # carers hear of visits they could take, not of thresholds


@pytest.mark.usefixtures("frozen_now")
def test_strained_then_not_coping_alerts_twice_and_the_way_back_once(
    circle, gwen, tom, leaders, ana
):
    rhian = leaders[0]
    next_week(tom, filled=18)  # 90 %: strained
    assert alerts.check_circle(circle) == CircleState.STRAINED
    medicine = planned_visit(gwen, at(5, 8), essential=True)
    assert alerts.check_circle(circle) == CircleState.NOT_COPING
    assert alerts_to(rhian) == [NotificationKind.CIRCLE_WORSE] * 2

    place(medicine, ana)
    assert alerts.check_circle(circle) == CircleState.STRAINED
    # Better, but not yet well: recorded, and nobody is told.
    assert StateChange.objects.count() == 3
    assert StateChange.objects.order_by("pk").last().alerted_at is None
    assert len(alerts_to(rhian)) == 2


@pytest.mark.usefixtures("frozen_now")
def test_back_to_coping_sends_one_short_recovered_note(circle, gwen, leaders, ana):
    medicine = planned_visit(gwen, at(5, 8), essential=True)
    alerts.check_circle(circle)
    place(medicine, ana)

    assert alerts.check_circle(circle) == CircleState.OK
    assert alerts.check_circle(circle) == CircleState.OK

    for leader in leaders:
        note = Notification.objects.get(person=leader, kind=NotificationKind.CIRCLE_RECOVERED)
        assert note.title == "Treforest is coping again"
        assert not note.urgent  # a routine note: it waits for their quiet hours
    assert StateChange.objects.count() == 2


@pytest.mark.usefixtures("frozen_now")
def test_a_team_leader_who_has_stepped_down_hears_nothing(circle, gwen, leaders):
    rhian, owain = leaders
    owain.memberships.update(started_on=at(1, 0, month=4).date(), ended_on=at(1, 0).date())
    planned_visit(gwen, at(5, 8), essential=True)
    alerts.check_circle(circle)
    assert alerts_to(rhian) == [NotificationKind.CIRCLE_WORSE]
    assert alerts_to(owain) == []


@pytest.mark.usefixtures("frozen_now")
def test_a_leader_of_two_circles_hears_of_each(circle, gwen, leaders, pontypridd, dilys):
    rhian = leaders[0]
    MembershipFactory(circle=pontypridd, person=rhian, role=Role.TEAM_LEADER)
    planned_visit(gwen, at(5, 8), essential=True)
    planned_visit(dilys, at(5, 9), essential=True)
    alerts.check_circle(circle)
    alerts.check_circle(pontypridd)
    assert sorted(
        Notification.objects.filter(person=rhian).values_list("circle__name", flat=True)
    ) == ["Pontypridd", "Treforest"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_checking_at_once_send_one_alert(frozen_now, circle, gwen, leaders):
    planned_visit(gwen, at(5, 8), essential=True)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            mine = Circle.objects.get(pk=circle.pk)  # each loaded as 'ok'
            barrier.wait(timeout=10)
            results.append(alerts.check_circle(mine))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert results == [CircleState.NOT_COPING] * 2
    assert StateChange.objects.count() == 1
    for leader in leaders:
        assert alerts_to(leader) == [NotificationKind.CIRCLE_WORSE]


@pytest.mark.django_db(transaction=True)
def test_a_rota_change_rolled_back_enqueues_nothing(redis_url, circle, gwen, ana, leaders):
    shift = visit(gwen, timezone.now() + timedelta(days=1))
    published = []

    def record(sender=None, **kwargs):
        published.append(sender)

    before_task_publish.connect(record)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.claim(shift, ana)
            raise RuntimeError("the request failed after the claim")
    finally:
        before_task_publish.disconnect(record)

    assert not OutboxMessage.objects.exists()
    assert published == []
    assert StateChange.objects.count() == 0
    assert Circle.objects.get(pk=circle.pk).state_changed_at is None


def test_announcing_a_change_checks_its_circle(
    eager, frozen_now, django_capture_on_commit_callbacks, circle, gwen, leaders, ana, ben
):
    medicine = planned_visit(gwen, at(5, 8), essential=True)
    place(medicine, ana)
    alerts.check_circle(circle)
    assert Circle.objects.get(pk=circle.pk).state == CircleState.OK

    with django_capture_on_commit_callbacks(execute=True):
        services.record_absence(ana, "sick", at(4, 6), at(6, 0))

    assert Circle.objects.get(pk=circle.pk).state == CircleState.NOT_COPING
    assert alerts_to(leaders[0]) == [NotificationKind.CIRCLE_WORSE]


@pytest.mark.usefixtures("frozen_now")
def test_a_circle_with_no_team_leader_alerts_its_coordinator_instead(circle, gwen, nerys):
    planned_visit(gwen, at(5, 8), essential=True)

    assert alerts.check_circle(circle) == CircleState.NOT_COPING

    [alert] = Notification.objects.all()
    assert (alert.person, alert.kind) == (nerys, NotificationKind.CIRCLE_WORSE)
    assert alert.link == reverse("leaders:circle", kwargs={"circle_id": circle.pk})

"""The nightly job keeps every circle's shifts made up to the rolling horizon."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from config.celery import app as celery_app
from rota import tasks
from rota.models import Shift
from tests.factories import CircleFactory, ClientFactory, VisitPlanFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 1, 4)


@pytest.fixture(autouse=True)
def _two_week_horizon(settings):
    settings.ROTA_HORIZON_WEEKS = 2


@pytest.fixture
def plans():
    """A daily visit in each of two circles."""
    return [
        VisitPlanFactory(client=ClientFactory(circle=CircleFactory()), starts_on=MONDAY)
        for _ in range(2)
    ]


def dates_of(plan) -> list[date]:
    return sorted(Shift.objects.filter(plan=plan).values_list("plan_date", flat=True))


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_the_nightly_roll_makes_every_circles_visits_for_the_next_two_weeks(plans):
    created = tasks.roll_horizon()

    assert created == 28
    for plan in plans:
        assert dates_of(plan) == [MONDAY + timedelta(days=n) for n in range(14)]


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_a_second_roll_the_same_night_makes_nothing(plans):
    tasks.roll_horizon()

    assert tasks.roll_horizon() == 0
    assert Shift.objects.count() == 28


def test_each_night_the_roll_adds_the_next_day(plans):
    with time_machine.travel(datetime(2027, 1, 4, 2, 30, tzinfo=UTC), tick=False):
        tasks.roll_horizon()
    with time_machine.travel(datetime(2027, 1, 5, 2, 30, tzinfo=UTC), tick=False):
        created = tasks.roll_horizon()

    assert created == 2
    for plan in plans:
        assert dates_of(plan)[-1] == date(2027, 1, 18)


@time_machine.travel(datetime(2027, 6, 6, 23, 30, tzinfo=UTC), tick=False)
def test_the_horizon_starts_on_the_circles_today_not_utcs():
    # 00:30 on Monday 7 June in London, still Sunday in UTC.
    plan = VisitPlanFactory(
        client=ClientFactory(circle=CircleFactory()), starts_on=date(2027, 6, 1)
    )

    tasks.roll_horizon()

    assert dates_of(plan)[0] == date(2027, 6, 7)
    assert dates_of(plan)[-1] == date(2027, 6, 20)


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_the_roll_runs_as_a_celery_task(plans):
    if not celery_app.conf.task_always_eager:
        # A real broker is configured (REDIS_URL): queueing would not run it here.
        created = tasks.roll_horizon()
    else:
        created = tasks.roll_horizon.delay().get()

    assert created == 28
    assert all(dates_of(plan)[-1] == date(2027, 1, 17) for plan in plans)

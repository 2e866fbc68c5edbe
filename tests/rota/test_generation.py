"""Shifts made from care plans: at local time across clock changes, once a date, never twice."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from rota.generation import generate_shifts
from rota.models import AuditEvent, Shift, ShiftStatus
from tests.factories import CircleFactory, ClientFactory, VisitPlanFactory
from tests.stories import LONDON

pytestmark = pytest.mark.django_db


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def plan_in(circle, **fields):
    return VisitPlanFactory(client=ClientFactory(circle=circle), **fields)


def shifts_of(plan) -> list[Shift]:
    return list(Shift.objects.filter(plan=plan).order_by("start"))


def on(plan, day: date) -> Shift:
    return Shift.objects.get(plan=plan, plan_date=day)


@pytest.fixture
def circle():
    return CircleFactory()


# Clock changes


@pytest.mark.parametrize(
    ("first", "until", "utc_hours"),
    [
        # British Summer Time until Sunday 25 October, Greenwich Mean Time from then on.
        pytest.param(date(2026, 10, 20), date(2026, 11, 1), [7] * 5 + [8] * 7, id="october"),
        # Greenwich Mean Time until Sunday 28 March, British Summer Time from then on.
        pytest.param(date(2027, 3, 20), date(2027, 4, 3), [8] * 8 + [7] * 6, id="march"),
    ],
)
def test_an_eight_oclock_visit_stays_at_eight_across_the_clock_change(
    circle, first, until, utc_hours
):
    with time_machine.travel(datetime.combine(first, time(), tzinfo=UTC), tick=False):
        plan = plan_in(circle, starts_on=first, start_time=time(8, 0))

        created = generate_shifts(circle, first, until)

    shifts = shifts_of(plan)
    assert created == len(utc_hours)
    assert [s.plan_date for s in shifts] == days(first, len(utc_hours))
    assert {s.start.astimezone(LONDON).time() for s in shifts} == {time(8, 0)}
    assert [s.start.astimezone(UTC).hour for s in shifts] == utc_hours
    assert {s.end - s.start for s in shifts} == {timedelta(hours=1)}


@time_machine.travel(datetime(2026, 10, 20, tzinfo=UTC), tick=False)
def test_a_half_past_one_visit_on_the_night_the_clocks_go_back_is_the_first_half_past_one(
    circle,
):
    plan = plan_in(circle, starts_on=date(2026, 10, 24), start_time=time(1, 30))

    generate_shifts(circle, date(2026, 10, 24), date(2026, 10, 27))

    night = on(plan, date(2026, 10, 25))
    assert night.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    # An hour of real time later: 01:30 again on the clock, now GMT.
    assert night.end == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert night.end.astimezone(LONDON).time() == time(1, 30)
    assert on(plan, date(2026, 10, 24)).start == datetime(2026, 10, 24, 0, 30, tzinfo=UTC)
    assert on(plan, date(2026, 10, 26)).start == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


@time_machine.travel(datetime(2027, 3, 20, tzinfo=UTC), tick=False)
def test_a_half_past_one_visit_on_the_night_the_clocks_go_forward_starts_at_two(circle):
    plan = plan_in(circle, starts_on=date(2027, 3, 27), start_time=time(1, 30))

    generate_shifts(circle, date(2027, 3, 27), date(2027, 3, 30))

    night = on(plan, date(2027, 3, 28))
    # 01:30 does not exist that night: the clocks jump from 01:00 to 02:00.
    assert night.start == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert night.start.astimezone(LONDON).time() == time(2, 0)
    assert night.end.astimezone(LONDON).time() == time(3, 0)
    assert night.end - night.start == timedelta(hours=1)
    assert on(plan, date(2027, 3, 27)).start == datetime(2027, 3, 27, 1, 30, tzinfo=UTC)
    assert on(plan, date(2027, 3, 29)).start == datetime(2027, 3, 29, 0, 30, tzinfo=UTC)


@time_machine.travel(datetime(2026, 10, 20, tzinfo=UTC), tick=False)
def test_a_two_hour_visit_lasts_two_real_hours_over_the_extra_hour_in_october(circle):
    plan = plan_in(
        circle, starts_on=date(2026, 10, 25), start_time=time(0, 30), duration_minutes=120
    )

    generate_shifts(circle, date(2026, 10, 25), date(2026, 10, 26))

    night = on(plan, date(2026, 10, 25))
    assert night.end - night.start == timedelta(hours=2)
    # 00:30 BST to 01:30 GMT: the clock shows one hour, the carer works two.
    assert night.start.astimezone(LONDON).time() == time(0, 30)
    assert night.end.astimezone(LONDON).time() == time(1, 30)


# Which dates


@time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False)
def test_a_monday_and_wednesday_plan_visits_only_on_mondays_and_wednesdays(circle):
    plan = plan_in(circle, rrule="FREQ=WEEKLY;BYDAY=MO,WE", starts_on=date(2027, 1, 1))

    created = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 18))

    assert created == 4
    assert [s.plan_date for s in shifts_of(plan)] == [
        date(2027, 1, 4),
        date(2027, 1, 6),
        date(2027, 1, 11),
        date(2027, 1, 13),
    ]


@time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False)
def test_a_plan_visits_only_from_its_first_to_its_last_date(circle):
    plan = plan_in(circle, starts_on=date(2027, 1, 6), ends_on=date(2027, 1, 9))

    created = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 18))

    assert created == 4
    assert [s.plan_date for s in shifts_of(plan)] == days(date(2027, 1, 6), 4)


@time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False)
def test_a_shift_carries_its_plans_client_circle_and_carers_needed(circle):
    plan = plan_in(circle, starts_on=date(2027, 1, 4), carers_needed=2)

    generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 5))

    shift = on(plan, date(2027, 1, 4))
    assert (shift.circle, shift.client, shift.carers_needed) == (circle, plan.client, 2)
    assert (shift.status, shift.sequence) == (ShiftStatus.PLANNED, 0)


@time_machine.travel(datetime(2027, 1, 4, 8, 30, tzinfo=UTC), tick=False)
def test_visits_that_would_already_have_started_are_not_created(circle):
    early = plan_in(circle, starts_on=date(2027, 1, 4), start_time=time(8, 0))
    late = plan_in(circle, starts_on=date(2027, 1, 4), start_time=time(9, 0))

    created = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 6))

    assert created == 3
    assert [s.plan_date for s in shifts_of(early)] == [date(2027, 1, 5)]
    assert [s.plan_date for s in shifts_of(late)] == [date(2027, 1, 4), date(2027, 1, 5)]


# Running it again


@time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False)
def test_a_second_run_creates_nothing_and_records_nothing(circle):
    plan_in(circle, starts_on=date(2027, 1, 4))
    plan_in(circle, starts_on=date(2027, 1, 4), start_time=time(18, 0))

    first = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 11))
    second = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 11))

    assert (first, second) == (14, 0)
    assert Shift.objects.filter(circle=circle).count() == 14
    events = AuditEvent.objects.filter(action="generate_shifts")
    assert events.count() == 1


@time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False)
def test_each_run_that_creates_shifts_records_one_event_not_one_per_shift(circle):
    plan_in(circle, starts_on=date(2027, 1, 4))
    plan_in(circle, starts_on=date(2027, 1, 4), start_time=time(18, 0))

    generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 11))
    generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 14))

    events = list(AuditEvent.objects.filter(action="generate_shifts").order_by("id"))
    assert [e.after for e in events] == [
        {"from": "2027-01-04", "to": "2027-01-11", "created": 14},
        {"from": "2027-01-04", "to": "2027-01-14", "created": 6},
    ]
    assert {(e.circle_id, e.actor_id) for e in events} == {(circle.pk, None)}


@time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False)
def test_a_cancelled_or_freed_visit_is_never_brought_back(circle):
    plan = plan_in(circle, starts_on=date(2027, 1, 4))
    generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 8))
    Shift.objects.filter(plan=plan, plan_date=date(2027, 1, 4)).update(
        status=ShiftStatus.CANCELLED, cancel_reason="In hospital"
    )
    Shift.objects.filter(plan=plan, plan_date=date(2027, 1, 5)).update(
        status=ShiftStatus.NOT_NEEDED
    )
    # A date with no shift at all is filled again, to show the run does fill gaps.
    Shift.objects.filter(plan=plan, plan_date=date(2027, 1, 6)).delete()

    created = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 8))

    assert created == 1
    assert [s.plan_date for s in shifts_of(plan)] == days(date(2027, 1, 4), 4)
    assert on(plan, date(2027, 1, 4)).status == ShiftStatus.CANCELLED
    assert on(plan, date(2027, 1, 5)).status == ShiftStatus.NOT_NEEDED
    assert on(plan, date(2027, 1, 6)).status == ShiftStatus.PLANNED


def test_a_run_never_rewrites_a_shift_it_already_made(circle):
    with time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False):
        plan = plan_in(circle, starts_on=date(2027, 1, 4), start_time=time(8, 0))
        generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 6))
    before = {s.pk: (s.start, s.end, s.sequence) for s in shifts_of(plan)}
    plan.start_time = time(10, 0)
    plan.duration_minutes = 30
    plan.save()

    # The first visit is under way by now; the second is still to come.
    with time_machine.travel(datetime(2027, 1, 4, 8, 30, tzinfo=UTC), tick=False):
        created = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 8))

    assert created == 2
    after = {s.pk: (s.start, s.end, s.sequence) for s in shifts_of(plan) if s.pk in before}
    assert after == before
    assert on(plan, date(2027, 1, 6)).start.astimezone(LONDON).time() == time(10, 0)


# Circles apart


@time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False)
def test_generating_one_circle_leaves_another_alone(circle):
    ours = plan_in(circle, starts_on=date(2027, 1, 4))
    other_circle = CircleFactory()
    theirs = plan_in(other_circle, starts_on=date(2027, 1, 4))

    created = generate_shifts(circle, date(2027, 1, 4), date(2027, 1, 11))

    assert created == 7
    assert len(shifts_of(ours)) == 7
    assert shifts_of(theirs) == []
    assert not Shift.objects.filter(circle=other_circle).exists()
    assert not AuditEvent.objects.filter(circle_id=other_circle.pk).exists()

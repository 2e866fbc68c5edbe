"""A team leader edits a care plan: what happens to the visits already made from it."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from rota.generation import apply_plan_change, generate_shifts, roll_horizon
from rota.models import AuditEvent, ReleaseReason, Shift, ShiftStatus
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    PersonFactory,
    VisitPlanFactory,
)
from tests.stories import LONDON

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 1, 4)
FORTNIGHT = [MONDAY + timedelta(days=n) for n in range(14)]
WEEKEND = [date(2027, 1, 9), date(2027, 1, 10), date(2027, 1, 16), date(2027, 1, 17)]


@pytest.fixture(autouse=True)
def _two_week_horizon(settings):
    settings.ROTA_HORIZON_WEEKS = 2


@pytest.fixture
def plan():
    """A daily 08:00 visit, its first fortnight made early on Monday 4 January 2027."""
    with time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False):
        plan = VisitPlanFactory(client=ClientFactory(circle=CircleFactory()), starts_on=MONDAY)
        roll_horizon(plan.client.circle)
    return plan


@pytest.fixture
def morning():
    """Still early on Monday 4 January 2027: every visit made is still to come."""
    with time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False):
        yield


def on(plan, day: date) -> Shift:
    return Shift.objects.get(plan=plan, plan_date=day)


def local_start(shift: Shift) -> time:
    return shift.start.astimezone(LONDON).time()


def held_by_someone(shift: Shift) -> None:
    AssignmentFactory(shift=shift, carer=PersonFactory())


def once_held_by_someone(shift: Shift) -> None:
    AssignmentFactory(
        shift=shift,
        carer=PersonFactory(),
        released_at=shift.start - timedelta(days=1),
        release_reason=ReleaseReason.ABSENCE,
    )


def only_mondays_visit_kept(plan, rewritten: int, monday: tuple[time, int], others: time):
    """The change rewrote every visit but Monday's, which keeps its time and `sequence`; the
    others start at `others` now."""
    assert rewritten == 13
    today = on(plan, MONDAY)
    assert (local_start(today), today.sequence) == monday
    assert local_start(on(plan, date(2027, 1, 5))) == others


def change_plan(plan, **fields):
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    return apply_plan_change(plan, actor=PersonFactory())


# A new time


def test_moving_the_visit_time_moves_every_future_unassigned_visit(plan, morning):
    rewritten = change_plan(plan, start_time=time(9, 30))

    shifts = list(Shift.objects.filter(plan=plan))
    assert rewritten == 14
    assert len(shifts) == 14
    assert {local_start(s) for s in shifts} == {time(9, 30)}
    assert {s.end - s.start for s in shifts} == {timedelta(hours=1)}
    # Calendar apps replace their copy when the sequence goes up.
    assert {s.sequence for s in shifts} == {1}


def test_the_change_is_recorded_once_with_the_old_times(plan, morning):
    leader = PersonFactory()
    plan.start_time = time(9, 30)
    plan.save()

    apply_plan_change(plan, actor=leader)

    event = AuditEvent.objects.get(action="change_plan")
    assert (event.actor_id, event.subject_id, event.client_id) == (
        leader.pk,
        plan.pk,
        plan.client_id,
    )
    assert event.after == {"rrule": "FREQ=DAILY", "start_time": "09:30:00"}
    assert event.before["shifts"][0] == {
        "plan_date": "2027-01-04",
        "start": "2027-01-04T08:00:00+00:00",
        "end": "2027-01-04T09:00:00+00:00",
        "carers_needed": 1,
    }
    assert len(event.before["shifts"]) == 14


def test_a_visit_someone_holds_keeps_its_time(plan, morning):
    held_by_someone(on(plan, date(2027, 1, 6)))
    # Released places are history, not a holder: that visit moves with the plan.
    once_held_by_someone(on(plan, date(2027, 1, 7)))

    rewritten = change_plan(plan, start_time=time(9, 30))

    assert rewritten == 13
    held = on(plan, date(2027, 1, 6))
    assert (local_start(held), held.sequence) == (time(8, 0), 0)
    released = on(plan, date(2027, 1, 7))
    assert (local_start(released), released.sequence) == (time(9, 30), 1)


def test_a_visit_already_under_way_is_left_alone(plan):
    with time_machine.travel(datetime(2027, 1, 4, 8, 30, tzinfo=UTC), tick=False):
        rewritten = change_plan(plan, start_time=time(9, 30))

    only_mondays_visit_kept(plan, rewritten, monday=(time(8, 0), 0), others=time(9, 30))


def test_freed_and_cancelled_visits_are_left_alone(plan, morning):
    Shift.objects.filter(plan=plan, plan_date=date(2027, 1, 5)).update(
        status=ShiftStatus.NOT_NEEDED
    )
    Shift.objects.filter(plan=plan, plan_date=date(2027, 1, 6)).update(
        status=ShiftStatus.CANCELLED, cancel_reason="In hospital"
    )

    rewritten = change_plan(plan, start_time=time(9, 30))

    assert rewritten == 12
    for day, status in [
        (date(2027, 1, 5), ShiftStatus.NOT_NEEDED),
        (date(2027, 1, 6), ShiftStatus.CANCELLED),
    ]:
        shift = on(plan, day)
        assert (shift.status, local_start(shift), shift.sequence) == (status, time(8, 0), 0)


def test_a_visit_moved_to_a_time_already_past_today_keeps_its_old_time(plan):
    with time_machine.travel(datetime(2027, 1, 4, 7, 0, tzinfo=UTC), tick=False):
        change_plan(plan, start_time=time(18, 0))
    with time_machine.travel(datetime(2027, 1, 4, 10, 0, tzinfo=UTC), tick=False):
        rewritten = change_plan(plan, start_time=time(8, 0))

    only_mondays_visit_kept(plan, rewritten, monday=(time(18, 0), 1), others=time(8, 0))


def test_needing_a_second_carer_reaches_the_future_visits(plan, morning):
    rewritten = change_plan(plan, carers_needed=2)

    assert rewritten == 14
    assert set(Shift.objects.filter(plan=plan).values_list("carers_needed", flat=True)) == {2}


# Unchanged


def test_saving_a_summer_plan_unchanged_rewrites_nothing():
    with time_machine.travel(datetime(2027, 6, 7, 5, 0, tzinfo=UTC), tick=False):
        plan = VisitPlanFactory(client=ClientFactory(circle=CircleFactory()))
        roll_horizon(plan.client.circle)

        rewritten = apply_plan_change(plan)

    assert rewritten == 0
    assert set(Shift.objects.filter(plan=plan).values_list("sequence", flat=True)) == {0}
    assert not AuditEvent.objects.filter(action="change_plan").exists()


# Other days


def test_dropping_the_weekend_removes_its_future_unassigned_visits(plan, morning):
    removed = change_plan(plan, rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")

    assert removed == 4
    days_left = sorted(Shift.objects.filter(plan=plan).values_list("plan_date", flat=True))
    assert days_left == [d for d in FORTNIGHT if d not in WEEKEND]
    assert set(Shift.objects.filter(plan=plan).values_list("sequence", flat=True)) == {0}
    event = AuditEvent.objects.get(action="change_plan")
    assert [s["plan_date"] for s in event.before["shifts"]] == [d.isoformat() for d in WEEKEND]


def test_a_dropped_day_that_once_had_a_carer_is_cancelled_with_a_reason(plan, morning):
    once_held_by_someone(on(plan, date(2027, 1, 9)))

    removed = change_plan(plan, rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")

    assert removed == 4
    cancelled = on(plan, date(2027, 1, 9))
    assert (cancelled.status, cancelled.cancel_reason, cancelled.sequence) == (
        ShiftStatus.CANCELLED,
        "The care plan changed.",
        1,
    )
    assert not Shift.objects.filter(plan=plan, plan_date=date(2027, 1, 10)).exists()


def test_a_dropped_day_that_someone_holds_stays_with_them(plan, morning):
    held_by_someone(on(plan, date(2027, 1, 9)))

    removed = change_plan(plan, rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")

    assert removed == 3
    held = on(plan, date(2027, 1, 9))
    assert (held.status, held.sequence) == (ShiftStatus.PLANNED, 0)


def test_adding_a_day_creates_its_visits(morning):
    circle = CircleFactory()
    plan = VisitPlanFactory(
        client=ClientFactory(circle=circle), rrule="FREQ=WEEKLY;BYDAY=MO", starts_on=MONDAY
    )
    roll_horizon(circle)

    rewritten = change_plan(plan, rrule="FREQ=WEEKLY;BYDAY=MO,TH")

    assert rewritten == 0
    days = sorted(Shift.objects.filter(plan=plan).values_list("plan_date", flat=True))
    assert days == [MONDAY, date(2027, 1, 7), date(2027, 1, 11), date(2027, 1, 14)]
    assert AuditEvent.objects.filter(action="generate_shifts").latest("id").after["created"] == 2


def test_visits_made_beyond_todays_horizon_are_moved_not_removed(morning):
    circle = CircleFactory()
    plan = VisitPlanFactory(client=ClientFactory(circle=circle), starts_on=MONDAY)
    # Made when the horizon was four weeks; it is two weeks now.
    generate_shifts(circle, MONDAY, MONDAY + timedelta(weeks=4))

    rewritten = change_plan(plan, start_time=time(9, 30))

    assert rewritten == 28
    shifts = Shift.objects.filter(plan=plan)
    assert shifts.count() == 28
    assert {local_start(s) for s in shifts} == {time(9, 30)}

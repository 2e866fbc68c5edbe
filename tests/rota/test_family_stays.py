"""Sian stays with Gwen: a night (Friday 22:00 to Saturday 07:00) or days on end, even past the
rota's horizon. Visits the rota makes later inside her stay are freed as they are made, as if
they had been there when she said it."""

import threading
from datetime import date, time, timedelta

import pytest
from django.db import connection

from circles import trail
from circles.fanout import tell_people
from circles.models import Notification
from rota import services
from rota.generation import generate_shifts
from rota.models import AuditEvent, FamilyVisit, OutboxMessage, Shift, ShiftStatus
from tests.factories import VisitPlanFactory
from tests.outcomes import holders, refused
from tests.stories import at, in_days, place, planned_visit

pytestmark = pytest.mark.django_db

# The rota is made up to Sunday 3 May; Sian stays from Friday 1 May, 18:00 to Thursday 7 May,
# 09:30, so her stay runs past the end of what is made.
MADE_UNTIL = date(2026, 5, 4)
STAY = (at(1, 18), at(7, 9, 30))


@pytest.fixture
def gwens_plans(gwen):
    """Every day: tablets at 08:00 (essential), a morning visit at 09:00, supper at 19:00."""
    return {
        "tablets": VisitPlanFactory(
            client=gwen, title="Tablets", starts_on=date(2026, 4, 29), essential=True
        ),
        "morning": VisitPlanFactory(
            client=gwen, title="Morning", starts_on=date(2026, 4, 29), start_time=time(9)
        ),
        "supper": VisitPlanFactory(
            client=gwen, title="Supper", starts_on=date(2026, 4, 29), start_time=time(19)
        ),
    }


def statuses(plan, first: date, last: date) -> dict[int, str]:
    """The day of the month of each of the plan's visits from first to last, and its status."""
    shifts = Shift.objects.filter(plan=plan, plan_date__gte=first, plan_date__lte=last)
    return {shift.plan_date.day: shift.status for shift in shifts.order_by("plan_date")}


# A night, and days on end


@pytest.mark.usefixtures("frozen_now")
def test_a_night_frees_the_visits_inside_it_over_midnight(gwen, ana, sian):
    late = place(planned_visit(gwen, at(1, 23), title="Bedtime"), ana).shift
    early = planned_visit(gwen, at(2, 6), title="Getting up")
    breakfast = planned_visit(gwen, at(2, 7), title="Breakfast")  # from 07:00: after she leaves

    family_visit = services.record_family_visit(sian, gwen, at(1, 22), at(2, 7), actor=sian)

    for shift in (late, early, breakfast):
        shift.refresh_from_db()
    assert (late.status, early.status) == (ShiftStatus.NOT_NEEDED, ShiftStatus.NOT_NEEDED)
    assert breakfast.status == ShiftStatus.PLANNED
    assert holders(late) == []
    assert set(family_visit.freed_shifts.all()) == {late, early}


@pytest.mark.usefixtures("frozen_now")
def test_a_stay_of_four_weeks_is_taken_and_a_day_longer_refused(gwen, sian):
    four_weeks = services.record_family_visit(
        sian, gwen, at(1, 9), at(1, 9) + timedelta(days=28), actor=sian
    )

    with refused("too_long") as refusal:
        services.record_family_visit(
            sian, gwen, at(2, 9), at(2, 9) + timedelta(days=28, minutes=1), actor=sian
        )

    assert refusal.value.messages == ["A family visit can last at most 28 days."]
    assert list(FamilyVisit.objects.all()) == [four_weeks]


# Visits made later, inside a stay


@pytest.mark.usefixtures("frozen_now")
def test_visits_made_later_inside_a_stay_are_freed_as_they_are_made(
    circle, gwen, sian, gwens_plans
):
    generate_shifts(circle, date(2026, 4, 30), MADE_UNTIL)
    family_visit = services.record_family_visit(sian, gwen, *STAY, actor=sian)
    said = AuditEvent.objects.get(action="record_family_visit")

    generate_shifts(circle, MADE_UNTIL, date(2026, 5, 11))

    freed, planned = ShiftStatus.NOT_NEEDED, ShiftStatus.PLANNED
    # Saturday to Wednesday wholly inside; Thursday's morning visit starts before she leaves
    # but ends after 09:30, so it still happens, as a visit partly inside always does.
    assert statuses(gwens_plans["morning"], date(2026, 5, 1), date(2026, 5, 8)) == {
        1: planned, 2: freed, 3: freed, 4: freed, 5: freed, 6: freed, 7: planned, 8: planned,
    }  # fmt: skip
    assert statuses(gwens_plans["supper"], date(2026, 5, 1), date(2026, 5, 7)) == {
        1: freed, 2: freed, 3: freed, 4: freed, 5: freed, 6: freed, 7: planned,
    }  # fmt: skip
    assert set(statuses(gwens_plans["tablets"], date(2026, 5, 1), date(2026, 5, 10)).values()) == {
        planned
    }
    made_later = Shift.objects.filter(plan_date__gte=MADE_UNTIL, status=freed)
    assert set(family_visit.freed_shifts.all()) == {
        *Shift.objects.filter(pk__in=said.after["freed"]),
        *made_later,
    }
    [event] = AuditEvent.objects.filter(action="free_for_family_visit")
    assert (event.subject_type, event.subject_id) == ("rota.familyvisit", family_visit.pk)
    assert (event.circle_id, event.client_id, event.actor_id) == (circle.pk, gwen.pk, None)
    assert event.after["freed"] == sorted(made_later.values_list("pk", flat=True))
    assert OutboxMessage.objects.filter(kwargs={"event_id": event.pk}).count() == 1
    [line] = trail.describe([event])
    assert line.sentence == (
        "6 visits added to the rota are not needed: Sian Davies will be with Gwen from "
        "Fri 1 May 18:00 to Thu 7 May 09:30."
    )


@pytest.mark.usefixtures("frozen_now")
def test_nobody_is_told_of_visits_freed_as_they_are_made(circle, gwen, sian, ana, gwens_plans):
    services.record_family_visit(sian, gwen, *STAY, actor=sian)
    generate_shifts(circle, date(2026, 4, 30), date(2026, 5, 11))
    event = AuditEvent.objects.get(action="free_for_family_visit")

    assert tell_people(event.pk) == 0
    assert not Notification.objects.exists()


@pytest.mark.usefixtures("frozen_now")
def test_making_the_rota_again_frees_nothing_twice(circle, gwen, sian, gwens_plans):
    services.record_family_visit(sian, gwen, *STAY, actor=sian)
    generate_shifts(circle, date(2026, 4, 30), date(2026, 5, 11))

    again = generate_shifts(circle, date(2026, 4, 30), date(2026, 5, 18))

    assert again == 3 * 7
    assert AuditEvent.objects.filter(action="free_for_family_visit").count() == 1
    assert not Shift.objects.filter(plan_date__gte=date(2026, 5, 11)).exclude(
        status=ShiftStatus.PLANNED
    )


@pytest.mark.usefixtures("frozen_now")
def test_two_of_the_family_staying_at_once_free_each_new_visit_once(
    circle, gwen, sian, rhys, gwens_plans
):
    sians = services.record_family_visit(sian, gwen, *STAY, actor=sian)
    rhyss = services.record_family_visit(rhys, gwen, at(5, 8), at(9, 12), actor=rhys)

    generate_shifts(circle, date(2026, 4, 30), date(2026, 5, 11))

    sians_shifts = set(sians.freed_shifts.all())
    rhyss_shifts = set(rhyss.freed_shifts.all())
    assert not sians_shifts & rhyss_shifts
    # Sian's stay freed the 5th and 6th: Rhys's frees the visits after she leaves.
    assert {s.plan_date.day for s in rhyss_shifts} == {7, 8, 9}
    assert AuditEvent.objects.filter(action="free_for_family_visit").count() == 2


@pytest.mark.usefixtures("frozen_now")
def test_a_withdrawn_stay_frees_nothing_made_later(circle, gwen, sian, gwens_plans):
    family_visit = services.record_family_visit(sian, gwen, *STAY, actor=sian)
    services.withdraw_family_visit(family_visit, actor=sian)

    generate_shifts(circle, date(2026, 4, 30), date(2026, 5, 11))

    assert not Shift.objects.exclude(status=ShiftStatus.PLANNED).exists()
    assert not AuditEvent.objects.filter(action="free_for_family_visit").exists()


@pytest.mark.usefixtures("frozen_now")
def test_withdrawing_a_stay_puts_back_the_visits_made_since(circle, gwen, sian, gwens_plans):
    family_visit = services.record_family_visit(sian, gwen, *STAY, actor=sian)
    generate_shifts(circle, date(2026, 4, 30), date(2026, 5, 11))

    services.withdraw_family_visit(family_visit, actor=sian)

    assert not Shift.objects.exclude(status=ShiftStatus.PLANNED).exists()


# Said and made at the same moment


@pytest.mark.django_db(transaction=True)
def test_a_stay_said_while_the_rota_is_made_frees_every_visit_inside_it(circle, gwen, sian):
    """Sian saves her stay while the nightly job makes the same days: whichever goes first,
    no visit inside her stay is left planned."""
    first = timedelta(days=1)
    VisitPlanFactory(client=gwen, title="Morning", starts_on=in_days(0, 0).date())
    for round_ in range(5):
        start, end = in_days(10 * round_ + 1, 0), in_days(10 * round_ + 9, 0)
        barrier = threading.Barrier(2)

        def say(start=start, end=end, barrier=barrier):
            try:
                barrier.wait()
                services.record_family_visit(sian, gwen, start, end, actor=sian)
            finally:
                connection.close()

        def make(start=start, end=end, barrier=barrier):
            try:
                barrier.wait()
                generate_shifts(circle, start.date() - first, end.date() + first)
            finally:
                connection.close()

        threads = [threading.Thread(target=say), threading.Thread(target=make)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        inside = Shift.objects.filter(start__gte=start, end__lte=end)
        assert inside.count() == 8
        assert not inside.filter(status=ShiftStatus.PLANNED).exists()

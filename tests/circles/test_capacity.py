"""Capacity of a circle over a window (docs/design.md, Capacity and continuity): places needed and
filled, what is uncovered (essential first), and the hours its carers could still give."""

from datetime import date, timedelta

import pytest

from circles.capacity import capacities, capacity
from circles.models import CircleState
from people.models import CarerKind, CarerPreference, CarerProfile, Preference
from rota.models import Absence, AbsenceKind, ShiftStatus
from tests.circles.conftest import next_week
from tests.factories import CircleFactory, ClientFactory, CredentialFactory, carer
from tests.stories import MONDAY_MIDNIGHT, at, place, planned_visit, visit

TWO_WEEKS = MONDAY_MIDNIGHT + timedelta(days=14)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MIDNIGHT),
    pytest.mark.usefixtures("frozen_now"),
]


def test_a_hand_built_fortnight_adds_up(circle, gwen, tom, ana, ben, cat, medication, dilys):
    # Ana's medication training ran out the day before her medication visit.
    CredentialFactory(person=ana, type=medication, valid_until=date(2026, 5, 4))
    CarerProfile.objects.filter(person=ben).update(weekly_limit_hours=20)
    dai = carer(circle, CarerKind.INFORMAL, full_name="Dai Rees")
    CarerProfile.objects.filter(person=dai).update(weekly_limit_hours=10)

    medicine = planned_visit(gwen, at(5, 8), essential=True, needs=[medication])
    place(medicine, ana)  # held, but Ana may no longer do it
    double_up = planned_visit(tom, at(6, 10), carers_needed=2)
    place(double_up, ben)  # one of two places
    place(planned_visit(tom, at(7, 12)), ben)
    place(planned_visit(gwen, at(15, 9), hours=2), ana)
    saturday = planned_visit(tom, at(16, 9))
    gwens_help = visit(gwen, at(11, 8))  # no plan: a help request's visit, essential
    place(gwens_help, cat)
    # Gwen has just said she would rather not have Cat.
    CarerPreference.objects.create(client=gwen, carer=cat, preference=Preference.NOT_WANTED)
    # Not counted: a cancelled visit, one after the window, one in another circle.
    visit(tom, at(8, 9), status=ShiftStatus.CANCELLED, cancel_reason="In hospital")
    visit(tom, at(18, 9))
    place(visit(dilys, at(8, 14), hours=3), ben)
    # Ana is on holiday Wednesday and Thursday of the first week.
    Absence.objects.create(carer=ana, kind=AbsenceKind.HOLIDAY, start=at(6, 0), end=at(8, 0))

    judged = capacity(circle, MONDAY_MIDNIGHT, TWO_WEEKS)

    assert judged.slots_needed == 7
    assert judged.slots_filled == 3
    assert judged.percent_filled == pytest.approx(100 * 3 / 7)
    assert judged.uncovered == [medicine, gwens_help, double_up, saturday]
    assert [shift.places_filled for shift in judged.uncovered] == [0, 0, 1, 0]
    # Ana (48 h): week one 48 x 5/7 less her 1 h, week two 48 less 2 h.
    # Ben (20 h): week one 20 less 1 + 1 + 3 h (the other circle's visit counts), week two 20.
    # Dai (unpaid, 10 h): 10 a week. Cat (unpaid, no limit): unknown, so none.
    assert judged.headroom_hours == round(48 * 5 / 7 - 1 + 46 + 15 + 20 + 20, 1)
    assert judged.state == CircleState.NOT_COPING


def test_an_empty_window_is_coping(circle):
    judged = capacity(circle, MONDAY_MIDNIGHT, TWO_WEEKS)
    assert (judged.slots_needed, judged.slots_filled, judged.uncovered) == (0, 0, [])
    assert judged.state == CircleState.OK


@pytest.mark.parametrize(
    ("filled", "state"),
    [
        (20, CircleState.OK),
        (19, CircleState.OK),  # 95 %: not below the strained threshold
        (18, CircleState.STRAINED),  # 90 %
        (17, CircleState.STRAINED),  # 85 %: not below the not-coping threshold
        (16, CircleState.NOT_COPING),
    ],
)
def test_thresholds_judge_the_share_of_places_filled(circle, tom, filled, state):
    next_week(tom, filled=filled)
    assert capacity(circle, MONDAY_MIDNIGHT, TWO_WEEKS).state == state


def test_an_essential_visit_without_a_carer_within_48_hours_is_not_coping(circle, gwen, ana):
    for day in range(4, 18):
        place(planned_visit(gwen, at(day, 12)), ana)
    soon = planned_visit(gwen, at(5, 20), essential=True)
    assert capacity(circle, MONDAY_MIDNIGHT, TWO_WEEKS).state == CircleState.NOT_COPING
    place(soon, ana)
    assert capacity(circle, MONDAY_MIDNIGHT, TWO_WEEKS).state == CircleState.OK


def test_an_essential_gap_further_off_only_counts_in_the_share(circle, gwen, ana):
    for day in range(4, 18):
        place(planned_visit(gwen, at(day, 12)), ana)
    planned_visit(gwen, at(12, 20), essential=True)
    judged = capacity(circle, MONDAY_MIDNIGHT, TWO_WEEKS)
    assert (judged.slots_needed, judged.slots_filled) == (15, 14)
    assert judged.state == CircleState.STRAINED


def test_thresholds_are_the_circles_own(circle, gwen, ana):
    circle.strained_below_percent = circle.not_coping_below_percent = 50
    circle.essential_gap_hours = 0
    place(planned_visit(gwen, at(5, 12)), ana)
    planned_visit(gwen, at(6, 12), essential=True)
    assert capacity(circle, MONDAY_MIDNIGHT, TWO_WEEKS).state == CircleState.OK


def test_capacities_of_many_circles_cost_the_same_queries_as_of_a_few(
    django_assert_num_queries,
):
    small = [_a_busy_circle(n) for n in range(5)]
    large = small + [_a_busy_circle(n) for n in range(5, 50)]
    for circles in (small, large):
        with django_assert_num_queries(5):
            judged = capacities(circles, MONDAY_MIDNIGHT, TWO_WEEKS)
        assert len(judged) == len(circles)
        assert all(c.slots_needed == 2 and c.slots_filled == 1 for c in judged.values())
        assert all(c.headroom_hours > 0 for c in judged.values())


def _a_busy_circle(n: int):
    circle = CircleFactory(name=f"Circle {n}")
    client = ClientFactory(circle=circle)
    person = carer(circle)
    place(visit(client, at(6, 9)), person)
    visit(client, at(7, 9))
    Absence.objects.create(carer=person, kind=AbsenceKind.SICK, start=at(12, 0), end=at(13, 0))
    return circle

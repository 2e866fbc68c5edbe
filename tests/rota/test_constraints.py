"""What the database itself refuses in the rota, whatever the Python code gets wrong.

Each refusal names its constraint, so a test cannot pass because some other rule fired.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from rota.models import (
    Absence,
    Assignment,
    FamilyVisit,
    HelpRequest,
    Offer,
    OfferStatus,
    ReleaseReason,
    Shift,
    ShiftStatus,
    Swap,
    SwapStatus,
)
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    PersonFactory,
    ShiftFactory,
    VisitPlanFactory,
)
from tests.outcomes import database_refuses, refuses_a_value_outside_its_list

pytestmark = pytest.mark.django_db

TEN = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


# Shifts


def test_a_shift_cannot_end_before_it_starts():
    with database_refuses("shift_ends_after_start"):
        ShiftFactory(start=TEN, end=TEN - HOUR)


def test_a_shift_cannot_end_the_moment_it_starts():
    with database_refuses("shift_ends_after_start"):
        ShiftFactory(start=TEN, end=TEN)


def test_a_shift_needs_at_least_one_carer():
    with database_refuses("shift_needs_a_carer"):
        ShiftFactory(carers_needed=0)


def test_a_cancelled_shift_says_why():
    with database_refuses("shift_cancelled_has_reason"):
        ShiftFactory(status=ShiftStatus.CANCELLED, cancel_reason="")

    ShiftFactory(status=ShiftStatus.CANCELLED, cancel_reason="In hospital")
    assert Shift.objects.filter(status=ShiftStatus.CANCELLED).count() == 1


def test_a_shift_made_from_a_plan_names_the_date_it_was_made_for():
    plan = VisitPlanFactory()
    with database_refuses("shift_plan_has_date"):
        ShiftFactory(client=plan.client, plan=plan, plan_date=None)


def test_a_plan_cannot_have_two_shifts_starting_at_the_same_moment():
    plan = VisitPlanFactory()
    ShiftFactory(client=plan.client, plan=plan, plan_date=date(2030, 1, 7), start=TEN)
    with database_refuses("shift_one_per_plan_and_start"):
        ShiftFactory(client=plan.client, plan=plan, plan_date=date(2030, 1, 8), start=TEN)


def test_a_plan_visits_only_once_a_day():
    plan = VisitPlanFactory()
    ShiftFactory(client=plan.client, plan=plan, plan_date=date(2030, 1, 7), start=TEN)
    with database_refuses("shift_one_per_plan_and_day"):
        ShiftFactory(
            client=plan.client, plan=plan, plan_date=date(2030, 1, 7), start=TEN + 4 * HOUR
        )


# Assignments


def test_an_assignment_cannot_end_before_or_as_it_starts():
    shift = ShiftFactory(start=TEN, end=TEN + HOUR)
    for end in (TEN - HOUR, TEN):
        with database_refuses("assignment_ends_after_start"):
            AssignmentFactory(shift=shift, start=TEN, end=end)


def test_a_released_assignment_says_why():
    with database_refuses("assignment_release_has_reason"):
        AssignmentFactory(released_at=TEN, release_reason="")


def test_a_carer_holds_a_place_on_a_shift_only_once():
    carer = PersonFactory()
    shift = ShiftFactory(start=TEN, end=TEN + HOUR)
    AssignmentFactory(shift=shift, carer=carer)
    # Times a day apart, so that only the one-place-per-shift rule can refuse it, not the
    # overlap rule below.
    with database_refuses("assignment_one_per_carer_and_shift"):
        AssignmentFactory(shift=shift, carer=carer, start=TEN + 24 * HOUR, end=TEN + 25 * HOUR)


def test_a_carer_released_from_a_shift_may_take_it_again():
    carer = PersonFactory()
    shift = ShiftFactory(start=TEN, end=TEN + HOUR)
    AssignmentFactory(
        shift=shift, carer=carer, released_at=TEN - HOUR, release_reason=ReleaseReason.ABSENCE
    )
    AssignmentFactory(shift=shift, carer=carer)

    assert shift.assignments.filter(carer=carer).count() == 2
    assert shift.assignments.filter(carer=carer, released_at__isnull=True).count() == 1


def test_a_carer_cannot_hold_two_overlapping_visits():
    carer = PersonFactory()
    AssignmentFactory(shift=ShiftFactory(start=TEN, end=TEN + HOUR), carer=carer)
    half_past = TEN + HOUR / 2
    with database_refuses("assignment_no_overlap_per_carer"):
        AssignmentFactory(shift=ShiftFactory(start=half_past, end=half_past + HOUR), carer=carer)


def test_a_carer_may_do_visits_back_to_back():
    carer = PersonFactory()
    AssignmentFactory(shift=ShiftFactory(start=TEN, end=TEN + HOUR), carer=carer)
    AssignmentFactory(shift=ShiftFactory(start=TEN + HOUR, end=TEN + 2 * HOUR), carer=carer)

    assert Assignment.objects.filter(carer=carer, released_at__isnull=True).count() == 2


def test_a_released_place_does_not_block_an_overlapping_visit():
    carer = PersonFactory()
    AssignmentFactory(
        shift=ShiftFactory(start=TEN, end=TEN + HOUR),
        carer=carer,
        released_at=TEN - HOUR,
        release_reason=ReleaseReason.SWAPPED,
    )
    AssignmentFactory(shift=ShiftFactory(start=TEN, end=TEN + HOUR), carer=carer)

    assert Assignment.objects.filter(carer=carer, released_at__isnull=True).count() == 1


def test_two_carers_may_be_on_visits_at_the_same_time():
    AssignmentFactory(shift=ShiftFactory(start=TEN, end=TEN + HOUR))
    AssignmentFactory(shift=ShiftFactory(start=TEN, end=TEN + HOUR))

    assert Assignment.objects.filter(start=TEN).count() == 2


# Offers and swaps


def test_a_swap_exchanges_two_different_assignments():
    assignment = AssignmentFactory()
    with database_refuses("swap_two_assignments"):
        Swap.objects.create(offered=assignment, wanted=assignment)


def test_a_visit_is_in_one_open_swap_proposal_at_a_time():
    offered = AssignmentFactory(shift=ShiftFactory(start=TEN, end=TEN + HOUR))
    wanted = AssignmentFactory(shift=ShiftFactory(start=TEN + 2 * HOUR, end=TEN + 3 * HOUR))
    Swap.objects.create(offered=offered, wanted=wanted, status=SwapStatus.DECLINED)
    Swap.objects.create(offered=offered, wanted=wanted)
    with database_refuses("swap_one_open_per_offered"):
        Swap.objects.create(offered=offered, wanted=wanted)


def test_a_place_is_offered_only_once_at_a_time():
    assignment = AssignmentFactory()
    Offer.objects.create(assignment=assignment, status=OfferStatus.WITHDRAWN)
    Offer.objects.create(assignment=assignment)
    with database_refuses("offer_one_open_per_assignment"):
        Offer.objects.create(assignment=assignment)


def test_a_taken_offer_names_the_place_it_became():
    with database_refuses("offer_taken_names_assignment"):
        Offer.objects.create(assignment=AssignmentFactory(), status=OfferStatus.TAKEN)


# Absences, family visits and plans


def test_an_absence_cannot_end_before_it_starts():
    with database_refuses("absence_ends_after_start"):
        Absence.objects.create(carer=PersonFactory(), kind="holiday", start=TEN, end=TEN - HOUR)


def test_a_family_visit_cannot_end_before_it_starts():
    with database_refuses("familyvisit_ends_after_start"):
        FamilyVisit.objects.create(
            family_member=PersonFactory(), client=ClientFactory(), start=TEN, end=TEN - HOUR
        )


def test_a_visit_plan_needs_at_least_one_carer():
    with database_refuses("visitplan_needs_a_carer"):
        VisitPlanFactory(carers_needed=0)


def test_a_visit_plan_lasts_at_least_a_minute():
    with database_refuses("visitplan_duration_range"):
        VisitPlanFactory(duration_minutes=0)


def test_a_visit_plan_lasts_no_more_than_a_day():
    with database_refuses("visitplan_duration_range"):
        VisitPlanFactory(duration_minutes=24 * 60 + 1)


def test_a_visit_plan_cannot_end_before_it_starts():
    with database_refuses("visitplan_ends_after_start"):
        VisitPlanFactory(starts_on=date(2030, 1, 7), ends_on=date(2030, 1, 6))


# Values outside their lists, written past the model by a raw update


def _an_absence():
    return Absence.objects.create(carer=PersonFactory(), kind="sick", start=TEN, end=TEN + HOUR)


def _an_offer():
    return Offer.objects.create(assignment=AssignmentFactory())


def _a_swap():
    offered = AssignmentFactory(shift=ShiftFactory(start=TEN, end=TEN + HOUR))
    wanted = AssignmentFactory(shift=ShiftFactory(start=TEN + 2 * HOUR, end=TEN + 3 * HOUR))
    return Swap.objects.create(offered=offered, wanted=wanted)


def _a_family_visit():
    return FamilyVisit.objects.create(
        family_member=PersonFactory(), client=ClientFactory(), start=TEN, end=TEN + HOUR
    )


def _a_help_request():
    shift = ShiftFactory()
    return HelpRequest.objects.create(client=shift.client, shift=shift)


@pytest.mark.parametrize(
    ("make", "field", "constraint"),
    [
        (ShiftFactory, "status", "shift_status_valid"),
        (_an_absence, "kind", "absence_kind_valid"),
        (_an_offer, "status", "offer_status_valid"),
        (_a_swap, "status", "swap_status_valid"),
        (_a_family_visit, "status", "familyvisit_status_valid"),
        (_a_help_request, "status", "helprequest_status_valid"),
    ],
)
def test_a_status_or_kind_outside_its_list_is_refused(make, field, constraint):
    refuses_a_value_outside_its_list(make(), field, constraint)

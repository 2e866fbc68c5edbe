"""Family visiting: “I'll be with Mum on Saturday, 9 till 5” frees the visits that fall inside."""

import pytest
import time_machine

from circles.models import Role
from rota import services
from rota.models import (
    AuditEvent,
    FamilyVisit,
    FamilyVisitStatus,
    OfferStatus,
    ReleaseReason,
    ShiftStatus,
    SwapStatus,
)
from tests.factories import AssignmentFactory, MembershipFactory, PersonFactory
from tests.outcomes import holders, refused, the_audit_event
from tests.stories import at, planned_visit, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def lunch(gwen, ana):
    """Gwen's non-essential lunch visit on Saturday 9 May, 12:00 to 13:00, Ana's."""
    shift = planned_visit(gwen, at(9, 12))
    AssignmentFactory(shift=shift, carer=ana)
    return shift


def test_a_family_visit_frees_the_visits_wholly_inside_it(now, circle, gwen, ana, sian, lunch):
    family_visit = services.record_family_visit(sian, gwen, at(9, 9), at(9, 17), actor=sian)

    lunch.refresh_from_db()
    assert lunch.status == ShiftStatus.NOT_NEEDED
    assert lunch.sequence == 1
    [anas_place] = lunch.assignments.all()
    assert anas_place.released_at == now
    assert anas_place.release_reason == ReleaseReason.FAMILY_VISIT
    assert list(family_visit.freed_shifts.all()) == [lunch]
    assert list(family_visit.released.all()) == [anas_place]
    assert AuditEvent.objects.count() == 1
    the_audit_event("record_family_visit", actor=sian, circle=circle, carers=[ana])


def test_essential_and_partly_covered_visits_still_happen(gwen, ana, ben, sian, lunch):
    medication = planned_visit(gwen, at(9, 10), essential=True)
    AssignmentFactory(shift=medication, carer=ben)
    tea = planned_visit(gwen, at(9, 16), hours=2)  # 16:00 to 18:00, past the end of the visit
    AssignmentFactory(shift=tea, carer=ana)

    services.record_family_visit(sian, gwen, at(9, 9), at(9, 17), actor=sian)

    for shift in (medication, tea):
        shift.refresh_from_db()
        assert shift.status == ShiftStatus.PLANNED and shift.sequence == 0
    assert holders(medication) == [ben] and holders(tea) == [ana]


def test_the_freed_carers_offers_and_swaps_close(circle, gwen, tom, ana, ben, sian, lunch):
    anas_place = lunch.assignments.get()
    offer = services.offer(anas_place, actor=ana)
    bens_place = AssignmentFactory(shift=visit(tom, at(10, 8)), carer=ben)
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    services.record_family_visit(sian, gwen, at(9, 9), at(9, 17), actor=sian)

    offer.refresh_from_db()
    swap.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED and offer.closed_reason
    assert swap.status == SwapStatus.CLOSED and swap.closed_reason


def test_withdrawn_before_it_starts_the_visits_and_their_carers_come_back(
    circle, gwen, ana, sian, lunch
):
    family_visit = services.record_family_visit(sian, gwen, at(9, 9), at(9, 17), actor=sian)

    withdrawn = services.withdraw_family_visit(family_visit, actor=sian)

    lunch.refresh_from_db()
    assert withdrawn.status == FamilyVisitStatus.WITHDRAWN
    assert lunch.status == ShiftStatus.PLANNED
    assert lunch.sequence == 2
    assert holders(lunch) == [ana]
    the_audit_event("withdraw_family_visit", actor=sian, circle=circle, carers=[ana])


def test_a_carer_who_took_another_visit_meanwhile_is_not_put_back(gwen, tom, ana, sian, lunch):
    family_visit = services.record_family_visit(sian, gwen, at(9, 9), at(9, 17), actor=sian)
    services.claim(visit(tom, at(9, 12, 30)), ana, actor=ana)

    services.withdraw_family_visit(family_visit, actor=sian)

    lunch.refresh_from_db()
    assert lunch.status == ShiftStatus.PLANNED
    assert holders(lunch) == []  # the place needs cover
    event = AuditEvent.objects.get(action="withdraw_family_visit")
    assert event.after["restored"] == []
    assert event.after["not_restored"] == [lunch.assignments.get().pk]


def test_a_visit_already_under_way_cannot_be_withdrawn(gwen, sian, lunch):
    family_visit = services.record_family_visit(sian, gwen, at(9, 9), at(9, 17), actor=sian)

    with time_machine.travel(at(9, 10), tick=False), refused("started"):
        services.withdraw_family_visit(family_visit, actor=sian)

    lunch.refresh_from_db()
    assert lunch.status == ShiftStatus.NOT_NEEDED


def test_someone_who_is_not_the_clients_family_is_refused(circle, gwen, tom, ben, lunch):
    toms_son = PersonFactory(full_name="Huw Evans")
    MembershipFactory(circle=circle, person=toms_son, role=Role.FAMILY, client=tom)

    for stranger in (ben, toms_son):
        with refused("not_family") as refusal:
            services.record_family_visit(stranger, gwen, at(9, 9), at(9, 17), actor=stranger)
        assert "Gwen's family" in refusal.value.message

    lunch.refresh_from_db()
    assert lunch.status == ShiftStatus.PLANNED


def test_the_clients_representative_counts_as_family(circle, gwen, ana, rhys, lunch):
    services.record_family_visit(rhys, gwen, at(9, 9), at(9, 17), actor=rhys)

    lunch.refresh_from_db()
    assert lunch.status == ShiftStatus.NOT_NEEDED
    the_audit_event("record_family_visit", actor=rhys, circle=circle, carers=[ana])


def test_saying_the_same_family_visit_twice_records_it_once(gwen, sian):
    services.record_family_visit(sian, gwen, at(4, 13), at(4, 17), actor=sian)
    with refused("already_said"):
        services.record_family_visit(sian, gwen, at(4, 13), at(4, 17), actor=sian)
    assert FamilyVisit.objects.filter(client=gwen).count() == 1

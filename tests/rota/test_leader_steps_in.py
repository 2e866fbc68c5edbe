"""A team leader stepping in: putting a carer on a visit, or cancelling a visit, with a reason."""

import pytest
import time_machine

from circles.models import Role
from rota import services
from rota.models import AbsenceKind, AuditEvent, OfferStatus, ReleaseReason, ShiftStatus
from rota.rules import Rule
from tests.factories import AssignmentFactory, CircleFactory, MembershipFactory, PersonFactory
from tests.outcomes import broken, refused, the_audit_event
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


# Assigning


def test_a_team_leader_puts_a_carer_on_a_visit(circle, gwen, ana, rhian):
    shift = visit(gwen, at(4, 8))

    assignment = services.assign(shift, ana, actor=rhian)

    assert assignment.carer == ana and assignment.shift == shift and assignment.is_held
    assert AuditEvent.objects.count() == 1
    the_audit_event("assign", actor=rhian, circle=circle, carers=[ana])


def test_a_leader_is_held_to_the_same_rules(gwen, ana, rhian):
    services.record_absence(ana, AbsenceKind.HOLIDAY, at(4, 0), at(8, 0), actor=ana)
    shift = visit(gwen, at(4, 8))

    with broken(Rule.ABSENT) as refusal:
        services.assign(shift, ana, actor=rhian)

    assert "holiday" in refusal.value.violations[0].message


def test_a_carer_cannot_put_a_colleague_on_a_visit(gwen, ana, ben):
    shift = visit(gwen, at(4, 8))

    with refused("not_allowed"):
        services.assign(shift, ben, actor=ana)


def test_a_leader_of_another_circle_cannot_assign(gwen, ana):
    outsider = PersonFactory()
    MembershipFactory(circle=CircleFactory(), person=outsider, role=Role.TEAM_LEADER)
    shift = visit(gwen, at(4, 8))

    with refused("not_allowed"):
        services.assign(shift, ana, actor=outsider)


# Cancelling


def test_cancelling_a_visit_frees_its_carers_and_closes_their_offers(
    now, circle, gwen, ana, ben, rhian
):
    double_up = visit(gwen, at(4, 8), carers_needed=2)
    anas = AssignmentFactory(shift=double_up, carer=ana)
    bens = AssignmentFactory(shift=double_up, carer=ben)
    offer = services.offer(anas, actor=ana)

    cancelled = services.cancel_shift(double_up, "  Gwen is in hospital  ", actor=rhian)

    assert cancelled.status == ShiftStatus.CANCELLED
    assert cancelled.cancel_reason == "Gwen is in hospital"
    assert cancelled.sequence == 1
    for place in (anas, bens):
        place.refresh_from_db()
        assert place.released_at == now
        assert place.release_reason == ReleaseReason.CANCELLED
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED and offer.closed_reason
    event = the_audit_event("cancel_shift", actor=rhian, circle=circle, carers=[ana, ben])
    assert event.after["reason"] == "Gwen is in hospital"


def test_a_cancelled_visit_says_why_to_whoever_tries_to_claim_it(gwen, ben, rhian):
    shift = visit(gwen, at(4, 8))
    services.cancel_shift(shift, "Gwen is in hospital", actor=rhian)

    with refused("cancelled") as refusal:
        services.claim(shift, ben, actor=ben)

    assert "Gwen is in hospital" in refusal.value.message


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_visit_is_not_cancelled_without_a_reason(gwen, ana, rhian, reason):
    shift = visit(gwen, at(4, 8))
    AssignmentFactory(shift=shift, carer=ana)

    with refused("no_reason"):
        services.cancel_shift(shift, reason, actor=rhian)
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.PLANNED and shift.sequence == 0


def test_a_visit_under_way_cannot_be_cancelled(gwen, ana, rhian):
    shift = visit(gwen, at(4, 8))
    AssignmentFactory(shift=shift, carer=ana)

    with time_machine.travel(at(4, 8, 15), tick=False), refused("started"):
        services.cancel_shift(shift, "Gwen is in hospital", actor=rhian)

    shift.refresh_from_db()
    assert shift.status == ShiftStatus.PLANNED


def test_a_carer_cannot_cancel_a_visit(gwen, ana):
    shift = visit(gwen, at(4, 8))
    AssignmentFactory(shift=shift, carer=ana)

    with refused("not_allowed"):
        services.cancel_shift(shift, "I'd rather not", actor=ana)

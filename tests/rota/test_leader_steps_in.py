"""A team leader stepping in: putting a carer on a visit, or cancelling a visit, with a reason."""

import pytest
import time_machine

from circles.models import Role
from rota import services
from rota.models import AbsenceKind, AuditEvent, OfferStatus, ReleaseReason, ShiftStatus
from rota.rules import Refused, Rule, RuleBroken
from tests.factories import AssignmentFactory, CircleFactory, MembershipFactory, PersonFactory
from tests.rota.conftest import at, visit
from tests.rota.stories import rota_state, the_audit_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


# Assigning


def test_a_team_leader_puts_a_carer_on_a_visit(circle, gwen, ana, leader):
    shift = visit(gwen, at(4, 8))

    assignment = services.assign(shift, ana, actor=leader)

    assert assignment.carer == ana and assignment.shift == shift and assignment.is_held
    assert AuditEvent.objects.count() == 1
    the_audit_event("assign", actor=leader, circle=circle, carers=[ana])


def test_a_leader_is_held_to_the_same_rules(gwen, ana, leader):
    services.record_absence(ana, AbsenceKind.HOLIDAY, at(4, 0), at(8, 0), actor=ana)
    shift = visit(gwen, at(4, 8))
    before = rota_state()

    with pytest.raises(RuleBroken) as refused:
        services.assign(shift, ana, actor=leader)

    assert [v.rule for v in refused.value.violations] == [Rule.ABSENT]
    assert "holiday" in refused.value.violations[0].message
    assert rota_state() == before


def test_a_carer_cannot_put_a_colleague_on_a_visit(gwen, ana, ben):
    shift = visit(gwen, at(4, 8))
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.assign(shift, ben, actor=ana)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before


def test_a_leader_of_another_circle_cannot_assign(gwen, ana):
    outsider = PersonFactory()
    MembershipFactory(circle=CircleFactory(), person=outsider, role=Role.TEAM_LEADER)
    shift = visit(gwen, at(4, 8))
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.assign(shift, ana, actor=outsider)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before


# Cancelling


def test_cancelling_a_visit_frees_its_carers_and_closes_their_offers(
    frozen_now, circle, gwen, ana, ben, leader
):
    double_up = visit(gwen, at(4, 8), carers_needed=2)
    anas = AssignmentFactory(shift=double_up, carer=ana)
    bens = AssignmentFactory(shift=double_up, carer=ben)
    offer = services.offer(anas, actor=ana)

    cancelled = services.cancel_shift(double_up, "  Gwen is in hospital  ", actor=leader)

    assert cancelled.status == ShiftStatus.CANCELLED
    assert cancelled.cancel_reason == "Gwen is in hospital"
    assert cancelled.sequence == 1
    for place in (anas, bens):
        place.refresh_from_db()
        assert place.released_at == frozen_now
        assert place.release_reason == ReleaseReason.CANCELLED
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED and offer.closed_reason
    event = the_audit_event("cancel_shift", actor=leader, circle=circle, carers=[ana, ben])
    assert event.after["reason"] == "Gwen is in hospital"


def test_a_cancelled_visit_says_why_to_whoever_tries_to_claim_it(gwen, ben, leader):
    shift = visit(gwen, at(4, 8))
    services.cancel_shift(shift, "Gwen is in hospital", actor=leader)

    with pytest.raises(Refused) as refused:
        services.claim(shift, ben, actor=ben)

    assert refused.value.code == "cancelled"
    assert "Gwen is in hospital" in refused.value.message


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_visit_is_not_cancelled_without_a_reason(gwen, ana, leader, reason):
    shift = visit(gwen, at(4, 8))
    AssignmentFactory(shift=shift, carer=ana)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.cancel_shift(shift, reason, actor=leader)

    assert refused.value.code == "no_reason"
    assert rota_state() == before
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.PLANNED and shift.sequence == 0


def test_a_visit_under_way_cannot_be_cancelled(gwen, ana, leader):
    shift = visit(gwen, at(4, 8))
    AssignmentFactory(shift=shift, carer=ana)

    with time_machine.travel(at(4, 8, 15), tick=False):
        before = rota_state()
        with pytest.raises(Refused) as refused:
            services.cancel_shift(shift, "Gwen is in hospital", actor=leader)

    assert refused.value.code == "started"
    assert rota_state() == before
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.PLANNED


def test_a_carer_cannot_cancel_a_visit(gwen, ana):
    shift = visit(gwen, at(4, 8))
    AssignmentFactory(shift=shift, carer=ana)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.cancel_shift(shift, "I'd rather not", actor=ana)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before

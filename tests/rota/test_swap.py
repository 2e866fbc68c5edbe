"""Swapping visits: Ana offers her visit to Gwen for Ben's visit to Tom; whole or not at all."""

from datetime import date, time

import pytest

from rota import services
from rota.models import AbsenceKind, Assignment, AuditEvent, ReleaseReason, SwapStatus
from rota.rules import Refused, Rule, RuleBroken
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    CredentialFactory,
    CredentialTypeFactory,
    VisitPlanFactory,
    carer,
)
from tests.rota.conftest import at, visit
from tests.rota.stories import rota_state, the_audit_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def holder(shift):
    return Assignment.objects.get(shift=shift, released_at__isnull=True).carer


@pytest.fixture
def bens_place(ben, tom):
    """Ben's place: Tom, Tuesday 10:00."""
    return AssignmentFactory(shift=visit(tom, at(5, 10)), carer=ben)


def test_a_proposal_changes_nobodys_visits_until_it_is_accepted(
    circle, ana, ben, anas_place, bens_place
):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    assert swap.status == SwapStatus.PROPOSED
    assert holder(anas_place.shift) == ana and holder(bens_place.shift) == ben
    assert AuditEvent.objects.count() == 1
    the_audit_event("propose_swap", actor=ana, circle=circle, carers=[ana, ben])


def test_an_accepted_swap_moves_both_places_whole(
    frozen_now, circle, ana, ben, anas_place, bens_place
):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    accepted = services.accept_swap(swap, actor=ben)

    assert accepted.status == SwapStatus.ACCEPTED
    assert holder(anas_place.shift) == ben and holder(bens_place.shift) == ana
    for old in (anas_place, bens_place):
        old.refresh_from_db()
        assert old.released_at == frozen_now and old.release_reason == ReleaseReason.SWAPPED
    the_audit_event("accept_swap", actor=ben, circle=circle, carers=[ana, ben])


def test_the_colleague_asked_is_checked_again_at_acceptance(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    # Ben books training over Ana's Monday visit (his own Tuesday visit is untouched).
    services.record_absence(ben, AbsenceKind.TRAINING, at(4, 7), at(4, 12), actor=ben)
    before = rota_state()

    with pytest.raises(RuleBroken) as refused:
        services.accept_swap(swap, actor=ben)

    assert [v.rule for v in refused.value.violations] == [Rule.ABSENT]
    assert rota_state() == before
    assert holder(anas_place.shift) == ana and holder(bens_place.shift) == ben


def test_the_proposer_is_checked_again_at_acceptance(ana, ben, anas_place, tom):
    medication = CredentialTypeFactory(code="medication", name="Medication training")
    plan = VisitPlanFactory(client=tom, start_time=time(10))
    plan.credentials_needed.add(medication)
    toms_medication = visit(tom, at(5, 10), plan=plan, plan_date=date(2026, 5, 5))
    CredentialFactory(person=ben, type=medication)
    anas_training = CredentialFactory(person=ana, type=medication)
    bens_medication = AssignmentFactory(shift=toms_medication, carer=ben)
    swap = services.propose_swap(anas_place, bens_medication, actor=ana)
    # The coordinator corrects Ana's record: her training ran out on Sunday.
    anas_training.valid_until = date(2026, 5, 3)
    anas_training.save()
    before = rota_state()

    with pytest.raises(RuleBroken) as refused:
        services.accept_swap(swap, actor=ben)

    [violation] = refused.value.violations
    assert violation.rule == Rule.CREDENTIAL
    assert "Ana can't take your visit" in violation.message
    assert "expired on 3 May 2026" in violation.message
    assert rota_state() == before
    assert holder(anas_place.shift) == ana and holder(toms_medication) == ben


def test_only_the_colleague_asked_can_accept(ana, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.accept_swap(swap, actor=ana)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before


def test_the_colleague_asked_may_decline(circle, ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    declined = services.decline_swap(swap, actor=ben)

    assert declined.status == SwapStatus.DECLINED
    assert holder(anas_place.shift) == ana and holder(bens_place.shift) == ben
    the_audit_event("decline_swap", actor=ben, circle=circle, carers=[ana, ben])


def test_only_the_colleague_asked_can_decline(ana, cat, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    before = rota_state()

    for someone_else in (ana, cat):
        with pytest.raises(Refused) as refused:
            services.decline_swap(swap, actor=someone_else)
        assert refused.value.code == "not_allowed"

    assert rota_state() == before


def test_the_proposer_may_withdraw(circle, ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    withdrawn = services.withdraw_swap(swap, actor=ana)

    assert withdrawn.status == SwapStatus.WITHDRAWN
    assert holder(anas_place.shift) == ana and holder(bens_place.shift) == ben
    the_audit_event("withdraw_swap", actor=ana, circle=circle, carers=[ana, ben])


def test_only_the_proposer_can_withdraw(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.withdraw_swap(swap, actor=ben)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before


def test_a_declined_swap_cannot_then_be_accepted(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    services.decline_swap(swap, actor=ben)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.accept_swap(swap, actor=ben)

    assert refused.value.code == "swap_closed"
    assert rota_state() == before


def test_a_carer_cannot_swap_with_themselves(ana, gwen, anas_place):
    own_other = AssignmentFactory(shift=visit(gwen, at(6, 8)), carer=ana)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.propose_swap(anas_place, own_other, actor=ana)

    assert refused.value.code == "swap_with_self"
    assert rota_state() == before


def test_a_place_cannot_be_swapped_for_itself(ana, anas_place):
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.propose_swap(anas_place, anas_place, actor=ana)

    assert refused.value.code == "same_assignment"
    assert rota_state() == before


def test_a_swap_with_another_circle_is_refused(ana, anas_place):
    elsewhere = CircleFactory(name="Pontypridd")
    dai = carer(elsewhere)
    theirs = AssignmentFactory(shift=visit(ClientFactory(circle=elsewhere), at(5, 10)), carer=dai)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.propose_swap(anas_place, theirs, actor=ana)

    assert refused.value.code == "other_circle"
    assert rota_state() == before


def test_a_carer_cannot_propose_a_swap_of_someone_elses_place(cat, anas_place, bens_place):
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.propose_swap(anas_place, bens_place, actor=cat)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before


def test_an_absence_that_frees_one_place_closes_the_proposal(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    services.record_absence(ben, AbsenceKind.SICK, at(5, 0), at(6, 0), actor=ben)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.CLOSED and swap.closed_reason
    before = rota_state()
    with pytest.raises(Refused) as refused:
        services.accept_swap(swap, actor=ben)
    assert refused.value.code == "swap_closed"
    assert rota_state() == before
    assert holder(anas_place.shift) == ana


def test_a_taken_offer_closes_the_proposal(ana, ben, cat, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    offer = services.offer(anas_place, actor=ana)

    services.take_offer(offer, cat, actor=cat)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.CLOSED and swap.closed_reason
    before = rota_state()
    with pytest.raises(Refused) as refused:
        services.accept_swap(swap, actor=ben)
    assert refused.value.code == "swap_closed"
    assert rota_state() == before
    assert holder(anas_place.shift) == cat and holder(bens_place.shift) == ben

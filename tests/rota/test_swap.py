"""Swapping visits: Ana offers her visit to Gwen for Ben's visit to Tom; whole or not at all."""

from datetime import date, time

import pytest

from rota import services
from rota.models import AbsenceKind, AuditEvent, ReleaseReason, SwapStatus
from rota.rules import Rule
from tests.factories import AssignmentFactory, CredentialFactory, VisitPlanFactory
from tests.outcomes import broken, holders, refused, the_audit_event
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def bens_place(ben, tom):
    """Ben's place: Tom, Tuesday 10:00."""
    return AssignmentFactory(shift=visit(tom, at(5, 10)), carer=ben)


def test_a_proposal_changes_nobodys_visits_until_it_is_accepted(
    circle, ana, ben, anas_place, bens_place
):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    assert swap.status == SwapStatus.PROPOSED
    assert holders(anas_place.shift) == [ana] and holders(bens_place.shift) == [ben]
    assert AuditEvent.objects.count() == 1
    the_audit_event("propose_swap", actor=ana, circle=circle, carers=[ana, ben])


def test_an_accepted_swap_moves_both_places_whole(now, circle, ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    accepted = services.accept_swap(swap, actor=ben)

    assert accepted.status == SwapStatus.ACCEPTED
    assert holders(anas_place.shift) == [ben] and holders(bens_place.shift) == [ana]
    for old in (anas_place, bens_place):
        old.refresh_from_db()
        assert old.released_at == now and old.release_reason == ReleaseReason.SWAPPED
    the_audit_event("accept_swap", actor=ben, circle=circle, carers=[ana, ben])


def test_the_colleague_asked_is_checked_again_at_acceptance(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    # Ben books training over Ana's Monday visit (his own Tuesday visit is untouched).
    services.record_absence(ben, AbsenceKind.TRAINING, at(4, 7), at(4, 12), actor=ben)

    with broken(Rule.ABSENT):
        services.accept_swap(swap, actor=ben)

    assert holders(anas_place.shift) == [ana] and holders(bens_place.shift) == [ben]


def test_the_proposer_is_checked_again_at_acceptance(ana, ben, anas_place, tom, medication):
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

    with broken(Rule.CREDENTIAL) as refusal:
        services.accept_swap(swap, actor=ben)

    [violation] = refusal.value.violations
    assert "Ana can't take your visit" in violation.message
    assert "expired on 3 May 2026" in violation.message
    assert holders(anas_place.shift) == [ana] and holders(toms_medication) == [ben]


def test_only_the_colleague_asked_can_accept(ana, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    with refused("not_allowed"):
        services.accept_swap(swap, actor=ana)


@pytest.mark.parametrize(
    ("answer", "who", "status"),
    [
        pytest.param("decline_swap", "ben", SwapStatus.DECLINED, id="the_colleague_asked_declines"),
        pytest.param("withdraw_swap", "ana", SwapStatus.WITHDRAWN, id="the_proposer_withdraws"),
    ],
)
def test_a_swap_declined_or_withdrawn_moves_nobody(
    request, circle, ana, ben, anas_place, bens_place, answer, who, status
):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    actor = request.getfixturevalue(who)

    closed = getattr(services, answer)(swap, actor=actor)

    assert closed.status == status
    assert holders(anas_place.shift) == [ana] and holders(bens_place.shift) == [ben]
    the_audit_event(answer, actor=actor, circle=circle, carers=[ana, ben])


def test_only_the_colleague_asked_can_decline(ana, cat, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    for someone_else in (ana, cat):
        with refused("not_allowed"):
            services.decline_swap(swap, actor=someone_else)


def test_only_the_proposer_can_withdraw(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    with refused("not_allowed"):
        services.withdraw_swap(swap, actor=ben)


def test_a_declined_swap_cannot_then_be_accepted(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    services.decline_swap(swap, actor=ben)

    with refused("swap_closed"):
        services.accept_swap(swap, actor=ben)


def test_a_carer_cannot_swap_with_themselves(ana, gwen, anas_place):
    own_other = AssignmentFactory(shift=visit(gwen, at(6, 8)), carer=ana)

    with refused("swap_with_self"):
        services.propose_swap(anas_place, own_other, actor=ana)


def test_a_place_cannot_be_swapped_for_itself(ana, anas_place):
    with refused("same_assignment"):
        services.propose_swap(anas_place, anas_place, actor=ana)


def test_a_swap_with_another_circle_is_refused(ana, anas_place, dilys, eli):
    theirs = AssignmentFactory(shift=visit(dilys, at(5, 10)), carer=eli)

    with refused("other_circle"):
        services.propose_swap(anas_place, theirs, actor=ana)


def test_a_carer_cannot_propose_a_swap_of_someone_elses_place(cat, anas_place, bens_place):
    with refused("not_allowed"):
        services.propose_swap(anas_place, bens_place, actor=cat)


def test_an_absence_that_frees_one_place_closes_the_proposal(ana, ben, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)

    services.record_absence(ben, AbsenceKind.SICK, at(5, 0), at(6, 0), actor=ben)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.CLOSED and swap.closed_reason
    with refused("swap_closed"):
        services.accept_swap(swap, actor=ben)
    assert holders(anas_place.shift) == [ana]


def test_a_taken_offer_closes_the_proposal(ana, ben, cat, anas_place, bens_place):
    swap = services.propose_swap(anas_place, bens_place, actor=ana)
    offer = services.offer(anas_place, actor=ana)

    services.take_offer(offer, cat, actor=cat)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.CLOSED and swap.closed_reason
    with refused("swap_closed"):
        services.accept_swap(swap, actor=ben)
    assert holders(anas_place.shift) == [cat] and holders(bens_place.shift) == [ben]

"""Giving a visit away: it stays the giver's until a colleague takes it."""

import pytest
import time_machine

from rota import services
from rota.models import Assignment, AuditEvent, OfferStatus, ReleaseReason
from rota.rules import Rule
from tests.factories import AssignmentFactory
from tests.outcomes import broken, refused, the_audit_event
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_an_offered_visit_stays_the_givers_until_someone_takes_it(circle, ana, anas_place):
    offer = services.offer(anas_place, actor=ana)

    anas_place.refresh_from_db()
    assert offer.status == OfferStatus.OPEN and offer.assignment == anas_place
    assert anas_place.is_held
    assert AuditEvent.objects.count() == 1
    the_audit_event("offer", actor=ana, circle=circle, carers=[ana])


def test_taking_an_offer_hands_the_place_over(now, circle, ana, ben, anas_place):
    offer = services.offer(anas_place, actor=ana)

    taken = services.take_offer(offer, ben, actor=ben)

    anas_place.refresh_from_db()
    offer.refresh_from_db()
    assert taken.carer == ben and taken.is_held and taken.shift == anas_place.shift
    assert anas_place.released_at == now
    assert anas_place.release_reason == ReleaseReason.OFFER_TAKEN
    assert offer.status == OfferStatus.TAKEN and offer.taken_as == taken
    event = the_audit_event("take_offer", actor=ben, circle=circle, carers=[ana, ben])
    assert event.before == {"carer": ana.pk}


def test_a_withdrawn_offer_cannot_be_taken(ana, ben, anas_place):
    offer = services.offer(anas_place, actor=ana)
    withdrawn = services.withdraw_offer(offer, actor=ana)
    assert withdrawn.status == OfferStatus.WITHDRAWN

    with refused("offer_closed") as refusal:
        services.take_offer(offer, ben, actor=ben)

    assert "taken or withdrawn" in refusal.value.message


def test_a_taken_offer_cannot_be_taken_again(ana, ben, cat, anas_place):
    offer = services.offer(anas_place, actor=ana)
    services.take_offer(offer, ben, actor=ben)

    with refused("offer_closed"):
        services.take_offer(offer, cat, actor=cat)

    assert Assignment.objects.get(shift=anas_place.shift, released_at__isnull=True).carer == ben


def test_a_carer_cannot_take_their_own_offer(ana, anas_place):
    offer = services.offer(anas_place, actor=ana)

    with refused("own_offer"):
        services.take_offer(offer, ana, actor=ana)


def test_a_carer_cannot_take_an_offer_for_someone_else(ana, ben, cat, anas_place):
    offer = services.offer(anas_place, actor=ana)

    with refused("not_allowed"):
        services.take_offer(offer, cat, actor=ben)


def test_someone_elses_place_cannot_be_offered(ben, anas_place):
    with refused("not_allowed"):
        services.offer(anas_place, actor=ben)


def test_offering_the_same_visit_twice_is_refused(ana, anas_place):
    services.offer(anas_place, actor=ana)

    with refused("already_offered"):
        services.offer(anas_place, actor=ana)


def test_the_rules_apply_to_the_carer_taking_the_offer(ana, ben, tom, anas_place):
    AssignmentFactory(shift=visit(tom, at(4, 8, 30)), carer=ben)
    offer = services.offer(anas_place, actor=ana)

    with broken(Rule.OVERLAP) as refusal:
        services.take_offer(offer, ben, actor=ben)

    assert "Tom" in refusal.value.violations[0].message
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN


def test_an_offer_lapses_when_the_visit_starts(ana, ben, anas_place):
    offer = services.offer(anas_place, actor=ana)

    with time_machine.travel(at(4, 8, 5), tick=False), broken(Rule.STARTED):
        services.take_offer(offer, ben, actor=ben)


def test_a_visit_under_way_cannot_be_offered(ana, anas_place):
    with time_machine.travel(at(4, 8, 5), tick=False), refused("started"):
        services.offer(anas_place, actor=ana)


def test_withdrawing_an_offer_keeps_the_place_with_its_holder(circle, ana, anas_place):
    offer = services.offer(anas_place, actor=ana)

    withdrawn = services.withdraw_offer(offer, actor=ana)

    anas_place.refresh_from_db()
    assert withdrawn.status == OfferStatus.WITHDRAWN and withdrawn.closed_reason
    assert anas_place.is_held
    the_audit_event("withdraw_offer", actor=ana, circle=circle, carers=[ana])


def test_only_the_giver_can_withdraw_an_offer(ana, ben, anas_place):
    offer = services.offer(anas_place, actor=ana)

    with refused("not_allowed"):
        services.withdraw_offer(offer, actor=ben)


def test_an_offer_cannot_be_withdrawn_twice(ana, anas_place):
    offer = services.offer(anas_place, actor=ana)
    services.withdraw_offer(offer, actor=ana)

    with refused("offer_closed"):
        services.withdraw_offer(offer, actor=ana)

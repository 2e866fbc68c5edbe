"""Claiming a place that needs cover."""

import pytest

from rota import services
from rota.models import Assignment, AuditEvent, OfferStatus, OutboxMessage
from rota.rules import Rule
from tests.outcomes import broken, refused
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_a_carer_claims_a_free_place_and_the_change_is_audited(circle, gwen, ana):
    shift = visit(gwen, at(4, 8))
    assignment = services.claim(shift, ana, actor=ana)
    assert assignment.carer == ana and assignment.is_held
    event = AuditEvent.objects.get(action="claim")
    assert event.actor_id == ana.pk
    assert event.carer_ids == [ana.pk]
    assert event.circle_id == circle.pk and event.client_id == gwen.pk
    assert OutboxMessage.objects.filter(kwargs={"event_id": event.pk}).exists()


def test_the_second_claim_of_the_last_place_is_told_it_was_just_taken(gwen, ana, ben):
    shift = visit(gwen, at(4, 8))
    services.claim(shift, ana)
    with broken(Rule.FULL) as refusal:
        services.claim(shift, ben)
    assert "has just been taken" in refusal.value.violations[0].message
    assert Assignment.objects.filter(shift=shift, released_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="claim").count() == 1


def test_claiming_an_offered_place_takes_it_from_its_holder(gwen, ana, ben):
    shift = visit(gwen, at(4, 8))
    given = services.claim(shift, ana)
    offer = services.offer(given, actor=ana)
    taken = services.claim(shift, ben, actor=ben)
    given.refresh_from_db()
    offer.refresh_from_db()
    assert taken.carer == ben
    assert given.released_at is not None and given.release_reason == "offer_taken"
    assert offer.status == OfferStatus.TAKEN and offer.taken_as == taken


def test_a_carer_cannot_claim_for_someone_else(gwen, ana, ben):
    shift = visit(gwen, at(4, 8))
    with refused("not_allowed"):
        services.claim(shift, ben, actor=ana)
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_shift_of_another_circle_is_refused_with_the_membership_rule(ana, dilys):
    elsewhere = visit(dilys, at(4, 8))
    with broken(Rule.MEMBERSHIP):
        services.claim(elsewhere, ana)
    assert not Assignment.objects.exists()


def test_a_cancelled_visit_cannot_be_claimed(gwen, ana):
    shift = visit(gwen, at(4, 8), status="cancelled", cancel_reason="In hospital")
    with refused("cancelled") as refusal:
        services.claim(shift, ana)
    assert "In hospital" in refusal.value.message

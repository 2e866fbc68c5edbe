"""Claiming a place that needs cover."""

import pytest

from rota import services
from rota.models import Assignment, AuditEvent, OfferStatus, OutboxMessage
from rota.rules import Refused, Rule, RuleBroken
from tests.factories import ClientFactory
from tests.rota.conftest import at, visit

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
    with pytest.raises(RuleBroken) as refused:
        services.claim(shift, ben)
    assert [v.rule for v in refused.value.violations] == [Rule.FULL]
    assert "has just been taken" in refused.value.violations[0].message
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
    with pytest.raises(Refused) as refused:
        services.claim(shift, ben, actor=ana)
    assert refused.value.code == "not_allowed"
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_shift_of_another_circle_is_refused_with_the_membership_rule(ana):
    elsewhere = visit(ClientFactory(), at(4, 8))
    with pytest.raises(RuleBroken) as refused:
        services.claim(elsewhere, ana)
    assert [v.rule for v in refused.value.violations] == [Rule.MEMBERSHIP]
    assert not Assignment.objects.exists()


def test_a_cancelled_visit_cannot_be_claimed(gwen, ana):
    shift = visit(gwen, at(4, 8), status="cancelled", cancel_reason="In hospital")
    with pytest.raises(Refused) as refused:
        services.claim(shift, ana)
    assert refused.value.code == "cancelled"
    assert "In hospital" in refused.value.message

"""A client who would rather not have a carer, and a carer leaving the circle."""

from datetime import date, datetime

import pytest

from circles.models import Membership, Role
from people.models import CarerPreference, Preference
from rota import services
from rota.models import (
    Absence,
    Assignment,
    AuditEvent,
    FamilyVisit,
    Offer,
    OutboxMessage,
    ReleaseReason,
    Swap,
)
from rota.rules import Refused, Rule, RuleBroken
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    MembershipFactory,
    PersonFactory,
    carer,
)
from tests.rota.conftest import LONDON, at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def rota_state() -> dict:
    """Everything a rota change could write, to show that a refusal wrote nothing."""
    counts = {
        model.__name__: model.objects.count()
        for model in (Assignment, Offer, Swap, Absence, FamilyVisit, AuditEvent, OutboxMessage)
    }
    held = set(Assignment.objects.filter(released_at__isnull=True).values_list("pk", flat=True))
    preferences = set(CarerPreference.objects.values_list("pk", "preference"))
    endings = set(Membership.objects.values_list("pk", "ended_on"))
    return {**counts, "held": held, "preferences": preferences, "endings": endings}


def the_audit_event(action: str, *, actor, circle, carers) -> AuditEvent:
    """The one event of `action`, naming who did it, where and to whom; announced once."""
    event = AuditEvent.objects.get(action=action)
    assert event.actor_id == (actor.pk if actor else None)
    assert event.circle_id == circle.pk
    assert event.carer_ids == sorted(c.pk for c in carers)
    assert OutboxMessage.objects.filter(kwargs={"event_id": event.pk}).count() == 1
    return event


def released_because(reason: ReleaseReason, *places: Assignment) -> bool:
    for place in places:
        place.refresh_from_db()
    return all(not p.is_held and p.release_reason == reason for p in places)


def still_held(*places: Assignment) -> bool:
    for place in places:
        place.refresh_from_db()
    return all(p.is_held for p in places)


@pytest.fixture
def ana(circle):
    return carer(circle, full_name="Ana Price")


@pytest.fixture
def leader(circle):
    rhian = PersonFactory(full_name="Rhian Lewis")
    MembershipFactory(circle=circle, person=rhian, role=Role.TEAM_LEADER)
    return rhian


@pytest.fixture
def nephew(gwen):
    """Rhys, who speaks for Gwen."""
    rhys = PersonFactory(full_name="Rhys Davies")
    gwen.representative = rhys
    gwen.save()
    return rhys


# A client would rather not


def test_a_client_declining_a_carer_frees_their_coming_visits_to_that_client_only(
    circle, gwen, tom, ana, nephew
):
    done_yesterday = AssignmentFactory(
        shift=visit(gwen, datetime(2026, 4, 28, 9, 0, tzinfo=LONDON)), carer=ana
    )
    gwens_monday = AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    gwens_tuesday = AssignmentFactory(shift=visit(gwen, at(5, 8)), carer=ana)
    toms_monday = AssignmentFactory(shift=visit(tom, at(4, 12)), carer=ana)

    result = services.decline_carer(gwen, ana, actor=nephew)

    assert result == gwen
    preference = CarerPreference.objects.get(client=gwen, carer=ana)
    assert preference.preference == Preference.NOT_WANTED
    assert released_because(ReleaseReason.NOT_WANTED, gwens_monday, gwens_tuesday)
    assert still_held(done_yesterday, toms_monday)
    assert AuditEvent.objects.count() == 1
    event = the_audit_event("decline_carer", actor=nephew, circle=circle, carers=[ana])
    assert event.client_id == gwen.pk


def test_a_once_preferred_carer_who_is_declined_is_now_not_wanted(gwen, ana, nephew):
    CarerPreference.objects.create(client=gwen, carer=ana, preference=Preference.PREFERRED)

    services.decline_carer(gwen, ana, actor=nephew)

    [preference] = CarerPreference.objects.filter(client=gwen, carer=ana)
    assert preference.preference == Preference.NOT_WANTED


def test_a_declined_carer_cannot_claim_the_clients_visits_again(gwen, ana, nephew):
    place = AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    services.decline_carer(gwen, ana, actor=nephew)

    with pytest.raises(RuleBroken) as refused:
        services.claim(place.shift, ana, actor=ana)

    assert [v.rule for v in refused.value.violations] == [Rule.NOT_WANTED]
    assert "Gwen would rather not" in refused.value.violations[0].message


def test_a_colleague_cannot_decline_a_carer_for_the_client(circle, gwen, ana):
    AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    ben = carer(circle)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.decline_carer(gwen, ana, actor=ben)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before


# A carer leaving


def test_a_carer_leaving_frees_their_visits_from_the_last_day_on(circle, gwen, tom, ana, leader):
    friday = AssignmentFactory(shift=visit(gwen, at(8, 20)), carer=ana)
    monday = AssignmentFactory(shift=visit(tom, at(11, 8)), carer=ana)
    tuesday = AssignmentFactory(shift=visit(gwen, at(12, 8)), carer=ana)
    elsewhere = CircleFactory(name="Pontypridd")
    MembershipFactory(circle=elsewhere, person=ana, role=Role.CARER)
    other_circle = AssignmentFactory(
        shift=visit(ClientFactory(circle=elsewhere), at(12, 14)), carer=ana
    )
    membership = Membership.objects.get(person=ana, circle=circle)

    ended = services.end_membership(membership, date(2026, 5, 11), actor=leader)

    assert ended.ended_on == date(2026, 5, 11)
    assert released_because(ReleaseReason.LEFT_CIRCLE, monday, tuesday)
    assert still_held(friday, other_circle)
    assert AuditEvent.objects.count() == 1
    event = the_audit_event("end_membership", actor=leader, circle=circle, carers=[ana])
    assert sorted(event.after["released"]) == sorted([monday.pk, tuesday.pk])


def test_after_leaving_a_carer_fails_the_membership_rule_for_later_visits(
    circle, gwen, ana, leader
):
    membership = Membership.objects.get(person=ana, circle=circle)
    services.end_membership(membership, date(2026, 5, 11), actor=leader)

    assert services.claim(visit(gwen, at(8, 8)), ana, actor=ana).carer == ana
    with pytest.raises(RuleBroken) as refused:
        services.claim(visit(gwen, at(11, 8)), ana, actor=ana)
    assert [v.rule for v in refused.value.violations] == [Rule.MEMBERSHIP]
    assert "Treforest" in refused.value.violations[0].message


def test_a_membership_cannot_end_before_it_began(circle, gwen, ana, leader):
    AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    membership = Membership.objects.get(person=ana, circle=circle)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.end_membership(membership, date(2026, 4, 1), actor=leader)

    assert refused.value.code == "end_before_start"
    assert rota_state() == before


def test_a_colleague_cannot_end_someone_elses_membership(circle, ana):
    ben = carer(circle)
    membership = Membership.objects.get(person=ana, circle=circle)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.end_membership(membership, date(2026, 5, 11), actor=ben)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before

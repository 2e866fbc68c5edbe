"""A client who would rather not have a carer, and a carer leaving the circle."""

from datetime import date, datetime

import pytest

from circles.models import Membership, Role
from people.models import CarerPreference, Preference
from rota import services
from rota.models import AuditEvent, ReleaseReason
from rota.rules import Refused, Rule, RuleBroken
from tests.factories import AssignmentFactory, CircleFactory, ClientFactory, MembershipFactory
from tests.rota.conftest import LONDON, at, visit
from tests.rota.stories import released_because, rota_state, still_held, the_audit_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


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


def test_a_colleague_cannot_decline_a_carer_for_the_client(gwen, ana, ben, anas_place):
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


def test_a_membership_cannot_end_before_it_began(circle, ana, leader, anas_place):
    membership = Membership.objects.get(person=ana, circle=circle)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.end_membership(membership, date(2026, 4, 1), actor=leader)

    assert refused.value.code == "end_before_start"
    assert rota_state() == before


def test_a_colleague_cannot_end_someone_elses_membership(circle, ana, ben):
    membership = Membership.objects.get(person=ana, circle=circle)
    before = rota_state()

    with pytest.raises(Refused) as refused:
        services.end_membership(membership, date(2026, 5, 11), actor=ben)

    assert refused.value.code == "not_allowed"
    assert rota_state() == before

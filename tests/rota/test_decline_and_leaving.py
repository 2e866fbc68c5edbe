"""A client who would rather not have a carer, and a carer leaving the circle."""

from datetime import date

import pytest

from circles.models import Membership, Role
from people.models import CarerPreference, Preference
from rota import services
from rota.models import AuditEvent, ReleaseReason
from rota.rules import Rule
from tests.factories import AssignmentFactory, MembershipFactory
from tests.outcomes import broken, refused, released_because, still_held, the_audit_event
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


# A client would rather not


def test_a_client_declining_a_carer_frees_their_coming_visits_to_that_client_only(
    circle, gwen, tom, ana, rhys
):
    done_yesterday = AssignmentFactory(shift=visit(gwen, at(28, 9, month=4)), carer=ana)
    gwens_monday = AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    gwens_tuesday = AssignmentFactory(shift=visit(gwen, at(5, 8)), carer=ana)
    toms_monday = AssignmentFactory(shift=visit(tom, at(4, 12)), carer=ana)

    result = services.decline_carer(gwen, ana, actor=rhys)

    assert result == gwen
    preference = CarerPreference.objects.get(client=gwen, carer=ana)
    assert preference.preference == Preference.NOT_WANTED
    assert released_because(ReleaseReason.NOT_WANTED, gwens_monday, gwens_tuesday)
    assert still_held(done_yesterday, toms_monday)
    assert AuditEvent.objects.count() == 1
    event = the_audit_event("decline_carer", actor=rhys, circle=circle, carers=[ana])
    assert event.client_id == gwen.pk


def test_a_once_preferred_carer_who_is_declined_is_now_not_wanted(gwen, ana, rhys):
    CarerPreference.objects.create(client=gwen, carer=ana, preference=Preference.PREFERRED)

    services.decline_carer(gwen, ana, actor=rhys)

    [preference] = CarerPreference.objects.filter(client=gwen, carer=ana)
    assert preference.preference == Preference.NOT_WANTED


def test_a_declined_carer_cannot_claim_the_clients_visits_again(gwen, ana, rhys):
    place = AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    services.decline_carer(gwen, ana, actor=rhys)

    with broken(Rule.NOT_WANTED) as refusal:
        services.claim(place.shift, ana, actor=ana)

    assert "Gwen would rather not" in refusal.value.violations[0].message


def test_a_colleague_cannot_decline_a_carer_for_the_client(gwen, ana, ben, anas_place):
    with refused("not_allowed"):
        services.decline_carer(gwen, ana, actor=ben)


# A carer leaving


def test_a_carer_leaving_frees_their_visits_from_the_last_day_on(
    circle, gwen, tom, ana, rhian, pontypridd, dilys
):
    friday = AssignmentFactory(shift=visit(gwen, at(8, 20)), carer=ana)
    monday = AssignmentFactory(shift=visit(tom, at(11, 8)), carer=ana)
    tuesday = AssignmentFactory(shift=visit(gwen, at(12, 8)), carer=ana)
    MembershipFactory(circle=pontypridd, person=ana, role=Role.CARER)
    other_circle = AssignmentFactory(shift=visit(dilys, at(12, 14)), carer=ana)
    membership = Membership.objects.get(person=ana, circle=circle)

    ended = services.end_membership(membership, date(2026, 5, 11), actor=rhian)

    assert ended.ended_on == date(2026, 5, 11)
    assert released_because(ReleaseReason.LEFT_CIRCLE, monday, tuesday)
    assert still_held(friday, other_circle)
    assert AuditEvent.objects.count() == 1
    event = the_audit_event("end_membership", actor=rhian, circle=circle, carers=[ana])
    assert sorted(event.after["released"]) == sorted([monday.pk, tuesday.pk])


def test_after_leaving_a_carer_fails_the_membership_rule_for_later_visits(circle, gwen, ana, rhian):
    membership = Membership.objects.get(person=ana, circle=circle)
    services.end_membership(membership, date(2026, 5, 11), actor=rhian)

    assert services.claim(visit(gwen, at(8, 8)), ana, actor=ana).carer == ana
    after_her_last_day = visit(gwen, at(11, 8))
    with broken(Rule.MEMBERSHIP) as refusal:
        services.claim(after_her_last_day, ana, actor=ana)
    assert "Treforest" in refusal.value.violations[0].message


def test_a_membership_cannot_end_before_it_began(circle, ana, rhian, anas_place):
    membership = Membership.objects.get(person=ana, circle=circle)

    with refused("end_before_start"):
        services.end_membership(membership, date(2026, 4, 1), actor=rhian)


def test_a_colleague_cannot_end_someone_elses_membership(circle, ana, ben):
    membership = Membership.objects.get(person=ana, circle=circle)

    with refused("not_allowed"):
        services.end_membership(membership, date(2026, 5, 11), actor=ben)

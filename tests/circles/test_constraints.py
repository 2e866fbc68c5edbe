"""What the database refuses about circles and who belongs to them."""

from datetime import date

import pytest

from circles.models import Membership, Role
from tests.factories import CircleFactory, ClientFactory, MembershipFactory, PersonFactory
from tests.outcomes import database_refuses, refuses_a_value_outside_its_list

pytestmark = pytest.mark.django_db


def test_not_coping_cannot_be_set_above_strained():
    with database_refuses("circle_thresholds_ordered"):
        CircleFactory(strained_below_percent=90, not_coping_below_percent=91)


def test_strained_cannot_be_set_above_a_hundred_percent():
    with database_refuses("circle_thresholds_ordered"):
        CircleFactory(strained_below_percent=101, not_coping_below_percent=85)


def test_thresholds_may_be_equal():
    circle = CircleFactory(strained_below_percent=100, not_coping_below_percent=100)

    circle.refresh_from_db()
    assert (circle.strained_below_percent, circle.not_coping_below_percent) == (100, 100)


def test_a_family_member_is_family_of_a_named_client():
    with database_refuses("membership_family_names_client"):
        MembershipFactory(role=Role.FAMILY, client=None)


@pytest.mark.parametrize("role", [Role.CARER, Role.TEAM_LEADER])
def test_a_carer_or_team_leader_is_not_family_of_a_client(role):
    client = ClientFactory()
    with database_refuses("membership_family_names_client"):
        MembershipFactory(circle=client.circle, role=role, client=client)


def test_a_membership_cannot_end_before_it_starts():
    with database_refuses("membership_ends_after_start"):
        MembershipFactory(started_on=date(2030, 1, 7), ended_on=date(2030, 1, 6))


def test_a_person_is_a_carer_in_a_circle_only_once():
    circle = CircleFactory()
    person = PersonFactory()
    MembershipFactory(circle=circle, person=person, role=Role.CARER)
    with database_refuses("membership_one_role_per_circle"):
        MembershipFactory(circle=circle, person=person, role=Role.CARER)


def test_a_carer_may_also_lead_the_same_circle():
    circle = CircleFactory()
    person = PersonFactory()
    MembershipFactory(circle=circle, person=person, role=Role.CARER)
    MembershipFactory(circle=circle, person=person, role=Role.TEAM_LEADER)

    assert set(Membership.objects.filter(person=person).values_list("role", flat=True)) == {
        Role.CARER,
        Role.TEAM_LEADER,
    }


def test_a_person_is_family_of_a_client_only_once():
    client = ClientFactory()
    person = PersonFactory()
    MembershipFactory(circle=client.circle, person=person, role=Role.FAMILY, client=client)
    with database_refuses("membership_family_once_per_client"):
        MembershipFactory(circle=client.circle, person=person, role=Role.FAMILY, client=client)


def test_a_role_outside_the_list_is_refused():
    membership = MembershipFactory(role=Role.CARER)

    refuses_a_value_outside_its_list(membership, "role", "membership_role_valid")

    assert membership.role == Role.CARER

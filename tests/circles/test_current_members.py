"""A member counts from the first day of their membership until the day before it ends, in
every question the app asks: who leads a circle, who cares in it, who speaks for a client,
what their pages show and what they may change.

Today is Wednesday 29 April. Rhian leads Treforest from tomorrow, Ana cares in it from
tomorrow and Sian is Gwen's family from tomorrow: today they are nobody there.
"""

from datetime import timedelta

import pytest

from circles.models import Membership, Role
from circles.permissions import (
    cares_in,
    circles_of,
    clients_of,
    leads,
    members,
    speakers_for,
    speaks_for,
)
from rota import services
from tests.factories import MembershipFactory
from tests.outcomes import refused
from tests.stories import WEDNESDAY_NOON, at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "from_tomorrow")]

TODAY = WEDNESDAY_NOON.date()
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture
def from_tomorrow(rhian, ana, sian):
    Membership.objects.filter(person__in=[rhian, ana, sian]).update(started_on=TOMORROW)


def test_a_team_leader_from_tomorrow_leads_nothing_today(circle, rhian):
    assert not leads(rhian, circle)
    assert list(circles_of(rhian, Role.TEAM_LEADER)) == []
    assert list(members(circle, Role.TEAM_LEADER)) == []


def test_a_carer_from_tomorrow_cares_in_nothing_today(circle, ana):
    assert not cares_in(ana, circle)
    assert list(circles_of(ana, Role.CARER)) == []
    assert list(members(circle, Role.CARER)) == []


def test_family_from_tomorrow_speaks_for_nobody_today(gwen, sian):
    assert not speaks_for(sian, gwen)
    assert list(clients_of(sian)) == []
    assert sian not in speakers_for(gwen)


def test_a_team_leader_from_tomorrow_may_not_put_a_carer_on_a_visit_today(gwen, ben, rhian):
    shift = visit(gwen, at(4, 8))

    with refused("not_allowed"):
        services.assign(shift, ben, actor=rhian)


def test_family_from_tomorrow_may_not_say_they_will_be_with_mum_yet(gwen, sian):
    with refused("not_family"):
        services.record_family_visit(sian, gwen, at(2, 14), at(2, 17), actor=sian)


def test_every_membership_counts_from_its_first_day(frozen_now, circle, gwen, rhian, ana, sian):
    frozen_now.move_to(at(30, 0, month=4))

    assert leads(rhian, circle) and cares_in(ana, circle) and speaks_for(sian, gwen)
    assert list(circles_of(rhian, Role.TEAM_LEADER)) == [circle]
    assert list(circles_of(ana, Role.CARER)) == [circle]
    assert list(members(circle, Role.CARER)) == [ana]
    assert list(members(circle, Role.TEAM_LEADER)) == [rhian]
    assert list(clients_of(sian)) == [gwen]
    assert sian in speakers_for(gwen)
    shift = visit(gwen, at(4, 8))
    assert services.assign(shift, ana, actor=rhian).shift == shift


def test_a_member_leaving_today_is_no_longer_one_today(circle, ben):
    Membership.objects.filter(person=ben).update(
        started_on=TODAY - timedelta(days=90), ended_on=TODAY
    )

    assert not cares_in(ben, circle)
    assert ben not in members(circle, Role.CARER)


def test_the_rules_and_the_queries_agree_on_who_is_current(pontypridd):
    """`in_force` (for dates already read) says what `current` and `during` say in SQL."""
    spans = [
        (TODAY - timedelta(days=28), None),
        (TODAY - timedelta(days=28), TODAY),
        (TODAY - timedelta(days=28), TOMORROW),
        (TODAY, None),
        (TODAY, TOMORROW),
        (TOMORROW, None),
    ]
    for started_on, ended_on in spans:
        MembershipFactory(circle=pontypridd, started_on=started_on, ended_on=ended_on)
    memberships = Membership.objects.filter(circle=pontypridd)
    for day in (TODAY - timedelta(days=1), TODAY, TOMORROW, TOMORROW + timedelta(days=1)):
        current = {(m.started_on, m.ended_on) for m in memberships.current(on=day)}
        during = {(m.started_on, m.ended_on) for m in memberships.during(day, day)}
        assert current == during == {s for s in spans if Membership.in_force(day, *s)}, day
    assert list(memberships.current()) == list(memberships.current(on=TODAY))

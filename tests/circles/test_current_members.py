"""A member counts from the first day of their membership until the day before it ends, in
every question the app asks: who leads a circle, who cares in it, who speaks for a client,
what their pages show and what they may change.

Today is Wednesday 29 April 2026 in London. Rhian leads Treforest from tomorrow, Ana cares
in it from tomorrow and Sian is Gwen's family from tomorrow: today they are nobody there.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

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
from rota.models import AuditEvent
from rota.rules import Refused
from tests.factories import (
    CircleFactory,
    ClientFactory,
    MembershipFactory,
    PersonFactory,
    ShiftFactory,
    carer,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 4, 29)
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 4, 29, 12, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def circle():
    return CircleFactory(name="Treforest")


@pytest.fixture
def gwen(circle):
    return ClientFactory(circle=circle, full_name="Gwen Davies", preferred_name="Gwen")


@pytest.fixture
def rhian(circle):
    """A team leader of Treforest from tomorrow."""
    rhian = PersonFactory(full_name="Rhian Lewis")
    MembershipFactory(circle=circle, person=rhian, role=Role.TEAM_LEADER, started_on=TOMORROW)
    return rhian


@pytest.fixture
def ana(circle):
    """A carer in Treforest from tomorrow."""
    ana = PersonFactory(full_name="Ana Price")
    MembershipFactory(circle=circle, person=ana, role=Role.CARER, started_on=TOMORROW)
    return ana


@pytest.fixture
def sian(circle, gwen):
    """Gwen's daughter, her family in the circle from tomorrow."""
    sian = PersonFactory(full_name="Sian Davies")
    MembershipFactory(
        circle=circle, person=sian, role=Role.FAMILY, client=gwen, started_on=TOMORROW
    )
    return sian


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


def test_a_team_leader_from_tomorrow_may_not_put_a_carer_on_a_visit_today(circle, gwen, rhian):
    colleague = carer(circle, full_name="Ben Jones")
    shift = ShiftFactory(client=gwen)

    with pytest.raises(Refused) as refused:
        services.assign(shift, colleague, actor=rhian)

    assert refused.value.code == "not_allowed"
    assert not shift.assignments.exists()
    assert not AuditEvent.objects.exists()


def test_family_from_tomorrow_may_not_say_they_will_be_with_mum_yet(gwen, sian):
    start = datetime(2026, 5, 2, 14, 0, tzinfo=LONDON)

    with pytest.raises(Refused) as refused:
        services.record_family_visit(sian, gwen, start, start + timedelta(hours=3), actor=sian)

    assert refused.value.code == "not_family"


def test_every_membership_counts_from_its_first_day(today, circle, gwen, rhian, ana, sian):
    today.move_to(datetime(2026, 4, 30, 0, 0, tzinfo=LONDON))

    assert leads(rhian, circle) and cares_in(ana, circle) and speaks_for(sian, gwen)
    assert list(circles_of(rhian, Role.TEAM_LEADER)) == [circle]
    assert list(circles_of(ana, Role.CARER)) == [circle]
    assert list(members(circle, Role.CARER)) == [ana]
    assert list(members(circle, Role.TEAM_LEADER)) == [rhian]
    assert list(clients_of(sian)) == [gwen]
    assert sian in speakers_for(gwen)
    shift = ShiftFactory(client=gwen)
    assert services.assign(shift, carer(circle), actor=rhian).shift == shift


def test_a_member_leaving_today_is_no_longer_one_today(circle):
    ben = carer(circle, full_name="Ben Jones")
    Membership.objects.filter(person=ben).update(started_on=date(2025, 1, 1), ended_on=TODAY)

    assert not cares_in(ben, circle)
    assert list(members(circle, Role.CARER)) == []


def test_the_rules_and_the_queries_agree_on_who_is_current(circle):
    """`in_force` (for dates already read) says what `current` and `during` say in SQL."""
    spans = [
        (date(2026, 4, 1), None),
        (date(2026, 4, 1), TODAY),
        (date(2026, 4, 1), TOMORROW),
        (TODAY, None),
        (TODAY, TOMORROW),
        (TOMORROW, None),
    ]
    for started_on, ended_on in spans:
        MembershipFactory(circle=circle, started_on=started_on, ended_on=ended_on)
    for day in (TODAY - timedelta(days=1), TODAY, TOMORROW, TOMORROW + timedelta(days=1)):
        current = {(m.started_on, m.ended_on) for m in Membership.objects.current(on=day)}
        during = {(m.started_on, m.ended_on) for m in Membership.objects.during(day, day)}
        assert current == during == {s for s in spans if Membership.in_force(day, *s)}, day
    assert Membership.objects.current().count() == Membership.objects.current(on=TODAY).count()

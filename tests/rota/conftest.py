"""A small circle for the rota engine's stories: two clients, and the cast who look after them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from circles.models import Role
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    MembershipFactory,
    PersonFactory,
    ShiftFactory,
    carer,
)

LONDON = ZoneInfo("Europe/London")
# Wednesday 29 April 2026, noon: the stories' shifts are from Monday 4 May on.
NOW = datetime(2026, 4, 29, 12, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def circle():
    return CircleFactory(name="Treforest")


@pytest.fixture
def gwen(circle):
    return ClientFactory(circle=circle, full_name="Gwen Davies", preferred_name="Gwen")


@pytest.fixture
def tom(circle):
    return ClientFactory(circle=circle, full_name="Tom Evans", preferred_name="Tom")


def visit(client, start: datetime, hours: float = 1, **fields):
    """An ad-hoc visit for `client`.

    Without a `plan` it counts as essential (`Shift.essential`): a family visit never frees it.
    """
    return ShiftFactory(
        client=client,
        circle=client.circle,
        start=start,
        end=start + timedelta(hours=hours),
        **fields,
    )


@pytest.fixture
def ana(circle):
    return carer(circle, full_name="Ana Price")


@pytest.fixture
def ben(circle):
    return carer(circle, full_name="Ben Jones")


@pytest.fixture
def cat(circle):
    return carer(circle, full_name="Cat Morgan")


@pytest.fixture
def leader(circle):
    """Rhian, a team leader of the circle."""
    rhian = PersonFactory(full_name="Rhian Lewis")
    MembershipFactory(circle=circle, person=rhian, role=Role.TEAM_LEADER)
    return rhian


@pytest.fixture
def daughter(circle, gwen):
    """Sian, Gwen's daughter."""
    sian = PersonFactory(full_name="Sian Davies")
    MembershipFactory(circle=circle, person=sian, role=Role.FAMILY, client=gwen)
    return sian


@pytest.fixture
def nephew(gwen):
    """Rhys, who speaks for Gwen."""
    rhys = PersonFactory(full_name="Rhys Davies")
    gwen.representative = rhys
    gwen.save()
    return rhys


@pytest.fixture
def anas_place(ana, gwen):
    """Ana's place: Gwen, Monday 4 May, 08:00."""
    return AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)

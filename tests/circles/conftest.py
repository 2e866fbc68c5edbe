"""A circle for the capacity and alert stories: Gwen and Tom, their carers, two team leaders.

Time is frozen at Monday 4 May 2026, 00:00 in London, so "the next 14 days" are two whole
weeks, Monday to Sunday.
"""

from datetime import datetime, timedelta

import pytest
import time_machine

from circles.models import Role
from config.celery import app
from people.models import CarerKind
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    MembershipFactory,
    PersonFactory,
    VisitPlanFactory,
    carer,
)
from tests.rota.conftest import LONDON, at, visit  # noqa: F401 (re-exported)

# The same time and visit helpers as the rota's stories; only "now" differs.
NOW = datetime(2026, 5, 4, 0, 0, tzinfo=LONDON)


def held_by(carer, shift):
    return AssignmentFactory(shift=shift, carer=carer)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def circle():
    return CircleFactory(name="Treforest")


@pytest.fixture
def gwen(circle):
    return ClientFactory(circle=circle, full_name="Gwen Davies", preferred_name="Gwen")


@pytest.fixture
def tom(circle):
    return ClientFactory(circle=circle, full_name="Tom Evans", preferred_name="Tom")


@pytest.fixture
def ana(circle):
    return carer(circle, full_name="Ana Price")


@pytest.fixture
def ben(circle):
    return carer(circle, full_name="Ben Jones")


@pytest.fixture
def cat(circle):
    """Cat is Gwen's neighbour: an unpaid carer with no weekly limit."""
    return carer(circle, CarerKind.INFORMAL, full_name="Cat Morgan")


def team_leader(circle, name: str, **fields):
    person = PersonFactory(full_name=name, **fields)
    MembershipFactory(circle=circle, person=person, role=Role.TEAM_LEADER)
    return person


@pytest.fixture
def leaders(circle):
    """Rhian and Owain, the circle's pair of team leaders."""
    return [team_leader(circle, "Rhian Lewis"), team_leader(circle, "Owain Hughes")]


def planned(
    client, start: datetime, hours: float = 1, *, essential=False, needs=(), carers_needed=1
):
    """A visit made from a care plan of its own (essential only when said)."""
    plan = VisitPlanFactory(client=client, essential=essential, carers_needed=carers_needed)
    plan.credentials_needed.set(needs)
    return visit(
        client, start, hours, plan=plan, plan_date=start.date(), carers_needed=carers_needed
    )


def next_week(client, *, filled: int, total: int = 20) -> list:
    """`total` routine visits to `client` on Monday 11 May, hourly from 02:00 (well beyond
    the 48 hours essential gaps look at), the first `filled` each held by a carer of their own."""
    shifts = [planned(client, at(11, 2) + timedelta(hours=hour)) for hour in range(total)]
    for shift in shifts[:filled]:
        held_by(carer(client.circle), shift)
    return shifts


@pytest.fixture
def eager():
    """Celery runs tasks in-process, as in the demo."""
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was

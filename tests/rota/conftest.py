"""A small circle for the rota engine's stories: two clients, carers added as needed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import CircleFactory, ClientFactory, ShiftFactory

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
    """An ad-hoc visit for `client` (no plan, so not essential)."""
    return ShiftFactory(
        client=client,
        circle=client.circle,
        start=start,
        end=start + timedelta(hours=hours),
        **fields,
    )

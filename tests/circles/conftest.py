"""The circles' stories happen in Treforest (tests/stories.py), with its two team leaders."""

from datetime import timedelta

import pytest

from tests.factories import carer
from tests.stories import at, place, planned_visit


@pytest.fixture
def leaders(rhian, owain):
    """Rhian and Owain, the circle's pair of team leaders."""
    return [rhian, owain]


def next_week(client, *, filled: int, total: int = 20) -> list:
    """`total` routine visits to `client` on Monday 11 May, hourly from 02:00 (well beyond
    the 48 hours essential gaps look at), the first `filled` each held by a carer of their own."""
    shifts = [planned_visit(client, at(11, 2) + timedelta(hours=hour)) for hour in range(total)]
    for shift in shifts[:filled]:
        place(shift, carer(client.circle))
    return shifts

"""The rota engine's stories happen in Treforest (tests/stories.py), from Monday 4 May on."""

import pytest

from tests.factories import AssignmentFactory
from tests.stories import at, visit


@pytest.fixture
def anas_place(ana, gwen):
    """Ana's place: Gwen, Monday 4 May, 08:00."""
    return AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)

"""The dashboard shows each circle's continuity: visits done by familiar carers."""

from datetime import timedelta

import pytest
from django.utils import timezone

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

pytestmark = pytest.mark.django_db


def done_visit(client, person, days_ago: int):
    start = timezone.now() - timedelta(days=days_ago)
    shift = ShiftFactory(
        client=client, circle=client.circle, start=start, end=start + timedelta(hours=1)
    )
    AssignmentFactory(shift=shift, carer=person)


def test_a_circle_whose_visits_were_by_familiar_carers_shows_it(client):
    circle = CircleFactory(name="Treforest")
    gwen = ClientFactory(circle=circle)
    ana, ben = carer(circle), carer(circle)
    for days_ago in (3, 5, 7):
        done_visit(gwen, ana, days_ago)  # Ana comes often: familiar
    done_visit(gwen, ben, 4)  # Ben came once: not yet
    leader = PersonFactory()
    MembershipFactory(circle=circle, person=leader, role=Role.TEAM_LEADER)
    client.force_login(leader)
    page = client.get("/leaders/").content.decode()
    assert "Visits by familiar carers (28 days)" in page
    assert "75 %" in page

"""The dashboard costs the same number of queries for 5 circles as for 50: capacity, the
day-by-day strip and the last alert are read for all circles at once."""

from datetime import timedelta

import pytest
from django.urls import reverse

from circles.alerts import escalate
from circles.models import CircleState, Membership, Role, StateChange
from rota import services
from tests.factories import CircleFactory, ClientFactory, OrganisationFactory, PersonFactory, carer
from tests.stories import MONDAY_MORNING, at, place, planned_visit
from web.leaders.queries import PAGE_SIZE

# Session, person, whether they lead a circle at all (the door of the leaders' pages), the
# menu (roles held, whether they speak for a client) and unread messages: every signed-in
# leaders' page pays these.
SIGNED_IN = 6
# Every circle led and its calls for help waiting, to order them and pick the page; then for
# the page's circles: the circles with their last alert; each day's places (the strip, and
# added up, the circles' figures); capacity's other four (visits needing cover, carers, hours
# held, time off); the circles' clients and their visits for continuity; the calls for help
# waiting; the visits missed lately; the forecast's six (circles.forecast: the coming days,
# places at risk, given up and picked up, carers, their hours, their time off).
DASHBOARD = 18

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MORNING),
    pytest.mark.usefixtures("frozen_now"),
]


def circles_led_by(leader, n: int) -> None:
    """n circles, each with a client, two carers, a covered visit, a gap (every other one
    essential), time off, and a past alert; every other one a call for help for its client,
    half of those gone to the team leaders."""
    organisation = OrganisationFactory(name="Valleys Care")
    for i in range(n):
        circle = CircleFactory(organisation=organisation, name=f"Circle {i:02}")
        Membership.objects.create(circle=circle, person=leader, role=Role.TEAM_LEADER)
        client = ClientFactory(circle=circle)
        ana, ben = carer(circle), carer(circle)
        place(planned_visit(client, at(5, 8) + timedelta(hours=i % 5)), ana)
        planned_visit(client, at(6, 8), essential=bool(i % 2))
        place(planned_visit(client, at(7, 8)), ben)
        StateChange.objects.create(
            circle=circle, from_state=CircleState.OK, to_state=CircleState.STRAINED
        )
        if i % 2:
            call = services.raise_help_request(client)
            if i % 4 == 1:
                escalate(call.pk)


@pytest.mark.parametrize("n", [5, 50])
def test_the_dashboard_costs_the_same_for_5_and_50_circles(client, django_assert_num_queries, n):
    leader = PersonFactory(full_name="Rhian Lewis")
    circles_led_by(leader, n)
    client.force_login(leader)

    with django_assert_num_queries(SIGNED_IN + DASHBOARD):
        response = client.get(reverse("leaders:dashboard"))

    page = response.content.decode()
    # A page of them, a client waiting for help first: half the circles have one.
    assert page.count('class="circle-row') == min(n, PAGE_SIZE)
    assert page.count("is waiting for help") == n // 2
    assert page.count('class="card leader-call') == len(range(1, n, 4))

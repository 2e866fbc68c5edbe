"""The fair-shares page costs the same number of queries for a small circle as for a busy
one, for a carer and for a team leader: each carer's figures are one GROUP BY for the four
weeks behind and one for the two ahead (circles.fairness), never a query per carer or visit."""

from datetime import timedelta

import pytest
from django.urls import reverse

from people.models import CarerKind
from rota.models import HelpRequest, HelpStatus, ReleaseReason
from tests.factories import carer
from tests.stories import MONDAY_MORNING, at, place, planned_visit, visit, visited
from tests.web.pages import cards

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MORNING),
    pytest.mark.usefixtures("frozen_now"),
]

KINDS = (CarerKind.COUNCIL, CarerKind.AGENCY, CarerKind.DIRECT, CarerKind.INFORMAL)


def busy(story, carers: int, visits: int) -> None:
    """Treforest with `carers` more carers, each with `visits` visits over the six weeks at
    every hour of the day and night, some recorded, some missed, some given away to the
    next carer, and a call for help each answered."""
    people = [story.ana, story.ben, story.cat]
    people += [carer(story.circle, KINDS[i % 4], full_name=f"Carer {i:02}") for i in range(carers)]
    first = at(7, 0, month=4)
    for n, person in enumerate(people):
        for i in range(visits):
            start = first + timedelta(days=(i * 3 + n) % 41, hours=(i * 5 + n) % 24)
            shift = planned_visit([story.gwen, story.tom][i % 2], start)
            if i % 5 == 4:
                # Given away: released as an offer is taken, and the next carer on it.
                place(
                    shift,
                    person,
                    released_at=start - timedelta(days=1),
                    release_reason=ReleaseReason.OFFER_TAKEN,
                )
                place(shift, people[(n + 1) % len(people)])
                continue
            held = place(shift, person, missed=i % 7 == 6)
            if i % 3 == 0 and start < MONDAY_MORNING - timedelta(hours=2):
                visited(held, start, start + timedelta(minutes=50))
        call = visit(story.gwen, at(10, 3, month=4) + timedelta(days=n))
        HelpRequest.objects.create(client=story.gwen, shift=call, status=HelpStatus.ACCEPTED)
        place(call, person)


# Signed in (the session, the person, the door, unread messages, the menu's roles and whether
# they speak for a client): every page pays these.
SIGNED_IN = 6
# The circle, and whether the reader cares in it (where "back" goes).
ACCESS = 2
# The calls for help pinned at the top of a carer page.
PINNED = 1
# The carers of each window, the places that count in each, those given away in each, and
# the carers' names.
SHARES = 7


@pytest.mark.parametrize(("carers", "visits"), [(0, 1), (9, 12)])
@pytest.mark.parametrize(("who", "door"), [("ana", 0), ("rhian", 1)])
def test_the_page_costs_the_same_for_a_small_and_a_busy_circle(
    client, story, django_assert_num_queries, carers, visits, who, door
):
    busy(story, carers, visits)
    client.force_login(getattr(story, who))

    # A team leader's door asks first whether they are a carer anywhere, then whether they
    # lead anywhere: one more query.
    with django_assert_num_queries(SIGNED_IN + door + ACCESS + PINNED + SHARES):
        response = client.get(reverse("carer:shares", args=[story.circle.pk]))

    lines = cards(response.text, "share")
    assert len(lines) == 3 + carers
    assert sum("answered 1 call for help" in line for line in lines) == 3 + carers

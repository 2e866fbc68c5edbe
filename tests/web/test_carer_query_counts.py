"""Each carer page costs the same number of queries for 3 visits as for 30: the lists are
read in bulk (reasons to refuse included), never one query per visit."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rota import services
from rota.models import AbsenceKind
from tests.factories import CredentialFactory
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
from tests.web.pages import HTMX

# What every signed-in carer page pays, whatever it shows: the session, the person, whether
# they are a carer at all (the door of the carer pages), the menu (roles held, and whether
# they speak for a client) and the count of unread messages.
SIGNED_IN = 6
# What every carer page adds: the calls for help pinned at the top (none here).
PINNED = 1
# What rules.check_many reads about a carer for the calls for help they could answer.
RULES = 6


def fill(story, n: int) -> dict:
    """n visits over the fortnight, of every kind a page shows: Ana's own (a double-up with
    Ben, one given away, one swap each way), free ones (one needing a check Ana lacks, one
    needing a check she has), and Ben's that she could ask for."""
    CredentialFactory(person=story.ana, type=story.medication)
    first = at(30, 7, month=4)
    anas, bens = [], []
    for i in range(n):
        start = first + timedelta(hours=9 * i)
        client = story.gwen if i % 2 else story.tom
        shift = planned_visit(client, start, carers_needed=2 if i % 3 == 0 else 1)
        anas.append(place(shift, story.ana))
        if i % 3 == 0:
            place(shift, story.cat)
        free = planned_visit(client, start + timedelta(hours=2), needs=[story.medication] * (i % 2))
        if i % 4 == 0:
            bens.append(place(free, story.ben))
    services.offer(anas[1], actor=story.ana)
    services.propose_swap(anas[2], bens[0], actor=story.ana)
    if len(bens) > 1:
        services.propose_swap(bens[1], anas[0], actor=story.ben)
    return {"anas": anas, "bens": bens}


PAGES = {
    # page: (url, queries)
    # My shifts reads the carer's checks only when one of their visits needs one (rules'
    # check_many, as check always has): Ana's own visits here need none. One more asks
    # whether she has reminders on, for the one-tap button.
    "my_shifts": (lambda made: reverse("carer:my_shifts"), 6),
    # One more counts the visits to come by plan, weekday and time, for "Take every week".
    "needs_cover": (lambda made: reverse("carer:needs_cover"), 8),
    # One more reads the circle's clients away from home, with the hours they free; two
    # more the circle's carers and which of them each gap's client knows (named first); and
    # one the thanks its carers let it see; six the circle's forecast (circles.forecast),
    # said on the board when its cover is likely to cross a threshold.
    "board": (lambda made: reverse("carer:board"), 18),
    # The place she is not already asking a colleague to swap (that page lists nothing).
    "swap": (lambda made: reverse("carer:swap", args=[made["anas"][1].pk]), 9),
    "off": (lambda made: reverse("carer:off"), 2),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("n", [3, 30])
def test_a_page_costs_the_same_for_few_and_many_visits(
    client, story, django_assert_num_queries, page, n
):
    made = fill(story, n)
    url, queries = PAGES[page]
    client.force_login(story.ana)
    with django_assert_num_queries(SIGNED_IN + PINNED + queries):
        response = client.get(url(made))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_time_off_costs_the_same_however_many_visits_it_released(
    client, story, django_assert_num_queries, n
):
    fill(story, n)
    absence = services.record_absence(
        story.ana, AbsenceKind.HOLIDAY, at(30, 0, month=4), WEDNESDAY_NOON + timedelta(14)
    )
    assert absence.released.count() >= 3
    client.force_login(story.ana)
    # The time off, its released visits, whether it ended early and which are hers again.
    with django_assert_num_queries(SIGNED_IN + PINNED + 5):
        client.get(reverse("carer:absence", args=[absence.pk]))


@pytest.mark.parametrize("n", [3, 30])
def test_taking_a_visit_with_htmx_costs_the_same_whatever_else_is_on_the_rota(
    client, story, django_assert_num_queries, n
):
    fill(story, n)
    shift = planned_visit(story.gwen, at(12, 15))
    client.force_login(story.ana)
    # The claim (17, tests/rota/test_claim_queries.py) and the card drawn again.
    with django_assert_num_queries(SIGNED_IN + 21):
        client.post(reverse("carer:take", args=[shift.pk]), headers=HTMX)


@pytest.mark.parametrize("calls", [1, 2])
def test_the_pinned_calls_for_help_cost_the_same_however_many(
    client, story, django_assert_num_queries, calls
):
    """The calls and the places on their visits, then the rules' facts about Ana, read once."""
    for client_ in [story.gwen, story.tom][:calls]:
        services.raise_help_request(client_, actor=story.rhian)
    client.force_login(story.ana)
    with django_assert_num_queries(SIGNED_IN + 2 + RULES + PAGES["off"][1]):
        response = client.get(reverse("carer:off"))
    assert response.text.count('class="card help-call') == calls

"""Treforest's board: the next fortnight as the whole circle sees it, the gaps first
(essential ones before the rest), then day by day with who is on each visit."""

from django.urls import reverse

from rota import services
from tests.factories import CircleFactory, MembershipFactory
from tests.stories import at, place, planned_visit


def test_gaps_first_essential_first_then_each_day_with_who_is_on(client, story):
    place(planned_visit(story.gwen, at(30, 8, month=4), title="Gwen's breakfast"), story.ben)
    planned_visit(story.tom, at(1, 9), title="Tom's walk")
    planned_visit(story.gwen, at(2, 12), title="Gwen's tablets", essential=True)
    given = place(planned_visit(story.tom, at(3, 18), title="Tom's supper"), story.cat)
    services.offer(given, actor=story.cat)
    planned_visit(story.tom, at(20, 9), title="Too far ahead")
    client.force_login(story.ana)

    page = client.get(reverse("carer:board")).text

    gaps = page.index("3 visits need cover")
    assert gaps < page.index("Gwen&#x27;s tablets") < page.index("Tom&#x27;s walk")
    assert page.index("Tom&#x27;s walk") < page.index("Tom&#x27;s supper")
    days = page.index("Tomorrow, Thursday 30 April")
    assert gaps < days
    assert "Ben Jones" in page[days:]
    assert "Cat Morgan" in page[days:] and "giving away" in page[days:]
    assert "1 place free" in page[days:]
    assert "Too far ahead" not in page
    assert page.count(f'id="visit-{given.shift_id}"') == 1


def test_a_carer_in_two_circles_can_switch_between_their_boards(client, story):
    second = CircleFactory(name="Abercynon")
    MembershipFactory(circle=second, person=story.ana)
    client.force_login(story.ana)

    page = client.get(reverse("carer:board")).text
    assert "Circle board: Abercynon" in page
    assert reverse("carer:circle_board", args=[story.circle.pk]) in page
    other = client.get(reverse("carer:circle_board", args=[story.circle.pk])).text
    assert "Circle board: Treforest" in other


def test_each_gap_names_the_carers_its_client_knows_first(client, story):
    """Ben did two of Gwen's visits last week: Gwen's gap names him as best asked first;
    Tom's gap names nobody, for Tom knows none of them."""
    for day in (24, 25):
        place(planned_visit(story.gwen, at(day, 8, month=4)), story.ben)
    gwens = planned_visit(story.gwen, at(1, 9), title="Gwen's lunch")
    planned_visit(story.tom, at(2, 9), title="Tom's walk")
    client.force_login(story.ana)

    page = client.get(reverse("carer:board")).text

    gwen_card = page[page.index(f'id="visit-{gwens.pk}"') :]
    assert "Familiar to Gwen, so best asked first: Ben Jones." in gwen_card
    assert "Familiar to Tom" not in page

"""Rhian puts Ana on Gwen's essential visit from Treforest's page: with htmx the answer is
the visit's card and, swapped in beside it, the circle's figures as they are now (the place
filled, the circle coping again); without JavaScript the page she comes back to has them."""

import pytest
from django.urls import reverse

from tests.stories import MONDAY_MORNING, at, place, planned_visit
from tests.web.pages import HTMX, swapped_in, words

pytestmark = pytest.mark.now(MONDAY_MORNING)


@pytest.fixture
def one_open(story):
    """Four visits on Tuesday: three held, Gwen's essential one at 08:00 open."""
    for hour in (10, 12, 14):
        place(planned_visit(story.tom, at(5, hour)), story.ben)
    return planned_visit(story.gwen, at(5, 8), essential=True)


def summary(page: str) -> str:
    found = page.partition('id="circle-summary"')[2].partition("</ol>")[0]
    assert found, "no figures on the page"
    return words(found)


def test_the_figures_are_swapped_in_beside_the_card(client, story, one_open):
    client.force_login(story.rhian)
    before = client.get(reverse("leaders:circle", args=[story.circle.pk])).text
    assert "Not coping 75 % of carer places filled over the next 14 days (3 of 4)." in summary(
        before
    )

    response = client.post(
        reverse("leaders:assign", args=[one_open.pk]), {"carer": story.ana.pk}, headers=HTMX
    )

    reply = swapped_in(
        response,
        f'<article class="card gap-card essential" id="visit-{one_open.pk}"',
        "circle-summary",
    )
    assert "Ana Price is on it now." in words(reply)
    figures = summary(reply)
    assert "Coping 100 % of carer places filled over the next 14 days (4 of 4)." in figures
    assert "Tue 5 May: all 4 places filled" in figures


def test_a_cancelled_visit_leaves_the_figures_too(client, story, one_open):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:cancel", args=[one_open.pk]),
        {"reason": "Gwen is in hospital"},
        headers=HTMX,
    )

    reply = swapped_in(
        response, f'<article class="card gap-card" id="visit-{one_open.pk}"', "circle-summary"
    )
    assert "(3 of 3)" in summary(reply)


def test_without_javascript_the_page_comes_back_with_fresh_figures(client, story, one_open):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:assign", args=[one_open.pk]), {"carer": story.ana.pk}, follow=True
    )

    assert "data-hx-swap-oob" not in response.text
    assert "100 % of carer places filled over the next 14 days (4 of 4)." in summary(response.text)

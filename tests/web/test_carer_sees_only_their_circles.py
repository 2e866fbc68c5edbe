"""Ana cares in Treforest. A guessed address of Hillside's visit, a colleague's place, a
swap between others or someone else's time off answers 404, exactly like one that does not
exist, for a full page and for htmx alike; and nothing changes."""

import pytest
from django.urls import reverse

from rota import services
from rota.models import AbsenceKind
from tests.outcomes import nothing_changes
from tests.stories import at, place, planned_visit
from tests.web.pages import HTMX


@pytest.fixture
def others(story):
    """Hillside's visit and Hywel's place on it; Ben's and Cat's places and their swap in
    Ana's own circle; Ben's time off."""
    hillside = planned_visit(story.bart, at(30, 8, month=4))
    hywels = place(hillside, story.hywel)
    bens = place(planned_visit(story.tom, at(30, 9, month=4)), story.ben)
    cats = place(planned_visit(story.gwen, at(1, 9)), story.cat)
    swap = services.propose_swap(bens, cats)
    absence = services.record_absence(story.ben, AbsenceKind.HOLIDAY, at(5, 0), at(6, 0))
    anas = place(planned_visit(story.gwen, at(30, 14, month=4)), story.ana)
    hywels_swap_target = place(planned_visit(story.bart, at(2, 9)), story.hywel)
    return {
        "hillside": hillside,
        "hywels": hywels,
        "bens": bens,
        "swap": swap,
        "absence": absence,
        "anas": anas,
        "far": hywels_swap_target,
    }


def guesses(story, o):
    return [
        ("post", reverse("carer:take", args=[o["hillside"].pk])),
        ("post", reverse("carer:take", args=[999999])),
        ("post", reverse("carer:give_away", args=[o["hywels"].pk])),
        ("post", reverse("carer:give_away", args=[o["bens"].pk])),
        ("post", reverse("carer:keep", args=[o["bens"].pk])),
        ("get", reverse("carer:swap", args=[o["bens"].pk])),
        ("post", reverse("carer:propose_swap", args=[o["anas"].pk, o["far"].pk])),
        ("post", reverse("carer:propose_swap", args=[o["bens"].pk, o["anas"].pk])),
        ("post", reverse("carer:accept_swap", args=[o["swap"].pk])),
        ("post", reverse("carer:decline_swap", args=[o["swap"].pk])),
        ("post", reverse("carer:withdraw_swap", args=[o["swap"].pk])),
        ("get", reverse("carer:absence", args=[o["absence"].pk])),
        ("get", reverse("carer:circle_board", args=[story.hillside.pk])),
    ]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_guessed_id_answers_404_and_changes_nothing(client, story, others, htmx):
    client.force_login(story.ana)
    headers = HTMX if htmx else {}
    with nothing_changes():
        for method, url in guesses(story, others):
            response = getattr(client, method)(url, headers=headers)
            assert response.status_code == 404, url


def test_hillside_is_on_none_of_anas_pages(client, story, others):
    client.force_login(story.ana)
    for name in ("carer:my_shifts", "carer:needs_cover", "carer:board"):
        page = client.get(reverse(name)).text
        assert "Bart" not in page and "Hillside" not in page


def test_signed_out_people_are_sent_to_sign_in(client, story, others):
    response = client.get(reverse("carer:my_shifts"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))
    assert client.post(reverse("carer:take", args=[others["hillside"].pk])).status_code == 302


def test_actions_refuse_get(client, story, others):
    client.force_login(story.ana)
    assert client.get(reverse("carer:take", args=[others["anas"].shift_id])).status_code == 405

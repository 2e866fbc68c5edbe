"""With JavaScript on, htmx sends HX-Request and gets back only the card that changed (and,
out of band, the one list the change also touches); without it, the same form post answers
with a redirect and a message. Every data-hx-post sits on a real form with method="post"."""

import re

import pytest
from django.urls import reverse

from rota.models import Swap
from tests.stories import at, place, planned_visit
from tests.web.pages import HTMX


@pytest.fixture
def rota(story):
    anas = place(planned_visit(story.gwen, at(30, 8, month=4)), story.ana)
    bens = place(planned_visit(story.tom, at(1, 18)), story.ben)
    free = planned_visit(story.tom, at(2, 9))
    return {"anas": anas, "bens": bens, "free": free}


def only_cards(html: str, element_id: str) -> None:
    """The reply is the card, then nothing but out-of-band pieces: no page around it."""
    reply = html.strip()
    assert reply.startswith("<article"), reply[:80]
    assert f'id="{element_id}"' in reply[: reply.index(">")]
    for tag in ("<html", "<main", "<nav", "<header", "<footer", "<h1"):
        assert tag not in reply
    pieces = re.findall(r"^<(\w+)[^>]*>", reply, flags=re.M)
    assert pieces[0] == "article"


def test_each_action_answers_htmx_with_its_card_and_a_plain_post_with_a_redirect(
    client, story, rota
):
    client.force_login(story.ana)
    steps = [
        (reverse("carer:take", args=[rota["free"].pk]), f"visit-{rota['free'].pk}"),
        (reverse("carer:give_away", args=[rota["anas"].pk]), f"place-{rota['anas'].pk}"),
        (reverse("carer:keep", args=[rota["anas"].pk]), f"place-{rota['anas'].pk}"),
        (
            reverse("carer:propose_swap", args=[rota["anas"].pk, rota["bens"].pk]),
            f"choice-{rota['bens'].pk}",
        ),
    ]
    for url, element_id in steps:
        response = client.post(url, headers=HTMX)
        assert response.status_code == 200
        only_cards(response.text, element_id)

    swap = Swap.objects.get()
    response = client.post(reverse("carer:withdraw_swap", args=[swap.pk]), headers=HTMX)
    only_cards(response.text, f"swap-{swap.pk}")

    plain = client.post(reverse("carer:give_away", args=[rota["anas"].pk]))
    assert plain.status_code == 302
    assert plain.url == reverse("carer:my_shifts")


def test_every_hx_post_sits_on_a_real_form(client, story, rota):
    client.force_login(story.ana)
    client.post(reverse("carer:propose_swap", args=[rota["anas"].pk, rota["bens"].pk]))
    client.force_login(story.ben)
    pages = [
        reverse("carer:my_shifts"),
        reverse("carer:needs_cover"),
        reverse("carer:board"),
        # Ben's visit, to swap with one of Ana's (the page starts from the colleague).
        reverse("carer:swap", args=[rota["bens"].pk]) + f"?with={story.ana.pk}",
    ]
    for url in pages:
        page = client.get(url).text
        hx_posts = re.findall(r"<(\w+)[^>]*\bdata-hx-post=\"([^\"]+)\"[^>]*>", page)
        assert hx_posts, url
        for tag, target in hx_posts:
            assert tag == "form", (url, tag)
            assert f'method="post" action="{target}" data-hx-post="{target}"' in page


def test_a_plain_post_returns_to_the_page_it_came_from_but_never_elsewhere(client, story, rota):
    client.force_login(story.ana)
    board = reverse("carer:board")
    url = reverse("carer:take", args=[rota["free"].pk])
    assert client.post(url, {"next": board}).url == board
    assert client.post(url, {"next": "https://evil.example/"}).url == reverse("carer:needs_cover")

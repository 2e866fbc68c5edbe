"""Ana can't do Gwen's Thursday visit after all: she gives it away (it stays hers until
someone takes it), changes her mind and keeps it, gives it away again, and Ben takes it."""

import pytest
from django.urls import reverse

from rota.models import Offer, OfferStatus, ReleaseReason
from tests.stories import at, place, planned_visit
from tests.web.pages import HTMX, swapped_in


@pytest.fixture
def anas(story):
    return place(
        planned_visit(story.gwen, at(30, 8, month=4), title="Breakfast and a chat"), story.ana
    )


def test_giving_away_keeps_the_visit_hers_and_shows_it_to_the_circle(client, story, anas):
    client.force_login(story.ana)

    response = client.post(reverse("carer:give_away", args=[anas.pk]), follow=True)

    assert "Offered to the circle. It stays yours until someone takes it." in response.text
    assert "Visits you are giving away" in response.text
    assert reverse("carer:keep", args=[anas.pk]) in response.text
    assert Offer.objects.get(assignment=anas).status == OfferStatus.OPEN
    anas.refresh_from_db()
    assert anas.is_held

    client.force_login(story.ben)
    cover = client.get(reverse("carer:needs_cover")).text
    assert "Breakfast and a chat" in cover
    assert "Ana Price is giving this away" in cover


def test_keeping_it_withdraws_the_offer(client, story, anas):
    client.force_login(story.ana)
    client.post(reverse("carer:give_away", args=[anas.pk]))

    response = client.post(reverse("carer:keep", args=[anas.pk]), follow=True)

    assert "You are keeping this visit." in response.text
    assert Offer.objects.get(assignment=anas).status == OfferStatus.WITHDRAWN
    assert reverse("carer:give_away", args=[anas.pk]) in response.text
    client.force_login(story.ben)
    assert "Breakfast and a chat" not in client.get(reverse("carer:needs_cover")).text


def test_giving_away_twice_is_told_so_and_makes_one_offer(client, story, anas):
    client.force_login(story.ana)
    client.post(reverse("carer:give_away", args=[anas.pk]))

    again = client.post(reverse("carer:give_away", args=[anas.pk]), follow=True)

    assert "You are already giving this visit away." in again.text
    assert Offer.objects.filter(assignment=anas).count() == 1


def test_ben_takes_the_offered_visit_and_it_leaves_anas_shifts(client, story, anas):
    client.force_login(story.ana)
    client.post(reverse("carer:give_away", args=[anas.pk]))

    client.force_login(story.ben)
    client.post(reverse("carer:take", args=[anas.shift_id]))

    anas.refresh_from_db()
    assert anas.release_reason == ReleaseReason.OFFER_TAKEN
    assert "Breakfast and a chat" in client.get(reverse("carer:my_shifts")).text
    client.force_login(story.ana)
    assert "Breakfast and a chat" not in client.get(reverse("carer:my_shifts")).text


def test_with_htmx_the_card_and_the_list_of_offers_change_in_place(client, story, anas):
    client.force_login(story.ana)

    response = client.post(reverse("carer:give_away", args=[anas.pk]), headers=HTMX)

    reply = swapped_in(
        response, f'<article class="card visit giving" id="place-{anas.pk}"', "my-offers"
    )
    assert "Keep it" in reply

    kept = client.post(reverse("carer:keep", args=[anas.pk]), headers=HTMX)
    assert "You are keeping this visit." in kept.text
    assert "Give away" in kept.text


def test_keeping_a_visit_someone_already_took_says_it_is_no_longer_hers(client, story, anas):
    client.force_login(story.ana)
    client.post(reverse("carer:give_away", args=[anas.pk]))
    client.force_login(story.ben)
    client.post(reverse("carer:take", args=[anas.shift_id]))
    client.force_login(story.ana)

    response = client.post(reverse("carer:keep", args=[anas.pk]), headers=HTMX)

    assert response.status_code == 200
    assert "This visit is no longer yours." in response.text
    assert "No longer yours" in response.text
    again = client.post(reverse("carer:give_away", args=[anas.pk]), follow=True)
    assert "This visit is no longer yours." in again.text

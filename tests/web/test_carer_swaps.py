"""Ana would rather do Tom's Friday visit than Gwen's Thursday one. She asks Ben, who holds
Tom's, to swap; Ben sees it in My shifts and accepts; the two places change hands."""

import pytest
from django.urls import reverse

from rota.models import Assignment, ReleaseReason, Swap, SwapStatus
from tests.outcomes import nothing_changes
from tests.stories import at, place, planned_visit
from tests.web.pages import HTMX, swapped_in, words


@pytest.fixture
def anas(story):
    return place(planned_visit(story.gwen, at(30, 8, month=4), title="Gwen's breakfast"), story.ana)


@pytest.fixture
def bens(story):
    return place(planned_visit(story.tom, at(1, 18), title="Tom's supper"), story.ben)


@pytest.fixture
def swap(client, story, anas, bens):
    """Ana has asked Ben to swap (signed in on her phone); the swap waits for his answer."""
    client.force_login(story.ana)
    client.post(reverse("carer:propose_swap", args=[anas.pk, bens.pk]))
    return Swap.objects.get()


def test_ana_proposes_and_ben_accepts(client, story, anas, bens):
    client.force_login(story.ana)
    whom = words(client.get(reverse("carer:swap", args=[anas.pk])).text)
    assert "Ben Jones · 1 visit that fits" in whom
    choices = client.get(reverse("carer:swap", args=[anas.pk]), {"with": story.ben.pk}).text
    assert "Tom&#x27;s supper" in choices
    assert "Ask Ben to swap" in choices

    asked = client.post(reverse("carer:propose_swap", args=[anas.pk, bens.pk]), follow=True)
    assert "Asked Ben. The swap happens only if they accept." in asked.text
    swap = Swap.objects.get(offered=anas, wanted=bens, status=SwapStatus.PROPOSED)
    assert "You asked Ben Jones to swap" in client.get(reverse("carer:my_shifts")).text

    client.force_login(story.ben)
    bens_page = client.get(reverse("carer:my_shifts")).text
    assert "Ana Price asks to swap" in bens_page
    assert reverse("carer:accept_swap", args=[swap.pk]) in bens_page

    accepted = client.post(reverse("carer:accept_swap", args=[swap.pk]), follow=True)

    assert "Swapped. Your visit to Gwen on Thu 30 Apr 08:00 is in your shifts now." in (
        accepted.text
    )
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    anas.refresh_from_db()
    bens.refresh_from_db()
    assert anas.release_reason == bens.release_reason == ReleaseReason.SWAPPED
    held = Assignment.objects.filter(released_at__isnull=True)
    assert held.get(shift=anas.shift).carer == story.ben
    assert held.get(shift=bens.shift).carer == story.ana
    assert "Gwen&#x27;s breakfast" in accepted.text
    client.force_login(story.ana)
    assert "Tom&#x27;s supper" in client.get(reverse("carer:my_shifts")).text


def test_with_htmx_accepting_swaps_the_card_and_refreshes_the_days(client, story, swap):
    client.force_login(story.ben)

    response = client.post(reverse("carer:accept_swap", args=[swap.pk]), headers=HTMX)

    reply = swapped_in(response, f'<article class="card swap" id="swap-{swap.pk}"', "my-days")
    assert "Gwen&#x27;s breakfast" in reply
    assert "Accept swap" not in reply


def test_ben_declines_and_nothing_moves(client, story, anas, bens, swap):
    client.force_login(story.ben)

    response = client.post(reverse("carer:decline_swap", args=[swap.pk]), follow=True)

    assert "Declined. Ana keeps their visit and you keep yours." in response.text
    swap.refresh_from_db()
    assert swap.status == SwapStatus.DECLINED
    anas.refresh_from_db()
    bens.refresh_from_db()
    assert anas.is_held and bens.is_held


def test_ana_withdraws_her_proposal(client, swap):
    response = client.post(reverse("carer:withdraw_swap", args=[swap.pk]), headers=HTMX)

    assert "Withdrawn. You keep your visit." in response.text
    swap.refresh_from_db()
    assert swap.status == SwapStatus.WITHDRAWN


def test_ana_cannot_accept_her_own_proposal(client, swap):
    with nothing_changes():
        response = client.post(reverse("carer:accept_swap", args=[swap.pk]), follow=True)

    assert "You can&#x27;t make this change for someone else." in response.text


def test_accepting_twice_says_the_swap_is_no_longer_open(client, story, swap):
    client.force_login(story.ben)
    client.post(reverse("carer:accept_swap", args=[swap.pk]))

    with nothing_changes():
        again = client.post(reverse("carer:accept_swap", args=[swap.pk]), follow=True)

    assert again.status_code == 200
    assert "This swap is no longer open" in again.text


def test_a_swap_the_rules_refuse_says_why_beside_the_button(client, story, anas, bens):
    # Ana is already at Gwen's when Tom's supper is: she could not do both.
    place(planned_visit(story.gwen, at(1, 18), title="Gwen's supper"), story.ana)
    client.force_login(story.ana)

    response = client.post(reverse("carer:propose_swap", args=[anas.pk, bens.pk]), headers=HTMX)

    assert response.text.strip().startswith(
        f'<article class="card visit cannot" id="choice-{bens.pk}"'
    )
    assert "It overlaps your visit to Gwen, Fri 1 May 18:00 to 19:00." in response.text
    assert not Swap.objects.exists()


def test_choosing_starts_from_the_colleague_then_their_visits_nearest_first(
    client, story, anas, bens
):
    place(planned_visit(story.tom, at(2, 18), title="Cat's Saturday"), story.cat)
    place(planned_visit(story.gwen, at(1, 9), title="Cat's Friday"), story.cat)
    client.force_login(story.ana)
    url = reverse("carer:swap", args=[anas.pk])

    whom = words(client.get(url).text)
    only_cat = words(client.get(url, {"with": story.cat.pk}).text)

    assert "Supper" not in whom and "Saturday" not in whom
    assert "Ben Jones · 1 visit that fits" in whom and "Cat Morgan · 2 visits that fit" in whom
    assert "Cat Morgan's visits that fit yours" in only_cat
    assert only_cat.index("Cat's Friday") < only_cat.index("Cat's Saturday")
    assert "Tom's supper" not in only_cat


def test_a_visit_that_does_not_fit_is_not_offered(client, story, anas, bens):
    # Ana is already at Gwen's when Tom's supper is: she could not do both.
    place(planned_visit(story.gwen, at(1, 18), title="Gwen's supper"), story.ana)
    client.force_login(story.ana)
    url = reverse("carer:swap", args=[anas.pk])

    whom = words(client.get(url).text)
    bens_visits = client.get(url, {"with": story.ben.pk}).text

    assert "Ben Jones" not in whom
    assert "No colleague has a visit you could swap for in that time." in whom
    assert reverse("carer:propose_swap", args=[anas.pk, bens.pk]) not in bens_visits


def test_a_second_asker_for_bens_visit_is_told_plainly(client, story, anas, bens, swap):
    cats = place(planned_visit(story.tom, at(30, 9, month=4), title="Tom's breakfast"), story.cat)
    client.force_login(story.cat)
    whom = words(client.get(reverse("carer:swap", args=[cats.pk])).text)
    assert "Ben Jones" not in whom

    with nothing_changes():
        response = client.post(reverse("carer:propose_swap", args=[cats.pk, bens.pk]), follow=True)

    assert "Someone else has just asked Ben for this visit. Choose another one." in response.text


def test_a_visit_already_offered_in_a_swap_says_whom_she_asked(client, story, anas, swap):
    client.force_login(story.ana)

    page = words(client.get(reverse("carer:swap", args=[anas.pk])).text)

    assert "You have asked Ben Jones to swap this visit." in page

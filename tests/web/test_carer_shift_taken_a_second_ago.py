"""Ana and Ben both see Tom's visit needs cover; Ben's tap lands first. Ana's tap a second
later is told it has just been taken, never an error page, and nothing changes."""

import pytest

from rota import services
from rota.models import Assignment
from tests.stories import at, planned_visit
from tests.web.pages import HTMX, refused_tap

JUST_TAKEN = "This visit has just been taken: no place is free."


@pytest.fixture
def taken_by_ben(story):
    shift = planned_visit(story.tom, at(30, 9, month=4))
    services.claim(shift, story.ben, actor=story.ben)
    return shift


def test_the_second_tap_is_told_it_was_just_taken(client, story, taken_by_ben):
    response = refused_tap(client, story.ana, taken_by_ben, follow=True)

    assert JUST_TAKEN in response.text
    assert Assignment.objects.get(shift=taken_by_ben).carer == story.ben


def test_with_htmx_the_card_says_it_was_just_taken(client, story, taken_by_ben):
    response = refused_tap(client, story.ana, taken_by_ben, headers=HTMX)

    assert JUST_TAKEN in response.text
    assert "I&#x27;ll take it" not in response.text


def test_a_visit_cancelled_meanwhile_says_so(client, story):
    shift = planned_visit(story.tom, at(30, 9, month=4))
    leader_reason = "Tom is in hospital"
    services.cancel_shift(shift, leader_reason)

    response = refused_tap(client, story.ana, shift, follow=True)

    assert "This visit was cancelled: Tom is in hospital" in response.text
    assert not Assignment.objects.filter(shift=shift).exists()

"""Ana and Ben both see Tom's visit needs cover; Ben's tap lands first. Ana's tap a second
later is told it has just been taken, never an error page, and nothing changes."""

import pytest
import time_machine
from django.urls import reverse

from rota import services
from rota.models import Assignment
from tests.outcomes import rota_state
from tests.web.carer_cast import NOW, at, cast, visit

JUST_TAKEN = "This visit has just been taken: no place is free."


@pytest.fixture
def story(db):
    with time_machine.travel(NOW, tick=False):
        yield cast()


@pytest.fixture
def taken_by_ben(story):
    shift = visit(story.tom, at(30, 9))
    services.claim(shift, story.ben, actor=story.ben)
    return shift


def test_the_second_tap_is_told_it_was_just_taken(client, story, taken_by_ben):
    client.force_login(story.ana)
    before = rota_state()

    response = client.post(reverse("carer:take", args=[taken_by_ben.pk]), follow=True)

    assert response.status_code == 200
    assert JUST_TAKEN in response.text
    assert rota_state() == before
    assert Assignment.objects.get(shift=taken_by_ben).carer == story.ben


def test_with_htmx_the_card_says_it_was_just_taken(client, story, taken_by_ben):
    client.force_login(story.ana)

    response = client.post(
        reverse("carer:take", args=[taken_by_ben.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert JUST_TAKEN in response.text
    assert "I&#x27;ll take it" not in response.text


def test_a_visit_cancelled_meanwhile_says_so(client, story):
    shift = visit(story.tom, at(30, 9))
    leader_reason = "Tom is in hospital"
    services.cancel_shift(shift, leader_reason)
    client.force_login(story.ana)

    response = client.post(reverse("carer:take", args=[shift.pk]), follow=True)

    assert "This visit was cancelled: Tom is in hospital" in response.text
    assert not Assignment.objects.filter(shift=shift).exists()

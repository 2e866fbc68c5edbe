"""Rhian sets when Treforest counts as strained or not coping. Thresholds the other way
round, or above 100 %, are refused with the reason and nothing is saved."""

import pytest
import time_machine
from django.urls import reverse

from tests.web.leader_cast import NOW, cast

HTMX = {"HX-Request": "true"}
INVERTED = "“Not coping” must be at or below “strained”, and neither above 100 %."


@pytest.fixture
def story(db):
    with time_machine.travel(NOW, tick=False):
        yield cast()


def thresholds(strained, not_coping, hours=48) -> dict:
    return {
        "strained_below_percent": strained,
        "not_coping_below_percent": not_coping,
        "essential_gap_hours": hours,
    }


def saved(circle) -> tuple[int, int, int]:
    circle.refresh_from_db()
    return (
        circle.strained_below_percent,
        circle.not_coping_below_percent,
        circle.essential_gap_hours,
    )


def test_new_thresholds_are_saved(client, story):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:thresholds", args=[story.circle.pk]),
        thresholds(90, 75, 24),
        headers=HTMX,
    )

    assert saved(story.circle) == (90, 75, 24)
    assert "The thresholds are saved." in response.content.decode()


def test_not_coping_above_strained_is_refused_and_nothing_saved(client, story):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:thresholds", args=[story.circle.pk]), thresholds(80, 90), headers=HTMX
    )

    assert saved(story.circle) == (95, 85, 48)
    page = response.content.decode().replace("&quot;", '"')
    assert INVERTED in page
    assert "The thresholds are saved." not in page


def test_above_100_percent_is_refused_without_javascript_too(client, story):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:thresholds", args=[story.circle.pk]), thresholds(120, 85)
    )

    assert response.status_code == 400
    assert saved(story.circle) == (95, 85, 48)
    assert INVERTED in response.content.decode()


def test_a_negative_number_is_refused(client, story):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:thresholds", args=[story.circle.pk]), thresholds(95, -5), headers=HTMX
    )

    assert saved(story.circle) == (95, 85, 48)
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


def test_another_circles_thresholds_cannot_be_changed(client, story):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:thresholds", args=[story.hillside.pk]), thresholds(50, 40)
    )

    assert response.status_code == 404
    assert saved(story.hillside) == (95, 85, 48)

"""Rhian sets when Treforest counts as strained or not coping, and the audit trail says so.
Thresholds the other way round, or above 100 %, are refused with the reason and nothing is
saved."""

import pytest
from django.urls import reverse

from rota.models import AuditEvent
from tests.stories import MONDAY_MORNING, at, place, planned_visit
from tests.web.pages import HTMX, words

INVERTED = "“Not coping” must be at or below “strained”, and neither above 100 %."

pytestmark = pytest.mark.now(MONDAY_MORNING)


# What every circle starts with: strained below 95 %, not coping below 85 %, essential
# visits looked at 48 hours ahead.
AS_THEY_WERE = (95, 85, 48)


def rhian_sets(client, story, circle, strained, not_coping, hours=48, **options):
    """Rhian sends `circle` new thresholds, from its page."""
    client.force_login(story.rhian)
    return client.post(
        reverse("leaders:thresholds", args=[circle.pk]),
        {
            "strained_below_percent": strained,
            "not_coping_below_percent": not_coping,
            "essential_gap_hours": hours,
        },
        **options,
    )


def saved(circle) -> tuple[int, int, int]:
    circle.refresh_from_db()
    return (
        circle.strained_below_percent,
        circle.not_coping_below_percent,
        circle.essential_gap_hours,
    )


def test_new_thresholds_are_saved(client, story):
    response = rhian_sets(client, story, story.circle, 90, 75, 24, headers=HTMX)

    assert saved(story.circle) == (90, 75, 24)
    assert "The thresholds are saved." in response.content.decode()


def test_not_coping_above_strained_is_refused_and_nothing_saved(client, story):
    response = rhian_sets(client, story, story.circle, 80, 90, headers=HTMX)

    assert saved(story.circle) == AS_THEY_WERE
    page = response.content.decode().replace("&quot;", '"')
    assert INVERTED in page
    assert "The thresholds are saved." not in page


def test_above_100_percent_is_refused_without_javascript_too(client, story):
    response = rhian_sets(client, story, story.circle, 120, 85)

    assert response.status_code == 400
    assert saved(story.circle) == AS_THEY_WERE
    assert INVERTED in response.content.decode()


def test_a_negative_number_is_refused(client, story):
    response = rhian_sets(client, story, story.circle, 95, -5, headers=HTMX)

    assert saved(story.circle) == AS_THEY_WERE
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


def test_another_circles_thresholds_cannot_be_changed(client, story):
    response = rhian_sets(client, story, story.hillside, 50, 40)

    assert response.status_code == 404
    assert saved(story.hillside) == AS_THEY_WERE


def test_the_change_is_in_the_audit_trail(client, story):
    rhian_sets(client, story, story.circle, 90, 75)

    trail = client.get(reverse("leaders:trail"), {"circle": story.circle.pk}).content.decode()

    assert (
        "Rhian Lewis changed when Treforest's team leaders are alerted: strained below 90 % "
        "filled (was 95 %) and not coping below 75 % filled (was 85 %)."
    ) in words(trail)


def test_a_refused_change_is_not_in_the_trail(client, story):
    rhian_sets(client, story, story.circle, 80, 90)

    assert not AuditEvent.objects.exists()


def test_the_circles_state_follows_its_new_thresholds(client, story):
    """Gwen's two visits tomorrow, one with Ana: half the places filled, not coping until
    Rhian says a circle copes down to 40 %."""
    place(planned_visit(story.gwen, at(5, 8)), story.ana)
    planned_visit(story.gwen, at(5, 12))

    response = rhian_sets(client, story, story.circle, 45, 40, 0, headers=HTMX)

    figures = response.text.partition('<div id="circle-summary" data-hx-swap-oob="true">')[2]
    assert words(figures).startswith("Coping 50 % of carer places filled")

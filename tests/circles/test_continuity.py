"""Continuity per client: how many different carers came in the last 28 days, and what
share of the visits were done by carers familiar to the client, against the 28 days before.

Gwen, over the last 28 days: Ana came three times, Ben twice, Cat once, and a visit Ana
missed does not count; Cat is Gwen's preferred carer. In the 28 days before, four strangers
came once each. Tom had nobody at all.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from circles.continuity import BETTER, NEW, WORSE, continuity
from people.models import CarerPreference, Preference
from tests.factories import carer
from tests.stories import MONDAY_MORNING, at, place, planned_visit

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]


@pytest.fixture
def gwens_visits(story):
    for day, who in [(7, "ana"), (9, "ana"), (11, "ana"), (13, "ben"), (15, "ben"), (17, "cat")]:
        place(planned_visit(story.gwen, at(day, 8, month=4)), getattr(story, who))
    place(planned_visit(story.gwen, at(19, 8, month=4)), story.ana, missed=True)
    for day in (10, 12, 14, 16):
        place(planned_visit(story.gwen, at(day, 8, month=3)), carer(story.circle))
    CarerPreference.objects.create(
        client=story.gwen, carer=story.cat, preference=Preference.PREFERRED
    )


def test_distinct_carers_and_the_share_done_by_familiar_ones(story, gwens_visits):
    gwen = continuity([story.gwen.pk], now=timezone.now())[story.gwen.pk]

    assert gwen.recent.carers == 3
    assert gwen.recent.visits == 6
    # Ana and Ben came at least twice, Cat is preferred: every visit was a familiar face.
    assert gwen.recent.percent_familiar == 100
    assert gwen.before.carers == 4 and gwen.before.percent_familiar == 0
    assert gwen.trend == BETTER


def test_the_trend_goes_down_when_new_faces_come(story, gwens_visits):
    later = timezone.now() + timedelta(days=28)
    for day in (5, 7, 9):
        place(planned_visit(story.gwen, at(day, 8)), carer(story.circle))

    with time_machine.travel(later, tick=False):
        gwen = continuity([story.gwen.pk], now=timezone.now())[story.gwen.pk]

    assert gwen.recent.carers == 3 and gwen.recent.percent_familiar == 0
    assert gwen.before.percent_familiar == 100
    assert gwen.trend == WORSE


def test_a_client_with_no_visits_has_nothing_to_compare(story, gwens_visits):
    tom = continuity([story.tom.pk], now=timezone.now())[story.tom.pk]

    assert tom.recent.visits == 0 and tom.recent.percent_familiar is None
    assert tom.trend == NEW


def test_the_figures_cost_the_same_for_one_client_or_many(
    story, gwens_visits, django_assert_num_queries
):
    with django_assert_num_queries(3):
        continuity([story.gwen.pk], now=timezone.now())
    with django_assert_num_queries(3):
        continuity([story.gwen.pk, story.tom.pk, story.dilys.pk], now=timezone.now())


def test_the_clients_page_and_the_circle_page_show_them(client, story, gwens_visits):
    client.force_login(story.rhian)

    page = " ".join(
        client.get(reverse("leaders:client", args=[story.gwen.pk])).content.decode().split()
    )
    circle = " ".join(
        client.get(reverse("leaders:circle", args=[story.circle.pk])).content.decode().split()
    )

    assert "100 % (6 of 6)" in page and "(28 days before: 0 %)" in page
    assert "↑ better" in page
    assert "100 % of 6 visits by familiar carers" in circle
    assert 'Tom Evans</a>: <span class="muted">no visits done in the last 28 days' in circle

"""The early warning in words: on the leaders' dashboard row (kept with the row), on the
circle's page with why, and on the carers' circle board; nothing when there is none."""

import pytest
from django.urls import reverse

from tests.circles.test_forecast import four_weeks_held, saturday_evening
from tests.stories import MONDAY_MIDNIGHT

pytestmark = [pytest.mark.now(MONDAY_MIDNIGHT)]

SAID = "Cover is likely to fall below 95 % in about 6 days, mostly Saturday evenings."


def test_the_forecast_is_said_to_leaders_and_carers(client, story):
    four_weeks_held(story.tom, story.ana)
    saturday_evening(story.tom, 23)

    client.force_login(story.rhian)
    dashboard = client.get(reverse("leaders:dashboard")).text
    circle_page = client.get(reverse("leaders:circle", args=[story.circle.pk])).text
    client.force_login(story.ben)
    board = client.get(reverse("carer:circle_board", args=[story.circle.pk])).text

    assert SAID in dashboard
    assert SAID in circle_page
    assert "Places filled so far in the weeks ahead: 28 of 30." in circle_page
    assert SAID in board


def test_the_forecast_is_said_in_welsh(client, story):
    four_weeks_held(story.tom, story.ana)
    saturday_evening(story.tom, 23)
    story.rhian.language = "cy"
    story.rhian.save()
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:dashboard"), headers={"accept-language": "cy"}).text

    assert "ymhen tua 6 diwrnod" in page


def test_nothing_is_said_without_a_forecast(client, story):
    four_weeks_held(story.tom, story.ana)
    client.force_login(story.rhian)

    dashboard = client.get(reverse("leaders:dashboard")).text
    circle_page = client.get(reverse("leaders:circle", args=[story.circle.pk])).text

    assert "Cover is likely to fall" not in dashboard and 'class="forecast"' not in dashboard
    assert "Early warning" not in circle_page

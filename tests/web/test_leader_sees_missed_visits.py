"""A missed visit on the circle's page: "Missed visits, last 7 days", each with who was on it
and did not arrive, and counted on the dashboard's row for the circle; a week later it is gone
from both (the trail keeps it)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rota.lateness import check_late_visits
from tests.stories import at, place, planned_visit
from tests.web.pages import words

START = at(4, 8)

pytestmark = [pytest.mark.django_db, pytest.mark.now(START)]


def section(page) -> str:
    assert page.status_code == 200, page
    text = words(page.text)
    return text[text.index("Missed visits, last 7 days") :][:300]


def test_the_circle_page_lists_the_missed_visits_of_the_last_week(
    client, frozen_now, gwen, tom, ana, rhian
):
    place(planned_visit(gwen, START), ana)
    planned_visit(tom, START + timedelta(hours=1), hours=0.5)
    client.force_login(rhian)
    url = reverse("leaders:circle", args=[gwen.circle_id])
    assert "None: someone arrived at every visit." in section(client.get(url))
    assert "missed in the last 7 days" not in client.get(reverse("leaders:dashboard")).text

    frozen_now.move_to(START + timedelta(hours=2))
    check_late_visits()

    missed = section(client.get(url))
    assert "2 visits nobody came to." in missed
    assert "Tom, Mon 4 May, 09:00: nobody was on it" in missed
    assert "Gwen, Mon 4 May, 08:00: Ana Price didn't arrive" in missed
    assert missed.index("Tom") < missed.index("Gwen")  # the latest first
    dashboard = client.get(reverse("leaders:dashboard")).text
    assert f'{url}#missed">2 visits missed in the last 7 days</a>' in dashboard

    frozen_now.move_to(START + timedelta(days=7, hours=2))
    client.force_login(rhian)  # a week on, signed in again
    assert "None: someone arrived at every visit." in section(client.get(url))
    assert "missed in the last 7 days" not in client.get(reverse("leaders:dashboard")).text

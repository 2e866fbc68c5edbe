"""The dashboard shows each circle's continuity: visits done by familiar carers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.stories import place, visit

pytestmark = pytest.mark.django_db


def done_visit(client, person, days_ago: int):
    place(visit(client, timezone.now() - timedelta(days=days_ago)), person)


def test_a_circle_whose_visits_were_by_familiar_carers_shows_it(client, gwen, ana, ben, rhian):
    for days_ago in (3, 5, 7):
        done_visit(gwen, ana, days_ago)  # Ana comes often: familiar
    done_visit(gwen, ben, 4)  # Ben came once: not yet
    client.force_login(rhian)
    page = client.get("/leaders/").content.decode()
    assert "Visits by familiar carers (28 days)" in page
    assert "75 %" in page

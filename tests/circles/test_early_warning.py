"""A circle's team leaders hear of a forecast crossing once (docs/design.md, Who hears what):
not again while the forecast stays, again for a new one, never once the circle is below."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circles import alerts, tasks
from circles.forecast import forecast
from circles.models import Circle, CircleState, Notification, NotificationKind
from rota.counts import recount
from tests.circles.test_forecast import four_weeks_held, saturday_evening
from tests.factories import CircleFactory, ClientFactory, carer
from tests.stories import MONDAY_MIDNIGHT, place

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MIDNIGHT),
    pytest.mark.usefixtures("frozen_now"),
]


def warnings(person) -> list[Notification]:
    return list(Notification.objects.filter(person=person, kind=NotificationKind.EARLY_WARNING))


def test_one_note_per_forecast_crossing_over_repeated_runs(
    frozen_now, circle, tom, ana, ben, leaders
):
    four_weeks_held(tom, ana)
    saturday_evening(tom, 23)

    for _ in range(3):
        alerts.warn_early()
    # A day later the forecast is the same crossing, a day nearer: nothing new.
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(days=1, hours=2))
    for _ in range(3):
        alerts.warn_early()

    for leader in leaders:
        [note] = warnings(leader)
        assert note.title == "Treforest may not cope soon"
        assert note.body == (
            "If nothing changes, cover is likely to fall below 95 % by Sunday 10 May. "
            "The circle's page says why, while there is still time to act."
        )
        assert note.link == reverse("leaders:circle", kwargs={"circle_id": circle.pk})
    assert not any(warnings(person) for person in (ana, ben))
    saved = Circle.objects.get(pk=circle.pk)
    assert (saved.warned_crossing_at, saved.warned_state) == (date(2026, 5, 10), "strained")


def test_a_forecast_that_went_away_and_came_back_later_is_a_new_one(
    frozen_now, circle, tom, ana, ben, leaders
):
    four_weeks_held(tom, ana)
    evening = saturday_evening(tom, 23)
    alerts.warn_early()  # of Sunday 10 May

    # Both places taken: no forecast, and nothing said.
    place(evening, ben)
    place(evening, carer(circle))
    alerts.warn_early()
    # Back the next day, for the same Sunday: the same crossing, nothing new to say.
    evening.assignments.all().delete()
    recount([evening.pk])
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(days=1))
    assert forecast(circle).crossing_at == date(2026, 5, 10)
    alerts.warn_early()
    assert [len(warnings(leader)) for leader in leaders] == [1, 1]

    # After that Sunday, a new gap and a new forecast: a new note.
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(days=7))
    saturday_evening(tom, 30)
    alerts.warn_early()
    alerts.warn_early()

    assert [len(warnings(leader)) for leader in leaders] == [2, 2]


def test_a_crossing_much_sooner_is_a_new_one(circle, tom, ana, leaders):
    four_weeks_held(tom, ana)
    saturday_evening(tom, 23)  # strained from Sunday 10 May
    alerts.warn_early()
    saturday_evening(tom, 16)  # and now from Tuesday 5 May
    saturday_evening(tom, 17)
    alerts.warn_early()

    assert len(warnings(leaders[0])) == 2


def test_no_warning_when_the_circle_is_already_below(circle, tom, ana, leaders):
    four_weeks_held(tom, ana)
    saturday_evening(tom, 23)
    Circle.objects.filter(pk=circle.pk).update(state=CircleState.NOT_COPING)

    alerts.warn_early()

    assert warnings(leaders[0]) == []


def test_the_hourly_job_hands_out_blocks(eager, circle, tom, ana, leaders):
    four_weeks_held(tom, ana)
    saturday_evening(tom, 23)

    assert tasks.warn_early.delay().get() == 1

    assert len(warnings(leaders[0])) == 1


def test_the_hourly_job_costs_the_same_for_one_circle_as_for_many(circle, tom, ana, leaders):
    """Nothing new to say: the block's circles and their forecasts, no query per circle."""
    four_weeks_held(tom, ana, per_day=1, days=14)
    alerts.warn_early()
    with CaptureQueriesContext(connection) as one:
        alerts.warn_early()
    for _ in range(3):
        other = CircleFactory(organisation=circle.organisation)
        four_weeks_held(ClientFactory(circle=other), carer(other), per_day=1, days=14)
    alerts.warn_early()

    with CaptureQueriesContext(connection) as many:
        alerts.warn_early()

    assert len(many) == len(one) <= 8  # the blocks, the circles, the forecasts' six

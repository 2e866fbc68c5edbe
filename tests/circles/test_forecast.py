"""Early warning (docs/design.md, Early warning): when a circle's cover is likely to cross its
threshold, from the coming days as known now and what the last weeks show."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from circles.forecast import forecast, forecasts
from circles.models import Circle, CircleState
from rota.models import Absence, AbsenceKind, ReleaseReason
from tests.factories import CircleFactory, ClientFactory, CredentialFactory, VisitPlanFactory, carer
from tests.stories import MONDAY_MIDNIGHT, at, place, planned_visit, visit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MIDNIGHT),
    pytest.mark.usefixtures("frozen_now"),
]

MONDAY = date(2026, 5, 4)


def four_weeks_held(client, holder, *, per_day: int = 2, days: int = 28) -> list:
    """`per_day` routine visits a day to `client` for `days` days from Monday 4 May, at 09:00
    and 14:00, every one held by `holder`."""
    plans = {hour: VisitPlanFactory(client=client, essential=False) for hour in (9, 14)}
    shifts = []
    for day in range(days):
        for hour in (9, 14)[:per_day]:
            start = at(4 + day, hour)
            shift = visit(client, start, plan=plans[hour], plan_date=start.date())
            place(shift, holder)
            shifts.append(shift)
    return shifts


def saturday_evening(client, day: int) -> object:
    """A routine Saturday evening visit for two carers, nobody on it."""
    return planned_visit(client, at(day, 19), carers_needed=2, title="Evening visit")


def test_a_steady_circle_has_no_forecast(circle, tom, ana):
    four_weeks_held(tom, ana)

    found = forecast(circle)

    assert found.crossing_at is None
    assert found.said() == ""


def test_open_saturday_evenings_ahead_are_forecast_with_when_and_why(circle, tom, ana):
    four_weeks_held(tom, ana)
    saturday_evening(tom, 23)  # Saturday 23 May, 19 days off: two places open

    found = forecast(circle)

    # From Sunday 10 May, the fortnight ahead holds 28 of 30 places: 93 %, strained.
    assert found.crossing_at == date(2026, 5, 10)
    assert found.state == CircleState.STRAINED
    assert found.below == 95
    assert found.said() == (
        "Cover is likely to fall below 95 % in about 6 days, mostly Saturday evenings."
    )
    assert found.reasons == ["Places filled so far in the weeks ahead: 28 of 30."]
    with translation.override("cy"):
        assert "6 diwrnod" in forecast(circle).said()


def test_more_given_up_than_picked_up_brings_the_crossing_forward(circle, tom, ana, ben):
    four_weeks_held(tom, ana)
    # Over the last four weeks, six places given up before their visits; none picked up.
    for day in range(6):
        given = place(
            planned_visit(tom, at(4, 20) - timedelta(days=20 - day)),
            ben,
            created_at=MONDAY_MIDNIGHT - timedelta(days=27),
        )
        given.released_at = given.start - timedelta(days=1)
        given.release_reason = ReleaseReason.CANT_MAKE_IT
        given.save()

    found = forecast(circle)

    # 6 places lost in 28 days, 0.21 a day: a fortnight has 28 places, and 95 % of them is
    # 26.6, so a loss of 1.4 places (seven days) is enough.
    assert found.crossing_at == date(2026, 5, 11)
    assert found.state == CircleState.STRAINED
    assert "In the last 4 weeks, places given up: 6; picked up: 0." in found.reasons


def test_a_check_running_out_before_the_visits_is_counted_as_open(circle, tom, ana, medication):
    plan = VisitPlanFactory(client=tom, essential=False)
    plan.credentials_needed.set([medication])
    for day in range(28):
        place(visit(tom, at(4 + day, 9), plan=plan, plan_date=MONDAY + timedelta(days=day)), ana)
    # Ana's medication training counts to Tuesday 12 May, and nothing renews it.
    CredentialFactory(person=ana, type=medication, valid_until=date(2026, 5, 12))

    found = forecast(circle)

    # From 13 May her visits have nobody rightly on them: the fortnight from tomorrow has 8
    # of 14 places she may go to.
    assert found.state == CircleState.NOT_COPING
    assert found.crossing_at == date(2026, 5, 5)
    assert "Visits held by carers whose checks run out before them: 19." in found.reasons


def test_an_essential_visit_with_nobody_is_forecast_when_it_comes_close(circle, tom, ana):
    four_weeks_held(tom, ana)
    planned_visit(tom, at(12, 8), essential=True)  # Tuesday week, nobody on it

    found = forecast(circle)

    # Within 48 hours of it from Sunday 10 May: not coping, unless someone takes it.
    assert found.crossing_at == date(2026, 5, 10)
    assert found.state == CircleState.NOT_COPING
    assert found.said() == "An essential visit is likely to have nobody in about 6 days."
    assert "An essential visit has nobody yet." in found.reasons


def test_a_circle_already_below_its_threshold_has_no_forecast(circle, tom, ana):
    planned_visit(tom, at(5, 9))
    Circle.objects.filter(pk=circle.pk).update(state=CircleState.NOT_COPING)
    circle.refresh_from_db()

    assert forecast(circle).crossing_at is None


def test_a_strained_circle_is_forecast_only_into_not_coping(circle, tom, ana):
    four_weeks_held(tom, ana)
    saturday_evening(tom, 23)
    Circle.objects.filter(pk=circle.pk).update(state=CircleState.STRAINED)
    circle.refresh_from_db()

    assert forecast(circle).crossing_at is None


def test_carers_away_and_near_their_limits_are_said(circle, tom, ana, ben):
    four_weeks_held(tom, ana)
    saturday_evening(tom, 23)
    Absence.objects.create(carer=ben, kind=AbsenceKind.HOLIDAY, start=at(6, 0), end=at(9, 0))

    reasons = forecast(circle).reasons

    assert "Carers away in the next 2 weeks: 1 of 2." in reasons


def test_what_was_known_then_is_what_is_forecast(circle, tom, ana, ben):
    """Asked of a past moment, the forecast sees only what had happened by then."""
    four_weeks_held(tom, ana)
    late = saturday_evening(tom, 23)
    late.created_at = MONDAY_MIDNIGHT + timedelta(days=1)  # made on Tuesday
    late.save()

    assert forecast(circle, now=MONDAY_MIDNIGHT + timedelta(hours=1)).crossing_at is None
    assert forecast(circle, now=MONDAY_MIDNIGHT + timedelta(days=1, hours=1)).crossing_at


def test_the_forecast_of_many_circles_costs_the_same_as_of_one(circle, tom, ana):
    four_weeks_held(tom, ana, per_day=1, days=14)
    with CaptureQueriesContext(connection) as one:
        forecasts([circle])
    others = [CircleFactory(organisation=circle.organisation) for _ in range(3)]
    for other in others:
        client = ClientFactory(circle=other)
        holder = carer(other)
        four_weeks_held(client, holder, per_day=1, days=14)
        saturday_evening(client, 23)

    everyone = list(Circle.objects.all())
    with CaptureQueriesContext(connection) as many:
        found = forecasts(everyone)

    assert len(many) == len(one) <= 6
    assert all(found[other.pk].crossing_at for other in others)

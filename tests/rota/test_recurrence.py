"""Care-plan repeat rules: what a plan may say, and how it reads as weekday boxes."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from rota.recurrence import (
    aware_local,
    local_occurrences,
    rule_for_weekdays,
    validate_rule,
    weekdays_of_rule,
)
from tests.stories import LONDON


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",
        "FREQ=DAILY;BYHOUR=8,9",
        "garbage",
        "",
        "FREQ=MONTHLY;BYDAY=1MO",
        # Weekly without days would visit on whatever weekday the plan happens to start.
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=WEEKLY;BYDAY=XX",
        # dateutil never returns from INTERVAL=0 and fails on a negative interval.
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-1",
        "FREQ=DAILY;",
    ],
)
def test_a_rule_a_plan_cannot_follow_is_refused(rule):
    with pytest.raises(ValidationError):
        validate_rule(rule)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY",
        "FREQ=WEEKLY;BYDAY=MO,WE",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        "FREQ=DAILY;UNTIL=20271231",
    ],
)
def test_a_daily_or_weekday_rule_is_accepted(rule):
    assert validate_rule(rule) is None


@pytest.mark.parametrize(
    "weekdays",
    [[0], [0, 2], [1, 3, 5], [0, 1, 2, 3, 4], [5, 6], [0, 1, 2, 3, 4, 5, 6]],
)
def test_weekday_boxes_survive_the_trip_through_a_rule(weekdays):
    rule = rule_for_weekdays(weekdays)

    validate_rule(rule)
    assert weekdays_of_rule(rule) == weekdays


def test_every_day_ticked_is_a_daily_rule():
    assert rule_for_weekdays([6, 5, 4, 3, 2, 1, 0, 0]) == "FREQ=DAILY"
    assert rule_for_weekdays([2, 0, 0]) == "FREQ=WEEKLY;BYDAY=MO,WE"


@pytest.mark.parametrize("weekdays", [[], [7], [-1]])
def test_no_day_or_a_day_outside_the_week_is_refused(weekdays):
    with pytest.raises(ValueError):
        rule_for_weekdays(weekdays)


def test_a_rule_that_stops_soon_still_shows_all_its_days():
    assert weekdays_of_rule("FREQ=WEEKLY;BYDAY=MO,FR;COUNT=1") == [0, 4]
    assert weekdays_of_rule("FREQ=DAILY;UNTIL=20000104") == [0, 1, 2, 3, 4, 5, 6]


def test_occurrences_are_the_rules_dates_from_start_up_to_but_not_including_end():
    dates = local_occurrences(
        "FREQ=WEEKLY;BYDAY=MO,WE", date(2027, 1, 1), date(2027, 1, 4), date(2027, 1, 11)
    )

    assert dates == [date(2027, 1, 4), date(2027, 1, 6)]


def test_occurrences_begin_no_earlier_than_the_plans_first_day():
    dates = local_occurrences("FREQ=DAILY", date(2027, 1, 6), date(2027, 1, 4), date(2027, 1, 8))

    assert dates == [date(2027, 1, 6), date(2027, 1, 7)]


def test_an_hour_that_happens_twice_is_taken_the_first_time():
    moment = aware_local(date(2026, 10, 25), time(1, 30), LONDON)

    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_an_hour_that_never_happens_moves_to_the_first_minute_that_does():
    moment = aware_local(date(2027, 3, 28), time(1, 30), LONDON)

    assert moment.astimezone(UTC) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert moment.astimezone(LONDON).time() == time(2, 0)

"""A coordinator writes a care-plan visit with weekday boxes, a start time and minutes;
the repeat rule is built for them, and the rota follows the plan at once."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from people.models import Client
from rota.forms import VisitPlanForm
from rota.models import ReleaseReason, Shift, ShiftStatus, VisitPlan
from tests.factories import AssignmentFactory, PersonFactory, VisitPlanFactory

pytestmark = pytest.mark.django_db


def plan_form(client: Client, **changes) -> dict:
    """What the coordinator fills in: a morning visit on Monday and Wednesday."""
    today = timezone.localdate()
    return {
        "client": client.pk,
        "title": "Morning medication",
        "weekdays": ["0", "2"],
        "start_time": "08:00",
        "duration_minutes": "45",
        "carers_needed": "1",
        "starts_on": today.isoformat(),
        "ends_on": "",
        "tasks": "Breakfast\n\n  Empty the commode  ",
        "medicines": "Tablets in the blue box",
        "_save": "Save",
        **changes,
    }


def test_monday_and_wednesday_make_a_weekly_rule_and_future_visits(
    coordinator_client, gwen, medication
):

    page = coordinator_client.post(
        reverse("admin:rota_visitplan_add"),
        plan_form(gwen, credentials_needed=[medication.pk]),
        follow=True,
    )

    plan = VisitPlan.objects.get(client=gwen)
    assert plan.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
    # Tasks and medicines are written a line each; blank lines and spaces around are dropped.
    assert plan.tasks == ["Breakfast", "Empty the commode"]
    assert plan.medicines == ["Tablets in the blue box"]
    assert list(plan.credentials_needed.all()) == [medication]
    future = Shift.objects.filter(plan=plan, start__gt=timezone.now())
    assert future.exists()
    assert {timezone.localtime(s.start, s.circle.tz).weekday() for s in future} == {0, 2}
    assert f"{future.count()} visits are planned ahead" in page.text


def test_every_day_ticked_is_a_daily_rule(coordinator_client, gwen):
    coordinator_client.post(
        reverse("admin:rota_visitplan_add"),
        plan_form(gwen, weekdays=[str(day) for day in range(7)]),
    )

    assert VisitPlan.objects.get(client=gwen).rrule == "FREQ=DAILY"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weekdays": []}, "Tick at least one day of the week for this visit."),
        ({"carers_needed": "0"}, "A visit needs at least one carer."),
        ({"duration_minutes": "0"}, "A visit lasts between a minute and a day."),
        ({"duration_minutes": "1441"}, "A visit lasts between a minute and a day."),
        (
            {"ends_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "A plan cannot end before it starts.",
        ),
    ],
    ids=["no-weekday", "no-carer", "no-time", "over-a-day", "ends-before-it-starts"],
)
def test_a_plan_that_cannot_be_is_refused_in_plain_words(
    coordinator_client, gwen, changes, message
):
    page = coordinator_client.post(reverse("admin:rota_visitplan_add"), plan_form(gwen, **changes))

    assert page.status_code == 200
    assert message in page.text
    assert not VisitPlan.objects.exists()
    assert not Shift.objects.exists()


def test_an_existing_plan_shows_its_days_as_ticked_boxes(gwen):
    plan = VisitPlanFactory(client=gwen, rrule="FREQ=WEEKLY;BYDAY=TU,FR")

    assert VisitPlanForm(instance=plan)["weekdays"].value() == [1, 4]


def test_moving_a_plans_time_rewrites_its_future_visits_and_says_how_many(coordinator_client, gwen):
    coordinator_client.post(reverse("admin:rota_visitplan_add"), plan_form(gwen))
    plan = VisitPlan.objects.get(client=gwen)
    upcoming = Shift.objects.filter(plan=plan, start__gt=timezone.now()).count()

    page = coordinator_client.post(
        reverse("admin:rota_visitplan_change", args=[plan.pk]),
        plan_form(gwen, start_time="10:30"),
        follow=True,
    )

    assert f"{upcoming} future visits were rewritten" in page.text
    local_times = {
        timezone.localtime(shift.start, shift.circle.tz).time()
        for shift in Shift.objects.filter(plan=plan, start__gt=timezone.now())
    }
    assert local_times == {time(10, 30)}


def test_a_rule_that_repeats_hourly_is_not_a_care_plan(gwen):
    plan = VisitPlan(
        client=gwen,
        title="Checks",
        rrule="FREQ=HOURLY",
        starts_on=timezone.localdate(),
        start_time=time(8, 0),
        duration_minutes=30,
    )

    with pytest.raises(ValidationError) as refused:
        plan.full_clean()

    assert "rrule" in refused.value.message_dict


@pytest.mark.parametrize("typed", [":", "Gwen", "2026-05-04", " "])
def test_a_client_that_is_no_choice_is_told_not_an_error_page(coordinator_client, gwen, typed):
    """The client box is an autocomplete; what was posted in it (typed over, or forged) is
    shown back as no choice with the form's own words."""
    page = coordinator_client.post(
        reverse("admin:rota_visitplan_add"), {**plan_form(gwen), "client": typed}
    )

    assert page.status_code == 200
    assert "Select a valid choice" in page.text


# Skipped dates and lateness


def first_visit_ahead(plan: VisitPlan) -> Shift:
    return Shift.objects.filter(plan=plan, start__gt=timezone.now()).earliest("start")


def test_a_skipped_date_written_day_first_frees_that_days_visit(coordinator_client, gwen):
    coordinator_client.post(reverse("admin:rota_visitplan_add"), plan_form(gwen))
    plan = VisitPlan.objects.get(client=gwen)
    skipped = first_visit_ahead(plan)
    place = AssignmentFactory(shift=skipped, carer=PersonFactory())
    later = plan.starts_on + timedelta(days=200)

    coordinator_client.post(
        reverse("admin:rota_visitplan_change", args=[plan.pk]),
        plan_form(
            gwen,
            skipped_dates=f"{later:%d/%m/%Y}\n\n  {skipped.plan_date:%d/%m/%Y}  \n",
            late_after_minutes="20",
        ),
    )

    plan.refresh_from_db()
    assert plan.skipped_dates == [skipped.plan_date, later]
    assert plan.late_after == timedelta(minutes=20)
    skipped.refresh_from_db()
    place.refresh_from_db()
    assert skipped.status == ShiftStatus.NOT_NEEDED
    assert place.release_reason == ReleaseReason.NOT_IN_PLAN
    # The form shows the dates as it reads them, day first, one a line.
    page = coordinator_client.get(reverse("admin:rota_visitplan_change", args=[plan.pk]))
    assert f"{skipped.plan_date:%d/%m/%Y}\n{later:%d/%m/%Y}</textarea>" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"skipped_dates": "31/02/2027"},
            "“31/02/2027” is not a date: write one date a line, like 25/12/2026.",
        ),
        ({"skipped_dates": "next Tuesday"}, "“next Tuesday” is not a date"),
        ({"skipped_dates": "01/01/9999"}, "“01/01/9999” is too far off: choose dates between"),
        ({"late_after_minutes": "0"}, "A visit is late after between 1 and 120 minutes."),
        ({"late_after_minutes": "121"}, "A visit is late after between 1 and 120 minutes."),
    ],
    ids=["no-such-day", "words", "year-9999", "late-at-once", "late-after-two-hours"],
)
def test_skipped_dates_and_lateness_that_cannot_be_are_refused_in_plain_words(
    coordinator_client, gwen, changes, message
):
    page = coordinator_client.post(reverse("admin:rota_visitplan_add"), plan_form(gwen, **changes))

    assert page.status_code == 200
    assert message in page.text
    assert not VisitPlan.objects.exists()

"""Ana says, privately, that she is running low for a few days. One team leader hears, once,
so someone can check in: the first of those who answer for the circle where she has most
visits then. Nobody else hears; she is asked for cover last on those days; she can end it
when she is better. Days that make no sense, or someone else, change nothing."""

from datetime import date

import pytest
from django.urls import reverse

from circles import alerts, fairness
from circles.models import Membership, Notification, NotificationKind, Role
from rota import services
from rota.models import RunningLow
from tests.outcomes import refused
from tests.stories import MONDAY_MORNING, at, place, planned_visit

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

TUESDAY, THURSDAY = date(2026, 5, 5), date(2026, 5, 7)


@pytest.fixture
def said(story, eager, django_capture_on_commit_callbacks):
    """On Monday morning Ana says she is running low from Tuesday to Thursday."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.say_running_low(story.ana, TUESDAY, THURSDAY, actor=story.ana)


def test_one_team_leader_hears_once_and_nobody_else(story, said):
    told = Notification.objects.all()

    assert [(n.person, n.kind) for n in told] == [(story.rhian, NotificationKind.RUNNING_LOW)]
    message = told.get()
    assert message.title == "Ana says they are running low"
    assert message.body == (
        "From Tue 5 May to Thu 7 May. They will be asked to cover visits last on those days. "
        "Only you have been told, so that someone can check in with Ana."
    )
    assert message.link == reverse("leaders:circle", kwargs={"circle_id": story.circle.pk})
    assert not message.urgent

    assert alerts.tell_running_low(said.pk) is False
    assert Notification.objects.count() == 1


def test_the_leader_is_of_the_circle_where_she_has_most_visits_then(
    story, eager, django_capture_on_commit_callbacks
):
    Membership.objects.create(
        circle=story.pontypridd, person=story.ana, role=Role.CARER, started_on=date(2026, 1, 1)
    )
    for hour in (8, 12):
        place(planned_visit(story.dilys, at(5, hour)), story.ana)
    place(planned_visit(story.gwen, at(6, 8)), story.ana)

    with django_capture_on_commit_callbacks(execute=True):
        services.say_running_low(story.ana, TUESDAY, THURSDAY, actor=story.ana)

    # Pontypridd has no team leader today: its coordinator answers for it.
    assert [n.person for n in Notification.objects.all()] == [story.nerys]


def test_she_is_asked_for_cover_last_on_those_days(story, said):
    tuesday, friday = planned_visit(story.gwen, at(5, 12)), planned_visit(story.gwen, at(8, 12))
    carers = [story.ana, story.ben]

    on_tuesday = fairness.waves(story.circle, {carer: [tuesday] for carer in carers})
    on_friday = fairness.waves(story.circle, {carer: [friday] for carer in carers})

    assert on_tuesday == [[story.ben], [story.ana]]
    assert on_friday == [[story.ana, story.ben]]


def test_better_early_ends_it_from_today(story, said, frozen_now):
    frozen_now.move_to(at(6, 9))

    services.end_running_low(said, actor=story.ana)

    said.refresh_from_db()
    assert (said.first_day, said.last_day) == (TUESDAY, date(2026, 5, 5))
    with refused("already_over"):
        services.end_running_low(said, actor=story.ana)


def test_ended_before_it_began_it_is_forgotten(story, said):
    services.end_running_low(said, actor=story.ana)

    assert not RunningLow.objects.exists()


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (THURSDAY, TUESDAY, "end_before_start"),
        (date(2026, 5, 1), date(2026, 5, 3), "in_the_past"),
        (TUESDAY, date(2026, 6, 2), "too_long"),
    ],
)
def test_days_that_make_no_sense_change_nothing(story, first, last, code):
    with refused(code):
        services.say_running_low(story.ana, first, last, actor=story.ana)
    assert not RunningLow.objects.exists()


def test_twice_for_the_same_days_is_refused(story, said):
    with refused("already_said"):
        services.say_running_low(story.ana, THURSDAY, date(2026, 5, 9), actor=story.ana)
    assert RunningLow.objects.count() == 1


def test_only_she_says_it_or_ends_it(story, said):
    with refused("not_allowed"):
        services.say_running_low(story.ana, TUESDAY, THURSDAY, actor=story.rhian)
    with refused("not_allowed"):
        services.end_running_low(said, actor=story.ben)
    with refused("not_a_carer"):
        services.say_running_low(story.sian, TUESDAY, THURSDAY, actor=story.sian)

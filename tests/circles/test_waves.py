"""Calls for help and for cover ask first those who have given least lately and are rested,
then everyone else a few minutes later, and those running low last (docs/design.md, Who
hears what). Treforest's last four weeks: Ana did ten hours, Efa eight, Dai six, Ben and Cat
none, so Ben and Cat are below the circle's share; Cat finished a visit an hour ago, so she
is not rested; Dai has said he is running low this week. Asking again asks nobody twice,
and nobody once the visit is taken; the first to say yes still wins."""

from datetime import date, timedelta

import pytest

from circles import alerts, fairness, fanout, tasks
from circles.models import Notification, NotificationKind
from rota import services
from rota.models import HelpStatus, RunningLow
from rota.rules import Refusal
from tests.factories import carer
from tests.stories import MONDAY_MORNING, at, place, planned_visit

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]


def told(kind: NotificationKind) -> list[str]:
    """Who has been told, by first name, in order of name; someone told twice shows twice."""
    names = Notification.objects.filter(kind=kind).values_list("person__full_name", flat=True)
    return sorted(name.split()[0] for name in names)


@pytest.fixture
def treforest(story):
    story.dai = carer(story.circle, full_name="Dai Owen")
    story.efa = carer(story.circle, full_name="Efa Bowen")
    for day, person, hours in [(13, story.ana, 5), (20, story.ana, 5), (14, story.efa, 8)]:
        place(planned_visit(story.tom, at(day, 9, month=4), hours=hours), person)
    place(planned_visit(story.tom, at(15, 9, month=4), hours=6), story.dai)
    # Cat's early visit this morning ended at 08:00.
    place(planned_visit(story.tom, at(4, 6), hours=2), story.cat)
    RunningLow.objects.create(
        carer=story.dai, first_day=date(2026, 5, 4), last_day=date(2026, 5, 6)
    )
    return story


def names(waves) -> list[list[str]]:
    return [[person.get_short_name() for person in wave] for wave in waves]


def test_below_their_share_and_rested_first_running_low_last(treforest):
    now_visit = planned_visit(treforest.gwen, at(4, 9))
    everyone = [treforest.ana, treforest.ben, treforest.cat, treforest.dai]

    waves = fairness.waves(treforest.circle, {carer: [now_visit] for carer in everyone})

    assert names(waves) == [["Ben"], ["Ana", "Cat"], ["Dai"]]


def test_a_wave_left_empty_does_not_hold_the_next_back(treforest):
    visit = planned_visit(treforest.gwen, at(4, 9))

    waves = fairness.waves(treforest.circle, {treforest.dai: [visit]})

    assert names(waves) == [["Dai"]]


def test_near_their_own_enough_is_not_rested_enough_to_go_first(treforest):
    services.set_enough(treforest.ben, evenings=1, weekends=None, actor=treforest.ben)
    evening = planned_visit(treforest.gwen, at(6, 19))

    waves = fairness.waves(treforest.circle, {treforest.ben: [evening], treforest.cat: [evening]})

    # Cat is rested by Wednesday evening; one evening is all Ben wants, and this would be it.
    assert names(waves) == [["Cat"], ["Ben"]]


@pytest.fixture
def call(treforest, eager, django_capture_on_commit_callbacks):
    """Sian pressed "needs help now" for Gwen at nine."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.raise_help_request(treforest.gwen, actor=treforest.sian)


def test_a_call_for_help_asks_in_waves_three_minutes_apart(treforest, call, frozen_now):
    assert told(NotificationKind.HELP_NEEDED) == ["Ben"]

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=2, seconds=59))
    alerts.ask_next_waves()
    assert told(NotificationKind.HELP_NEEDED) == ["Ben"]

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=3))
    alerts.ask_next_waves()
    assert told(NotificationKind.HELP_NEEDED) == ["Ana", "Ben", "Cat", "Efa"]

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=6))
    alerts.ask_next_waves()
    alerts.ask_next_waves()
    assert told(NotificationKind.HELP_NEEDED) == ["Ana", "Ben", "Cat", "Dai", "Efa"]


def test_nobody_more_is_asked_once_a_carer_says_yes(treforest, call, frozen_now):
    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=1))
    services.accept_help_request(call, treforest.ben, actor=treforest.ben)

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=3))
    alerts.ask_next_waves()
    assert told(NotificationKind.HELP_NEEDED) == ["Ben"]

    # The first to say yes went: Ana, who was never asked, is told so if she tries.
    with pytest.raises(Refusal):
        services.accept_help_request(call, treforest.ana, actor=treforest.ana)


def test_anyone_may_answer_before_their_wave(treforest, call):
    services.accept_help_request(call, treforest.dai, actor=treforest.dai)

    call.refresh_from_db()
    assert call.status == HelpStatus.ACCEPTED


def test_escalated_the_call_is_everyones_at_once(treforest, call, frozen_now, settings):
    settings.HELP_WAVE_MINUTES = 20
    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=settings.HELP_ESCALATE_MINUTES))

    assert alerts.escalate_help_requests() == 1

    assert told(NotificationKind.HELP_NEEDED) == ["Ana", "Ben", "Cat", "Dai", "Efa"]
    assert sorted(told(NotificationKind.HELP_ESCALATED)) == ["Owain", "Rhian"]


@pytest.fixture
def efas_offer(treforest, eager, django_capture_on_commit_callbacks):
    """Efa gives away her Wednesday lunchtime visit to Gwen at nine."""
    efas = place(planned_visit(treforest.gwen, at(6, 12)), treforest.efa)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer(efas, actor=treforest.efa)
    return efas


def test_cover_is_asked_for_in_waves_ten_minutes_apart(treforest, efas_offer, frozen_now):
    # Cat is rested by Wednesday: she and Ben have given least, so they hear first.
    assert told(NotificationKind.NEEDS_COVER) == ["Ben", "Cat"]

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=9))
    fanout.ask_next_waves()
    assert told(NotificationKind.NEEDS_COVER) == ["Ben", "Cat"]

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=10))
    fanout.ask_next_waves()
    assert told(NotificationKind.NEEDS_COVER) == ["Ana", "Ben", "Cat"]

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=20))
    fanout.ask_next_waves()
    fanout.ask_next_waves()
    assert told(NotificationKind.NEEDS_COVER) == ["Ana", "Ben", "Cat", "Dai"]

    frozen_now.move_to(MONDAY_MORNING + timedelta(hours=1))
    assert fanout.ask_next_waves() == 0


def test_a_visit_taken_meanwhile_is_asked_for_no_more(treforest, efas_offer, frozen_now):
    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=5))
    offer = efas_offer.offers.get()
    services.take_offer(offer, treforest.cat, actor=treforest.cat)

    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=20))
    fanout.ask_next_waves()

    assert told(NotificationKind.NEEDS_COVER) == ["Ben", "Cat"]
    # Ben, a second later, is told it has just been taken.
    with pytest.raises(Refusal):
        services.take_offer(offer, treforest.ben, actor=treforest.ben)


def test_the_beats_every_minute_job_asks_the_next_waves(treforest, call, efas_offer, frozen_now):
    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=10))

    assert tasks.escalate_help_requests() == 1

    assert told(NotificationKind.HELP_NEEDED) == ["Ana", "Ben", "Cat", "Dai", "Efa"]
    assert told(NotificationKind.NEEDS_COVER) == ["Ana", "Ben", "Cat"]


# The shares (the carers, their places that count, those given away), the carers' places
# around the visits, their profiles and their running-low days.
WAVES_QUERIES = 6


@pytest.mark.parametrize("more", [0, 8])
def test_waves_cost_the_same_however_many_carers(treforest, django_assert_num_queries, more):
    others = [carer(treforest.circle, full_name=f"Carer {i}") for i in range(more)]
    visits = [planned_visit(treforest.gwen, at(6, 12)), planned_visit(treforest.tom, at(9, 19))]
    everyone = [treforest.ana, treforest.ben, treforest.cat, treforest.dai, *others]

    with django_assert_num_queries(WAVES_QUERIES):
        waves = fairness.waves(treforest.circle, {person: visits for person in everyone})

    assert sum(len(wave) for wave in waves) == len(everyone)

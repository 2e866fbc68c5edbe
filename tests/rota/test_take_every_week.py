"""“Take every week”: a carer takes each coming visit of a repeating plan on the same weekday
at the same time, each judged by the rules; those the rules stop stay with the circle and are
listed in words. One change, one audit event, and the family hear once who is coming."""

from datetime import date, time

import pytest

from circles import trail
from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from rota import services
from rota.generation import generate_shifts
from rota.models import AbsenceKind, Action, Assignment, AuditEvent, OfferStatus, Shift
from rota.rules import Refused
from rota.services.places import EveryWeek, every_week
from tests.factories import VisitPlanFactory
from tests.rota.test_concurrency import race
from tests.stories import WEDNESDAY_NOON, at, place

pytestmark = pytest.mark.usefixtures("story")

# The rota is made up to here (Tuesday 2 June is its last Tuesday): later weeks are not on it.
MADE_UNTIL = date(2026, 6, 3)


def plan_visits(client, rrule: str = "FREQ=WEEKLY;BYDAY=TU", at_time: time = time(8)):
    """A repeating plan of the client's from today, and its visits as the rota has made them."""
    plan = VisitPlanFactory(
        client=client, rrule=rrule, starts_on=WEDNESDAY_NOON.date(), start_time=at_time
    )
    generate_shifts(client.circle, WEDNESDAY_NOON.date(), MADE_UNTIL)
    return list(Shift.objects.filter(plan=plan).order_by("start"))


def held_by(person) -> list[Shift]:
    places = Assignment.objects.filter(carer=person, released_at__isnull=True)
    return [a.shift for a in places.select_related("shift").order_by("start")]


def test_every_tuesday_on_the_rota_becomes_hers_in_one_change(story):
    tuesdays = plan_visits(story.gwen)
    assert [s.start for s in tuesdays] == [at(d, 8) for d in (5, 12, 19, 26)] + [at(2, 8, month=6)]

    result = services.claim_every_week(tuesdays[0], story.ana, actor=story.ana)

    assert [a.shift for a in result.taken] == tuesdays
    assert result.refused == []
    assert held_by(story.ana) == tuesdays
    (event,) = AuditEvent.objects.filter(action=Action.CLAIM_EVERY_WEEK)
    assert event.after["shifts"] == [s.pk for s in tuesdays]
    assert event.actor_id == story.ana.pk and event.carer_ids == [story.ana.pk]
    (line,) = trail.describe([event])
    assert line.sentence == (
        "Ana Price took Gwen's 08:00 visit on Tue 5 May every week: "
        "5 visits, the last on Tue 2 Jun."
    )


def test_a_week_the_rules_stop_stays_with_the_circle_and_is_said_in_words(story):
    tuesdays = plan_visits(story.gwen)
    services.record_absence(story.ana, AbsenceKind.HOLIDAY, at(11, 0), at(13, 0), actor=story.ana)

    result = services.claim_every_week(tuesdays[0], story.ana, actor=story.ana)

    assert held_by(story.ana) == [tuesdays[0], *tuesdays[2:]]
    assert result.refused_in_words == [
        "Tue 12 May: You are off (holiday) from Mon 11 May 00:00 to Wed 13 May 00:00."
    ]
    assert not tuesdays[1].assignments.exists()


def test_only_the_same_weekday_and_time_of_the_same_plan(story):
    weekdays = plan_visits(story.gwen, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    plan_visits(story.gwen, "FREQ=WEEKLY;BYDAY=TU", time(18))  # Tuesday evenings: another plan
    first_tuesday = next(s for s in weekdays if s.start == at(5, 8))

    services.claim_every_week(first_tuesday, story.ana, actor=story.ana)

    assert [s.start for s in held_by(story.ana)] == [at(d, 8) for d in (5, 12, 19, 26)] + [
        at(2, 8, month=6)
    ]


def test_visits_already_covered_are_left_alone_and_one_given_away_is_taken(story):
    tuesdays = plan_visits(story.gwen)
    place(tuesdays[1], story.cat)  # covered: nothing to take
    bens = place(tuesdays[2], story.ben)
    offer = services.offer(bens, actor=story.ben)

    result = services.claim_every_week(tuesdays[0], story.ana, actor=story.ana)

    assert [a.shift for a in result.taken] == [tuesdays[0], *tuesdays[2:]]
    assert held_by(story.cat) == [tuesdays[1]] and held_by(story.ben) == []
    offer.refresh_from_db()
    assert offer.status == OfferStatus.TAKEN
    event = AuditEvent.objects.get(action=Action.CLAIM_EVERY_WEEK)
    assert event.carer_ids == sorted([story.ana.pk, story.ben.pk])

    tell_people(event.pk)
    (bens_note,) = Notification.objects.filter(
        person=story.ben, kind=NotificationKind.SHIFT_CHANGED
    )
    assert bens_note.title == "Ana took your visit to Gwen on Tue 19 May 08:00"


def test_the_family_hear_once_who_is_coming_with_every_date(story):
    tuesdays = plan_visits(story.gwen)
    services.claim_every_week(tuesdays[0], story.ana, actor=story.ana)

    tell_people(AuditEvent.objects.get(action=Action.CLAIM_EVERY_WEEK).pk)

    (note,) = Notification.objects.filter(person=story.sian)
    assert note.title == "5 visits have changed, and someone new is coming"
    assert "Someone new is coming to Gwen: Ana, on Tue 2 Jun 08:00" in note.body
    assert not Notification.objects.filter(person=story.ana).exists()


def test_nothing_left_to_take_is_said_and_changes_nothing(story):
    tuesdays = plan_visits(story.gwen)
    for shift in tuesdays:
        place(shift, story.cat)

    with pytest.raises(Refused) as refused:
        services.claim_every_week(tuesdays[0], story.ana, actor=story.ana)

    assert refused.value.code == "nothing_to_take"
    assert held_by(story.ana) == []
    assert not AuditEvent.objects.filter(action=Action.CLAIM_EVERY_WEEK).exists()


def test_nobody_takes_visits_every_week_for_someone_else(story):
    tuesdays = plan_visits(story.gwen)

    with pytest.raises(Refused) as refused:
        services.claim_every_week(tuesdays[0], story.ana, actor=story.ben)

    assert refused.value.code == "not_allowed"
    assert held_by(story.ana) == []


def test_a_visit_with_no_plan_does_not_repeat(story):
    shift = plan_visits(story.gwen)[0]
    shift.plan = None

    assert every_week(shift, story.ana, now=WEDNESDAY_NOON) == []


@pytest.mark.django_db(transaction=True)
def test_two_carers_taking_every_week_at_once_never_share_a_place(story):
    tuesdays = plan_visits(story.gwen)
    carers = [story.ana, story.ben]

    results = race(2, lambda i: services.claim_every_week(tuesdays[0], carers[i], actor=carers[i]))

    held = Assignment.objects.filter(shift__in=tuesdays, released_at__isnull=True)
    assert sorted(held.values_list("shift_id", flat=True)) == [s.pk for s in tuesdays]
    taken = [len(r.taken) for r in results if isinstance(r, EveryWeek)]
    assert sum(taken) == len(tuesdays), results
    for result in results:
        # The one who came second is told, in words, that the visits were just taken.
        if isinstance(result, Refused):
            assert result.code == "nothing_to_take"
        elif not result.taken:
            assert all("has just been taken" in line for line in result.refused_in_words)

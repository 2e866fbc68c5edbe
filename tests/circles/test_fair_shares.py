"""Fair shares: what each of Treforest's carers gives the circle over the last four weeks and
the next two, counted the same for paid and unpaid carers.

It is Monday 4 May, 09:00. Ana did two Saturday evenings and a night in April, and a morning
whose times she recorded; a visit she missed and one her time off took from her do not
count. She gave a Sunday evening in May away to Ben. Ben and Ana swapped two visits, which
neither gives nor picks up. Cat took a visit Ana's time off left, and is on her way to a call
for help for Gwen. Eli cares in Pontypridd, not here.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from circles.fairness import Share, shares
from rota import services
from rota.models import AbsenceKind
from tests.stories import MONDAY_MORNING, at, place, planned_visit, visited

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

PAST, AHEAD = timedelta(days=28), timedelta(days=14)


@pytest.fixture
def april_and_may(story):
    ana, ben, cat, gwen, tom = story.ana, story.ben, story.cat, story.gwen, story.tom
    # Saturday evenings in April, and a night from Tuesday to Wednesday.
    place(planned_visit(gwen, at(18, 19, month=4), hours=2), ana)
    place(planned_visit(gwen, at(25, 19, month=4), hours=2), ana)
    place(planned_visit(gwen, at(28, 23, month=4), hours=2), ana)
    # Thursday morning: she recorded 08:05 to 09:35, an hour and a half.
    morning = place(planned_visit(tom, at(30, 8, month=4)), ana)
    visited(morning, at(30, 8, 5, month=4), at(30, 9, 35, month=4))
    # Friday: missed, so not done.
    place(planned_visit(tom, at(1, 8)), ana, missed=True)
    # Ana gives Sunday 10 May's evening away, and Ben takes it.
    sunday = place(planned_visit(gwen, at(10, 18, 30)), ana)
    offer = services.offer(sunday, actor=ana)
    services.take_offer(offer, ben, actor=ben)
    # Ana and Ben swap Tuesday's and Wednesday's mornings.
    anas_tuesday = place(planned_visit(tom, at(12, 10)), ana)
    bens_wednesday = place(planned_visit(gwen, at(13, 10)), ben)
    swap = services.propose_swap(anas_tuesday, bens_wednesday, actor=ana)
    services.accept_swap(swap, actor=ben)
    # Ana is on a course on Thursday 7 May: Cat takes the visit it left.
    course = planned_visit(tom, at(7, 14))
    place(course, ana)
    services.record_absence(ana, AbsenceKind.TRAINING, at(7, 9), at(7, 17), actor=ana)
    services.claim(course, cat, actor=cat)
    # Gwen needs help now, and Cat goes.
    call = services.raise_help_request(gwen, actor=story.sian)
    services.accept_help_request(call, cat, actor=cat)
    # Pontypridd's carer does a visit there; a visit of Treforest's outside the window.
    place(planned_visit(story.dilys, at(5, 19)), story.eli)
    place(planned_visit(gwen, at(25, 19)), ana)
    return story


def the_shares(story) -> dict[int, Share]:
    now = timezone.now()
    return shares(story.circle, now - PAST, now + AHEAD)


def test_each_carer_of_the_circle_has_a_share_and_nobody_else(april_and_may):
    story = april_and_may

    found = the_shares(story)

    assert set(found) == {story.ana.pk, story.ben.pk, story.cat.pk}
    assert all(found[pk].carer_id == pk for pk in found)


def test_evenings_nights_and_weekends_are_counted_in_the_circles_time(april_and_may):
    ana = the_shares(april_and_may)[april_and_may.ana.pk]

    # Two Saturday evenings, a night, Thursday's morning, and Wednesday's morning by the swap.
    assert ana.visits == 5
    assert (ana.evenings, ana.nights, ana.weekends) == (2, 1, 2)
    # 2 + 2 + 2 planned hours, an hour and a half recorded, an hour ahead.
    assert ana.hours == pytest.approx(8.5)


def test_a_visit_given_away_counts_for_whoever_took_it(april_and_may):
    found = the_shares(april_and_may)
    ana, ben = found[april_and_may.ana.pk], found[april_and_may.ben.pk]

    assert (ana.given, ana.taken) == (1, 0)
    assert (ben.given, ben.taken) == (0, 1)
    # The Sunday evening is Ben's now, and Tuesday's morning by the swap.
    assert (ben.visits, ben.evenings, ben.weekends) == (2, 1, 1)
    assert ben.hours == pytest.approx(2)


def test_covering_time_off_and_answering_a_call_for_help(april_and_may):
    cat = the_shares(april_and_may)[april_and_may.cat.pk]

    # The visit Ana's course left, and the call for help under way.
    assert cat.visits == 2
    assert cat.taken == 1
    assert cat.help_answered == 1
    assert cat.given == 0


def test_only_visits_in_the_window_count(april_and_may):
    story = april_and_may
    now = timezone.now()

    past = shares(story.circle, now - PAST, now)
    ahead = shares(story.circle, now, now + AHEAD)

    assert past[story.ana.pk].visits == 4 and ahead[story.ana.pk].visits == 1
    assert past[story.ana.pk] + ahead[story.ana.pk] == the_shares(story)[story.ana.pk]
    assert ahead[story.ben.pk].given == 0 and ahead[story.ana.pk].given == 1
    # Later in May only Ana has a visit, on the 25th; the others have a share of nothing.
    later = shares(story.circle, at(19, 0), at(1, 0, month=6))
    assert (later[story.ana.pk].visits, later[story.ana.pk].evenings) == (1, 1)
    assert later[story.ben.pk] == Share(carer_id=story.ben.pk)
    # In March they were not members yet.
    assert shares(story.circle, at(1, 0, month=3), at(1, 0, month=4)) == {}


def test_a_carer_who_left_keeps_their_share_of_the_window(april_and_may, django_assert_num_queries):
    story = april_and_may
    story.ana.memberships.filter(circle=story.circle).update(
        started_on=at(1, 0, month=3).date(), ended_on=at(2, 0).date()
    )

    with django_assert_num_queries(3):
        found = the_shares(story)

    assert found[story.ana.pk].evenings == 2


@pytest.mark.parametrize(
    ("hour", "minute", "evening", "night"),
    [
        (17, 59, 0, 0),
        (18, 0, 1, 0),
        (21, 59, 1, 0),
        # 22:00 in London in May is 21:00 in UTC: a night all the same.
        (22, 0, 0, 1),
        (0, 30, 0, 1),
        (6, 59, 0, 1),
        (7, 0, 0, 0),
    ],
)
def test_evenings_and_nights_start_on_the_hour_in_the_circles_time(
    story, hour, minute, evening, night
):
    # Wednesday 6 May: not a weekend.
    place(planned_visit(story.tom, at(6, hour, minute)), story.ben)

    ben = the_shares(story)[story.ben.pk]

    assert (ben.visits, ben.evenings, ben.nights, ben.weekends) == (1, evening, night, 0)

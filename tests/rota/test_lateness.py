"""Late and missed visits (docs/design.md, Changes to the rota): a visit nobody arrives at is
chased once each step (the carer at N, the circle at 2N, the team leaders at 3N, or 2N for an
essential visit), and missed when it ends; an arrival at any step stops the rest.

Ana's visit to Gwen is on Monday 4 May, 08:00 to 09:00; the beat runs every minute.
"""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection

from circles import payroll
from circles.alerts import escalate_help_requests
from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from circles.trail import describe
from rota import services
from rota.familiarity import visited_pairs
from rota.lateness import check_late_visits
from rota.models import (
    Action,
    Assignment,
    AuditEvent,
    HelpRequest,
    HelpStatus,
    LateStep,
    LateVisitStep,
    ReleaseReason,
    Shift,
    VisitRecord,
)
from tests.outcomes import refused
from tests.stories import at, place, planned_visit

START = at(4, 8)
STEPS = [LateStep.CARER_ASKED, LateStep.CIRCLE_ASKED, LateStep.LEADERS_ALERTED, LateStep.MISSED]

pytestmark = [pytest.mark.django_db, pytest.mark.now(START)]


def every_minute(traveller, until: int, *, since: int = 0) -> int:
    """The beat: a run each minute from `since` to `until` minutes after the start."""
    taken = 0
    for minute in range(since, until + 1):
        traveller.move_to(START + timedelta(minutes=minute))
        taken += check_late_visits()
    return taken


def timeline(shift: Shift) -> dict[str, int]:
    """Minutes from the visit's start to each step taken."""
    return {
        step.step: int((step.at - shift.start).total_seconds() // 60)
        for step in LateVisitStep.objects.filter(shift=shift)
    }


def messages(person, key_part: str = "late-visit") -> list[str]:
    return list(
        person.notifications.filter(key__contains=key_part)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def arrive(assignment: Assignment, when: datetime) -> VisitRecord:
    return VisitRecord.objects.create(assignment=assignment, arrived_at=when)


@pytest.fixture
def anas_visit(gwen, ana, sian, rhian, owain):
    shift = planned_visit(gwen, START)
    place(shift, ana)
    return shift


def test_nobody_arrives_carer_then_circle_then_one_leader_alert_then_missed(
    frozen_now, anas_visit, gwen, ana, sian, rhian, owain
):
    assert every_minute(frozen_now, 120) == 4

    assert timeline(anas_visit) == {
        LateStep.CARER_ASKED: 15,
        LateStep.CIRCLE_ASKED: 30,
        LateStep.LEADERS_ALERTED: 45,
        LateStep.MISSED: 60,
    }
    # Ana was asked once, with a link to her one-tap answers.
    [nudge] = ana.notifications.filter(key__startswith="late-visit")
    assert nudge.title == "Are you on your way to Gwen?"
    assert "started 15 minutes ago" in nudge.body
    assert nudge.link == f"/shifts/mine/{anas_visit.assignments.get().pk}/late/"
    assert nudge.urgent
    # The circle was asked as a call for help until the visit's end, linked to the step.
    request = HelpRequest.objects.get(client=gwen)
    assert request.shift.end == anas_visit.end
    assert LateVisitStep.objects.get(step=LateStep.CIRCLE_ASKED).help_request == request
    # The team leaders were alerted once each, where they can say they are on it.
    for leader in (rhian, owain):
        [alert] = leader.notifications.all()
        assert alert.kind == NotificationKind.HELP_ESCALATED
        assert alert.title == "Nobody has arrived at Gwen's 08:00 visit"
        assert alert.link == f"/leaders/circles/{anas_visit.circle_id}/"
    request.refresh_from_db()
    assert request.escalated_at == START + timedelta(minutes=45)
    # ...and the call's own escalation does not alert them a second time.
    frozen_now.move_to(START + timedelta(hours=3))
    assert escalate_help_requests() == 0
    assert Notification.objects.filter(person__in=[rhian, owain]).count() == 2
    # Sian heard it was running late, then that it was missed: once each.
    assert messages(sian) == [
        "The 08:00 visit to Gwen is running late",
        "The 08:00 visit to Gwen was missed",
    ]
    assert sian.notifications.get(key__endswith="circle_asked").link == (
        f"/family/help/{request.pk}/"
    )
    # Missed: Ana's place is marked, the trail says who was on it, and the call is off.
    assert Assignment.objects.get(shift=anas_visit).missed
    missed = AuditEvent.objects.get(action=Action.VISIT_MISSED)
    assert missed.carer_ids == [ana.pk] and missed.after == {"shift": anas_visit.pk}
    late = AuditEvent.objects.filter(action=Action.VISIT_LATE).order_by("pk")
    assert [e.after["step"] for e in late] == STEPS[:3]
    assert all(e.after["shift"] == anas_visit.pk for e in late)
    assert HelpRequest.objects.get(pk=request.pk).status == HelpStatus.CANCELLED
    sentences = [line.sentence for line in describe(list(AuditEvent.objects.all()))]
    assert any("was missed: Ana" in s and "didn't arrive" in s for s in sentences), sentences


def test_gwen_herself_is_spoken_to(frozen_now, anas_visit, gwen_herself):
    every_minute(frozen_now, 60)
    assert messages(gwen_herself) == [
        "Your 08:00 visit is running late",
        "Your 08:00 visit was missed",
    ]


def test_an_essential_visit_alerts_the_team_leaders_at_once_after_2n(frozen_now, gwen, ana, rhian):
    shift = planned_visit(gwen, START, essential=True)
    place(shift, ana)
    every_minute(frozen_now, 120)
    assert timeline(shift) == {
        LateStep.CARER_ASKED: 10,
        LateStep.CIRCLE_ASKED: 20,
        LateStep.LEADERS_ALERTED: 20,
        LateStep.MISSED: 60,
    }
    assert rhian.notifications.count() == 1


def test_a_plan_says_its_own_n(frozen_now, anas_visit):
    anas_visit.plan.late_after_minutes = 5
    anas_visit.plan.save()
    every_minute(frozen_now, 60)
    assert timeline(anas_visit) == {
        LateStep.CARER_ASKED: 5,
        LateStep.CIRCLE_ASKED: 10,
        LateStep.LEADERS_ALERTED: 15,
        LateStep.MISSED: 60,
    }


@pytest.mark.parametrize("minute", [3, 20, 35, 50])
def test_an_arrival_at_any_step_stops_the_rest(frozen_now, anas_visit, gwen, ana, rhian, minute):
    every_minute(frozen_now, minute - 1)
    before = timeline(anas_visit)
    arrive(anas_visit.assignments.get(), START + timedelta(minutes=minute))

    assert every_minute(frozen_now, 120, since=minute) == 0

    assert timeline(anas_visit) == before
    assert not Assignment.objects.get(shift=anas_visit).missed
    assert not AuditEvent.objects.filter(action=Action.VISIT_MISSED).exists()
    request = HelpRequest.objects.filter(client=gwen).first()
    if LateStep.CIRCLE_ASKED in before:
        # Nobody had said yes: the next run called it off, as the system.
        assert request.status == HelpStatus.CANCELLED
        assert request.closed_at == START + timedelta(minutes=minute)
        cancel = AuditEvent.objects.get(action=Action.CANCEL_HELP_REQUEST)
        assert cancel.actor_id is None
    else:
        assert request is None
    assert rhian.notifications.count() == (1 if minute > 45 else 0)


def test_a_call_for_help_someone_answered_is_not_called_off_and_their_arrival_counts(
    frozen_now, anas_visit, gwen, ben, rhian
):
    every_minute(frozen_now, 32)
    request = HelpRequest.objects.get(client=gwen)
    going = services.accept_help_request(request, ben, actor=ben)
    # Ben said yes: the team leaders are not alerted while he is on his way.
    every_minute(frozen_now, 40, since=33)
    arrive(going, START + timedelta(minutes=41))
    every_minute(frozen_now, 120, since=41)

    assert HelpRequest.objects.get(pk=request.pk).status == HelpStatus.ACCEPTED
    assert set(timeline(anas_visit)) == {LateStep.CARER_ASKED, LateStep.CIRCLE_ASKED}
    assert rhian.notifications.count() == 0
    assert not AuditEvent.objects.filter(action=Action.VISIT_MISSED).exists()


def test_a_visit_nobody_holds_goes_to_the_circle_at_n(frozen_now, gwen, sian, rhian):
    shift = planned_visit(gwen, START)
    every_minute(frozen_now, 120)
    assert timeline(shift) == {
        LateStep.CIRCLE_ASKED: 15,
        LateStep.LEADERS_ALERTED: 45,
        LateStep.MISSED: 60,
    }
    assert AuditEvent.objects.get(action=Action.VISIT_MISSED).carer_ids == []
    assert messages(sian) == [
        "The 08:00 visit to Gwen is running late",
        "The 08:00 visit to Gwen was missed",
    ]


def test_a_double_up_with_one_carer_arrived_is_not_late(frozen_now, gwen, ana, ben):
    """Someone is with the client: the visit is not chased, nor missed, nor is the carer
    who did not come marked (the one there can say so)."""
    shift = planned_visit(gwen, START, carers_needed=2)
    anas, bens = place(shift, ana), place(shift, ben)
    arrive(anas, START + timedelta(minutes=2))
    assert every_minute(frozen_now, 120) == 0
    assert not Assignment.objects.filter(pk__in=[anas.pk, bens.pk], missed=True).exists()


def test_a_double_up_nobody_arrives_at_asks_both_and_marks_both_missed(frozen_now, gwen, ana, ben):
    shift = planned_visit(gwen, START, carers_needed=2)
    place(shift, ana), place(shift, ben)
    every_minute(frozen_now, 120)
    assert len(messages(ana)) == len(messages(ben)) == 1
    assert Assignment.objects.filter(shift=shift, missed=True).count() == 2
    assert sorted(AuditEvent.objects.get(action=Action.VISIT_MISSED).carer_ids) == sorted(
        [ana.pk, ben.pk]
    )


def test_visits_not_on_are_left_alone(frozen_now, gwen, ana):
    frozen_now.move_to(START - timedelta(hours=1))
    cancelled = planned_visit(gwen, START)
    place(cancelled, ana)
    services.cancel_shift(cancelled, "In hospital")
    assert every_minute(frozen_now, 120) == 0


# --- the carer's answers ---------------------------------------------------------------------


def test_on_my_way_holds_the_circle_back_until_then(frozen_now, anas_visit, ana):
    every_minute(frozen_now, 16)
    mine = anas_visit.assignments.get()
    services.on_my_way(mine, 20, actor=ana)

    mine.refresh_from_db()
    assert mine.expected_at == START + timedelta(minutes=36)
    said = AuditEvent.objects.get(action=Action.ON_MY_WAY)
    assert said.after == {"shift": anas_visit.pk, "expected_at": mine.expected_at.isoformat()}
    assert said.actor_id == ana.pk
    every_minute(frozen_now, 120, since=17)
    # Asked at 36, when she was not there as she said; the team leaders at 45 as planned.
    assert timeline(anas_visit) == {
        LateStep.CARER_ASKED: 15,
        LateStep.CIRCLE_ASKED: 36,
        LateStep.LEADERS_ALERTED: 45,
        LateStep.MISSED: 60,
    }


def test_on_my_way_refusals(frozen_now, anas_visit, ana, ben):
    frozen_now.move_to(START + timedelta(minutes=16))
    mine = anas_visit.assignments.get()
    with refused("not_allowed"):
        services.on_my_way(mine, 10, actor=ben)
    with refused("on_my_way_minutes"):
        services.on_my_way(mine, 45, actor=ana)
    with refused("on_my_way_minutes"):
        services.on_my_way(mine, 0, actor=ana)
    arrive(mine, START + timedelta(minutes=17))
    with refused("arrived"):
        services.on_my_way(mine, 10, actor=ana)


def test_no_answers_once_the_visit_is_over(frozen_now, anas_visit, ana):
    frozen_now.move_to(anas_visit.end)
    mine = anas_visit.assignments.get()
    with refused("visit_over"):
        services.on_my_way(mine, 10, actor=ana)
    with refused("visit_over"):
        services.cant_make_it(mine, actor=ana)


def test_cant_make_it_refusals(frozen_now, anas_visit, ana, ben):
    frozen_now.move_to(START + timedelta(minutes=16))
    mine = anas_visit.assignments.get()
    with refused("not_allowed"):
        services.cant_make_it(mine, actor=ben)
    services.cant_make_it(mine, actor=ana)
    with refused("not_held"):
        services.cant_make_it(mine, actor=ana)
    with refused("not_held"):
        services.on_my_way(mine, 10, actor=ana)


def test_cant_make_it_gives_the_place_back_and_the_circle_is_asked_at_once(
    frozen_now, anas_visit, gwen, ana, sian
):
    every_minute(frozen_now, 16)
    mine = anas_visit.assignments.get()
    services.cant_make_it(mine, actor=ana)

    mine.refresh_from_db()
    assert mine.release_reason == ReleaseReason.CANT_MAKE_IT and not mine.is_held
    event = AuditEvent.objects.get(action=Action.CANT_MAKE_IT)
    assert event.after == {"shift": anas_visit.pk, "released": [mine.pk]}
    assert event.carer_ids == [ana.pk]
    request = HelpRequest.objects.get(client=gwen, status=HelpStatus.ASKED)
    assert request.shift.end == anas_visit.end
    # The visit is under way: nobody is asked to "take" it, nor is Sian told twice. The next
    # run takes the circle step with the call for help she made, and Sian hears once.
    tell_people(event.pk)
    assert messages(sian, "") == []
    every_minute(frozen_now, 120, since=17)
    assert timeline(anas_visit) == {
        LateStep.CARER_ASKED: 15,
        LateStep.CIRCLE_ASKED: 17,
        LateStep.LEADERS_ALERTED: 45,
        LateStep.MISSED: 60,
    }
    assert LateVisitStep.objects.get(step=LateStep.CIRCLE_ASKED).help_request == request
    assert messages(sian) == [
        "The 08:00 visit to Gwen is running late",
        "The 08:00 visit to Gwen was missed",
    ]
    # Released, not missed: Ana said so.
    assert not Assignment.objects.get(pk=mine.pk).missed
    sentences = [line.sentence for line in describe([event])]
    assert "couldn't make" in sentences[0]


def test_cant_make_it_before_the_visit_asks_the_circle_to_cover_it(
    frozen_now, gwen, ana, ben, sian
):
    shift = planned_visit(gwen, START + timedelta(hours=2))
    mine = place(shift, ana)
    services.cant_make_it(mine, actor=ana)
    event = AuditEvent.objects.get(action=Action.CANT_MAKE_IT)
    tell_people(event.pk)
    [told] = sian.notifications.all()
    assert told.title == "Ana can't come to Gwen on Mon 4 May 10:00"
    assert told.body == "The circle is finding someone else."
    assert ben.notifications.get().kind == NotificationKind.NEEDS_COVER
    assert not ana.notifications.exists()
    assert not HelpRequest.objects.exists()


# --- continuity and payroll ------------------------------------------------------------------


def test_a_missed_place_counts_for_neither_continuity_nor_payroll(frozen_now, anas_visit, ana):
    after = START + timedelta(minutes=61)
    pair = (anas_visit.client_id, ana.pk)
    mine = anas_visit.assignments.get()
    # Over and not marked, it would count as done.
    assert list(payroll.visits_done(after)) == [mine]
    assert visited_pairs([pair], now=after) == {pair}

    every_minute(frozen_now, 61)

    assert list(payroll.visits_done(after)) == []
    assert visited_pairs([pair], now=after) == set()


def test_a_tap_sent_after_the_visit_was_marked_missed_counts_it_done(frozen_now, anas_visit, ana):
    """The phone was offline at the door: its "I've arrived" reaches the server after the
    visit ended and was marked missed, carrying the time it was tapped."""
    every_minute(frozen_now, 61)
    mine = anas_visit.assignments.get()
    assert mine.missed

    services.arrive(mine, at=START + timedelta(minutes=5), actor=ana)

    mine.refresh_from_db()
    assert not mine.missed
    assert list(payroll.visits_done(START + timedelta(minutes=61))) == [mine]
    assert AuditEvent.objects.get(action=Action.ARRIVE).after["was_missed"] is True


# --- at the same moment ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("essential", [False, True])
def test_twenty_runs_at_the_same_moment_take_each_step_once(
    frozen_now, gwen, ana, sian, rhian, essential
):
    shift = planned_visit(gwen, START, essential=essential)
    place(shift, ana)
    late = shift.late_after
    # At each moment, how many steps are due: an essential visit alerts together with 2N.
    due = {late: 1, 2 * late: 2 if essential else 1, 3 * late: 0 if essential else 1}
    for moment, steps in [*due.items(), (timedelta(hours=1), 1)]:
        frozen_now.move_to(START + moment)
        results = race(20, lambda: check_late_visits())
        assert all(isinstance(r, int) for r in results), results
        # The steps due at that moment, taken by one run or another, once.
        assert sum(results) == steps
    assert LateVisitStep.objects.filter(shift=shift).count() == 4
    assert sorted(timeline(shift).values()) == sorted(
        [15, 30, 45, 60] if not essential else [10, 20, 20, 60]
    )
    assert ana.notifications.filter(key__startswith="late-visit").count() == 1
    assert sian.notifications.filter(key__startswith="late-visit").count() == 2
    assert rhian.notifications.filter(kind=NotificationKind.HELP_ESCALATED).count() == 1
    assert HelpRequest.objects.filter(client=gwen).count() == 1
    assert AuditEvent.objects.filter(action=Action.VISIT_LATE).count() == 3
    assert AuditEvent.objects.filter(action=Action.VISIT_MISSED).count() == 1


def race(count: int, attempt) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = attempt()
        except Exception as error:  # asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("essential", [False, True])
@pytest.mark.parametrize("offset", [0, 25, 59])
def test_each_step_comes_within_one_beat_of_its_time(frozen_now, gwen, ana, essential, offset):
    """The beat runs every minute, whenever its minute falls: each step is taken at most a
    minute after it is due. (N=15: 15, 30, 45, missed at the end; N=10: 10, 20, 20.)"""
    shift = planned_visit(gwen, START, essential=essential)
    place(shift, ana)
    for minute in range(121):
        frozen_now.move_to(START + timedelta(minutes=minute, seconds=offset))
        check_late_visits()
    n = 10 if essential else 15
    due = {
        LateStep.CARER_ASKED: n,
        LateStep.CIRCLE_ASKED: 2 * n,
        LateStep.LEADERS_ALERTED: (2 if essential else 3) * n,
        LateStep.MISSED: 60,
    }
    for step in LateVisitStep.objects.filter(shift=shift):
        late_by = step.at - (START + timedelta(minutes=due[step.step]))
        assert timedelta(0) <= late_by < timedelta(minutes=1), (step.step, late_by)
    assert LateVisitStep.objects.filter(shift=shift).count() == 4

"""Gwen goes into hospital on Friday 1 May, 10:00 until Friday 8 May, 10:00: every visit that
starts in that time is not needed, her essential tablets too, and each carer freed hears it
once. She comes home early on Tuesday 5 May, 12:00: the visits from then on are back, with
their carers where the rules allow, and the rest go to the circle for cover."""

from datetime import date, time, timedelta

import pytest

from circles import trail
from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from rota import services
from rota.generation import generate_shifts
from rota.models import (
    AuditEvent,
    AwayReason,
    ClientAway,
    ReleaseReason,
    Shift,
    ShiftStatus,
)
from tests.factories import VisitPlanFactory
from tests.outcomes import holders, refused
from tests.stories import at, place, planned_visit, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

HOSPITAL = (at(1, 10), at(8, 10))
HOME_EARLY = at(5, 12)


@pytest.fixture
def gwens_week(gwen, ana, ben):
    """Gwen's visits: Friday 1 May 08:00 (before she leaves), tablets (essential) at 11:00 on
    Friday and Saturday, Ana's; lunch on Sunday and on Wednesday 6 May, Ben's; tea on Thursday
    7 May, nobody's yet."""
    return {
        "before": place(planned_visit(gwen, at(1, 8)), ana).shift,
        "tablets_fri": place(planned_visit(gwen, at(1, 11), essential=True), ana).shift,
        "tablets_sat": place(planned_visit(gwen, at(2, 11), essential=True), ana).shift,
        "lunch_sun": place(planned_visit(gwen, at(3, 12)), ben).shift,
        "lunch_wed": place(planned_visit(gwen, at(6, 12)), ben).shift,
        "tea_thu": planned_visit(gwen, at(7, 16)),
    }


def statuses(shifts: dict[str, Shift]) -> dict[str, str]:
    for shift in shifts.values():
        shift.refresh_from_db()
    return {name: shift.status for name, shift in shifts.items()}


def told(person) -> list[Notification]:
    return list(Notification.objects.filter(person=person).order_by("pk"))


# Going away


def test_every_visit_starting_inside_the_time_away_is_not_needed_essential_ones_too(
    now, circle, gwen, ana, ben, rhian, gwens_week
):
    away = services.record_client_away(gwen, *HOSPITAL, reason=AwayReason.HOSPITAL, actor=rhian)

    assert statuses(gwens_week) == {
        "before": ShiftStatus.PLANNED,
        "tablets_fri": ShiftStatus.NOT_NEEDED,
        "tablets_sat": ShiftStatus.NOT_NEEDED,
        "lunch_sun": ShiftStatus.NOT_NEEDED,
        "lunch_wed": ShiftStatus.NOT_NEEDED,
        "tea_thu": ShiftStatus.NOT_NEEDED,
    }
    assert holders(gwens_week["before"]) == [ana]
    assert set(away.freed_shifts.all()) == {
        gwens_week[name]
        for name in ("tablets_fri", "tablets_sat", "lunch_sun", "lunch_wed", "tea_thu")
    }
    released = list(away.released.all())
    assert len(released) == 4
    assert {a.release_reason for a in released} == {ReleaseReason.CLIENT_AWAY}
    assert {a.released_at for a in released} == {now}
    event = AuditEvent.objects.get(action="record_client_away")
    assert event.actor_id == rhian.pk and event.circle_id == circle.pk
    assert sorted(event.carer_ids) == sorted([ana.pk, ben.pk])
    assert event.after["reason"] == "hospital"
    assert event.after["start"] == HOSPITAL[0].isoformat()
    assert sorted(event.after["released"]) == sorted(a.pk for a in released)


def test_each_carer_freed_is_told_once_in_words_that_fit(gwen, ana, ben, cat, rhian, gwens_week):
    services.record_client_away(gwen, *HOSPITAL, reason=AwayReason.HOSPITAL, actor=rhian)

    assert tell_people(AuditEvent.objects.get(action="record_client_away").pk) == 2

    [to_ana] = told(ana)
    assert to_ana.kind == NotificationKind.SHIFT_CHANGED
    assert to_ana.title == "Your visits to Gwen from Fri 1 May 11:00 are not needed"
    assert to_ana.body.splitlines() == [
        "Gwen is in hospital until Fri 8 May 10:00.",
        "• Fri 1 May 11:00: not needed",
        "• Sat 2 May 11:00: not needed",
    ]
    [to_ben] = told(ben)
    assert "Gwen is in hospital" in to_ben.body and "Family" not in to_ben.body
    # Nobody else: no visit needs cover, and the team leader made the change.
    assert told(cat) == [] and told(rhian) == []


def test_a_carer_with_one_visit_freed_reads_it_as_one(gwen, ana, gwen_herself):
    place(planned_visit(gwen, at(2, 9)), ana)

    services.record_client_away(
        gwen, at(2, 0), at(3, 0), reason=AwayReason.HOLIDAY, actor=gwen_herself
    )
    tell_people(AuditEvent.objects.get(action="record_client_away").pk)

    [to_ana] = told(ana)
    assert to_ana.title == "Your visit to Gwen on Sat 2 May 09:00 is not needed"
    assert to_ana.body == "Gwen is on holiday until Sun 3 May 00:00."


def test_her_representative_can_say_she_is_away(gwen, rhys, gwens_week):
    away = services.record_client_away(gwen, *HOSPITAL, reason=AwayReason.RESPITE, actor=rhys)

    assert away.freed_shifts.count() == 5


# Back early


def test_back_early_the_visits_from_then_on_come_back_with_their_carers(
    now, circle, gwen, ana, ben, rhian, gwens_week
):
    away = services.record_client_away(gwen, *HOSPITAL, reason=AwayReason.HOSPITAL, actor=rhian)

    ended = services.end_client_away(away, HOME_EARLY, actor=rhian)

    assert (ended.end, ended.ended_early_at) == (HOME_EARLY, now)
    assert statuses(gwens_week) == {
        "before": ShiftStatus.PLANNED,
        "tablets_fri": ShiftStatus.NOT_NEEDED,
        "tablets_sat": ShiftStatus.NOT_NEEDED,
        "lunch_sun": ShiftStatus.NOT_NEEDED,
        "lunch_wed": ShiftStatus.PLANNED,
        "tea_thu": ShiftStatus.PLANNED,
    }
    assert holders(gwens_week["lunch_wed"]) == [ben]
    assert holders(gwens_week["tea_thu"]) == []
    event = AuditEvent.objects.get(action="end_client_away")
    assert event.after["end"] == HOME_EARLY.isoformat()
    assert len(event.after["restored"]) == 1 and event.after["not_restored"] == []
    assert event.carer_ids == [ben.pk]
    [line] = trail.describe([event])
    assert (
        line.sentence == "Gwen is back early, from Tue 5 May 12:00. 1 carer is back on their visit."
    )


def test_a_carer_who_took_another_visit_meanwhile_is_not_put_back(
    gwen, tom, ben, cat, rhian, gwens_week
):
    away = services.record_client_away(gwen, *HOSPITAL, reason=AwayReason.HOSPITAL, actor=rhian)
    services.claim(visit(tom, at(6, 12)), ben, actor=ben)

    services.end_client_away(away, HOME_EARLY, actor=rhian)

    lunch = gwens_week["lunch_wed"]
    assert holders(lunch) == []
    event = AuditEvent.objects.get(action="end_client_away")
    assert event.after["restored"] == []
    assert event.after["not_restored"] == [lunch.assignments.get(carer=ben).pk]
    # Ben is not told his visit is back; the circle is asked to cover it and Thursday's tea
    # (Ben too, for the tea: he is free then).
    tell_people(event.pk)
    [to_ben] = told(ben)
    assert to_ben.title == "Gwen's visit on Thu 7 May 16:00 needs a carer"
    [to_cat] = told(cat)
    assert to_cat.kind == NotificationKind.NEEDS_COVER
    assert to_cat.title == "2 visits you could take need a carer"


def test_carers_put_back_are_told_once_that_their_visits_are_back_on(
    gwen, ana, ben, rhian, gwens_week
):
    extra = place(planned_visit(gwen, at(7, 9)), ben).shift
    away = services.record_client_away(gwen, *HOSPITAL, reason=AwayReason.HOSPITAL, actor=rhian)
    tell_people(AuditEvent.objects.get(action="record_client_away").pk)

    services.end_client_away(away, HOME_EARLY, actor=rhian)
    tell_people(AuditEvent.objects.get(action="end_client_away").pk)

    assert holders(extra) == [ben]
    assert [n.title for n in told(ben)] == [
        "Your visits to Gwen from Sun 3 May 12:00 are not needed",
        "Your visits to Gwen from Wed 6 May 12:00 are back on",
    ]
    back = told(ben)[1]
    assert back.body.splitlines() == [
        "Gwen is home again from Tue 5 May 12:00, earlier than planned.",
        "• Wed 6 May 12:00: back on, yours again",
        "• Thu 7 May 09:00: back on, yours again",
    ]
    # Ana's visits were before the return: she is only asked to cover Thursday's tea.
    assert [n.kind for n in told(ana)] == [
        NotificationKind.SHIFT_CHANGED,
        NotificationKind.NEEDS_COVER,
    ]


# Refusals: nothing changes


def test_a_time_away_that_ends_before_it_starts_is_refused(gwen, rhian, gwens_week):
    with refused("end_before_start"):
        services.record_client_away(
            gwen, at(8, 10), at(1, 10), reason=AwayReason.HOSPITAL, actor=rhian
        )
    assert not ClientAway.objects.exists()
    assert set(statuses(gwens_week).values()) == {ShiftStatus.PLANNED}


def test_a_time_away_in_the_past_is_refused(gwen, rhian):
    with refused("in_the_past") as refusal:
        services.record_client_away(
            gwen, at(20, 10, month=4), at(28, 10, month=4), reason="hospital", actor=rhian
        )
    assert refusal.value.message == "That time has already passed."
    assert not ClientAway.objects.exists()


def test_a_second_time_away_over_the_first_is_refused(gwen, rhian):
    services.record_client_away(gwen, *HOSPITAL, reason=AwayReason.HOSPITAL, actor=rhian)

    with refused("overlaps") as refusal:
        services.record_client_away(
            gwen, at(7, 10), at(12, 10), reason=AwayReason.RESPITE, actor=rhian
        )
    assert refusal.value.message == "Already away at some of that time."
    assert ClientAway.objects.count() == 1


def test_the_database_has_the_last_word_on_overlaps(gwen):
    ClientAway.objects.create(client=gwen, start=at(7, 10), end=at(12, 10), reason="respite")

    # As if the check had not seen it: the constraint's refusal comes back in words.
    with refused("overlaps"):
        ClientAway.objects.filter(client=gwen).update(start=at(1, 10))
        services.record_client_away(gwen, *HOSPITAL, reason="hospital")


def test_longer_than_a_year_is_refused(gwen, rhian):
    with refused("too_long") as refusal:
        services.record_client_away(
            gwen, at(1, 10), at(1, 10) + timedelta(days=367), reason="respite", actor=rhian
        )
    assert "at most a year" in refusal.value.message


def test_only_a_team_leader_the_client_or_their_representative_may_say_so(
    gwen, ana, sian, owain, gwens_week
):
    # Sian is family but does not decide for Gwen; Ana is a carer.
    for someone in (sian, ana):
        with refused("not_allowed"):
            services.record_client_away(gwen, *HOSPITAL, reason="hospital", actor=someone)
    assert not ClientAway.objects.exists()
    away = services.record_client_away(gwen, *HOSPITAL, reason="hospital", actor=owain)
    with refused("not_allowed"):
        services.end_client_away(away, HOME_EARLY, actor=sian)


def test_back_early_after_the_end_or_in_the_past_or_when_over_is_refused(
    frozen_now, gwen, rhian, gwens_week
):
    away = services.record_client_away(gwen, *HOSPITAL, reason="hospital", actor=rhian)

    with refused("not_early"):
        services.end_client_away(away, at(9, 10), actor=rhian)
    with refused("in_the_past"):
        services.end_client_away(away, at(28, 10, month=4), actor=rhian)
    frozen_now.move_to(at(9, 10))
    with refused("already_over"):
        services.end_client_away(away, at(9, 11), actor=rhian)
    away.refresh_from_db()
    assert away.end == HOSPITAL[1] and away.ended_early_at is None
    assert statuses(gwens_week)["tea_thu"] == ShiftStatus.NOT_NEEDED


# The rota made later


def test_visits_the_rota_makes_later_inside_the_time_away_are_not_needed(circle, gwen, ana, rhian):
    VisitPlanFactory(client=gwen, title="Tablets", starts_on=date(2026, 4, 29), essential=True)
    VisitPlanFactory(client=gwen, title="Supper", starts_on=date(2026, 4, 29), start_time=time(19))
    generate_shifts(circle, date(2026, 4, 30), date(2026, 5, 4))
    away = services.record_client_away(gwen, *HOSPITAL, reason="hospital", actor=rhian)
    freed_first = away.freed_shifts.count()

    generate_shifts(circle, date(2026, 5, 4), date(2026, 5, 11))

    made_later = Shift.objects.filter(plan_date__gte=date(2026, 5, 4))
    inside = made_later.filter(start__lt=HOSPITAL[1])
    assert inside.count() == 9  # Monday to Thursday, tablets and supper; Friday's tablets
    assert set(inside.values_list("status", flat=True)) == {ShiftStatus.NOT_NEEDED}
    assert set(made_later.filter(start__gte=HOSPITAL[1]).values_list("status", flat=True)) == {
        ShiftStatus.PLANNED
    }
    assert away.freed_shifts.count() == freed_first + 9
    event = AuditEvent.objects.filter(action="free_for_client_away").latest("pk")
    assert len(event.after["freed"]) == 9
    assert tell_people(event.pk) == 0
    [line] = trail.describe([event])
    assert line.sentence == "9 visits added to the rota are not needed, as Gwen is away then."

    # Home early on Tuesday 5 May at noon: from Tuesday's supper on, six are planned again.
    services.end_client_away(away, HOME_EARLY, actor=rhian)
    assert inside.filter(status=ShiftStatus.PLANNED).count() == 6
    assert not inside.filter(status=ShiftStatus.PLANNED, start__lt=HOME_EARLY).exists()

"""A care plan skips a date (a day centre day, a hospital appointment): no visit is made that
day, a visit already made is not needed and its carer is told, and a date no longer skipped
has its visit again."""

from datetime import date, time

import pytest

from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from circles.trail import describe
from rota import services
from rota.generation import roll_horizon
from rota.models import AuditEvent, ReleaseReason, Shift, ShiftStatus
from tests.factories import VisitPlanFactory
from tests.outcomes import holders
from tests.stories import at, place, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

# It is Wednesday 29 April 2026, noon; Gwen has a visit every day at 08:00 from today on.
MONDAY = date(2026, 5, 4)
TUESDAY = date(2026, 5, 5)


@pytest.fixture(autouse=True)
def _two_week_horizon(settings):
    settings.ROTA_HORIZON_WEEKS = 2


@pytest.fixture
def plan(gwen):
    plan = VisitPlanFactory(client=gwen, starts_on=date(2026, 4, 29), start_time=time(8))
    roll_horizon(gwen.circle)
    return plan


def on(plan, day: date) -> Shift:
    return Shift.objects.get(plan=plan, plan_date=day)


def skip(plan, *days: date, actor=None) -> int:
    """What the admin does when a coordinator saves the plan with these skipped dates."""
    plan.skipped_dates = list(days)
    plan.save()
    return services.change_plan(plan, actor=actor)


def test_no_visit_is_made_on_a_skipped_date(gwen):
    plan = VisitPlanFactory(client=gwen, starts_on=date(2026, 4, 30), skipped_dates=[MONDAY])

    roll_horizon(gwen.circle)

    days = set(Shift.objects.filter(plan=plan).values_list("plan_date", flat=True))
    assert MONDAY not in days
    assert {date(2026, 5, 3), TUESDAY} <= days
    # Thursday 30 April to Tuesday 12 May (13 days), less Monday 4 May.
    assert len(days) == 12


def test_skipping_a_day_frees_its_visit_and_releases_its_carer(now, plan, ana, rhian):
    anas = place(on(plan, MONDAY), ana)

    changed = skip(plan, MONDAY, actor=rhian)

    monday = on(plan, MONDAY)
    assert changed == 1
    assert (monday.status, monday.sequence) == (ShiftStatus.NOT_NEEDED, 1)
    anas.refresh_from_db()
    assert (anas.released_at, anas.release_reason) == (now, ReleaseReason.NOT_IN_PLAN)
    assert holders(monday) == []
    # The other days are untouched.
    assert on(plan, TUESDAY).status == ShiftStatus.PLANNED
    event = AuditEvent.objects.get(action="change_plan")
    assert event.actor_id == rhian.pk and event.carer_ids == [ana.pk]
    assert event.after == {
        "skipped": ["2026-05-04"],
        "freed": [monday.pk],
        "released": [anas.pk],
        "planned_again": [],
    }


def test_the_carer_hears_their_visit_is_not_needed_and_why(plan, ana, ben, rhian):
    place(on(plan, MONDAY), ana)
    skip(plan, MONDAY, actor=rhian)

    tell_people(AuditEvent.objects.get(action="change_plan").pk)

    [note] = Notification.objects.filter(person=ana)
    assert note.kind == NotificationKind.SHIFT_CHANGED
    assert note.title == "Your visit to Gwen on Mon 4 May 08:00 is not needed"
    assert note.body == "Gwen's care plan skips that day."
    # Nobody is asked to cover a visit that is not needed.
    assert not Notification.objects.filter(person=ben).exists()


def test_a_day_no_longer_skipped_has_its_visit_again_and_the_circle_is_asked(plan, ana, ben):
    place(on(plan, MONDAY), ana)
    skip(plan, MONDAY, TUESDAY)

    changed = skip(plan, TUESDAY)

    monday = on(plan, MONDAY)
    assert changed == 1
    assert (monday.status, monday.sequence) == (ShiftStatus.PLANNED, 2)
    assert holders(monday) == []
    assert on(plan, TUESDAY).status == ShiftStatus.NOT_NEEDED
    event = AuditEvent.objects.filter(action="change_plan").latest("pk")
    assert event.after["planned_again"] == [monday.pk]
    tell_people(event.pk)
    asked = Notification.objects.filter(kind=NotificationKind.NEEDS_COVER)
    assert {n.person for n in asked} == {ana, ben}
    assert {n.title for n in asked} == {"Gwen's visit on Mon 4 May 08:00 needs a carer"}


def test_a_skipped_date_beyond_the_rota_is_never_made_and_comes_when_unskipped(now, plan):
    later = date(2026, 5, 20)  # after the fortnight on the rota today
    skip(plan, later)
    assert not Shift.objects.filter(plan=plan, plan_date=later).exists()

    skip(plan)

    assert not Shift.objects.filter(plan=plan, plan_date=later).exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.ROTA_HORIZON_WEEKS", 4)
        skip(plan, later)
        assert not Shift.objects.filter(plan=plan, plan_date=later).exists()
        skip(plan)
        assert on(plan, later).status == ShiftStatus.PLANNED


def test_a_visit_freed_by_a_family_visit_stays_freed(plan, sian):
    services.record_family_visit(sian, plan.client, at(4, 7), at(4, 10), actor=sian)
    assert on(plan, MONDAY).status == ShiftStatus.NOT_NEEDED

    assert skip(plan, TUESDAY) == 1

    assert on(plan, MONDAY).status == ShiftStatus.NOT_NEEDED
    event = AuditEvent.objects.get(action="change_plan")
    assert event.after["planned_again"] == []


def test_a_visit_already_started_is_left_as_it_is(plan, ana):
    # 08:00 today, before noon: generation made it before it began.
    today = visit(plan.client, at(29, 8, month=4), plan=plan, plan_date=date(2026, 4, 29))
    place(today, ana)

    assert skip(plan, date(2026, 4, 29)) == 0

    today.refresh_from_db()
    assert today.status == ShiftStatus.PLANNED and holders(today) == [ana]
    assert not AuditEvent.objects.filter(action="change_plan").exists()


def test_the_trail_says_how_many_visits_are_not_needed_and_planned_again(plan, rhian):
    skip(plan, MONDAY, TUESDAY, actor=rhian)
    skip(plan, TUESDAY, actor=rhian)

    events = list(AuditEvent.objects.filter(action="change_plan").order_by("pk"))
    first, second = (line.sentence for line in describe(events))
    assert first == (
        "Rhian Lewis changed the days Gwen's care plan “Morning visit” skips. "
        "2 coming visits are not needed."
    )
    assert second.endswith("skips. 1 coming visit is planned again.")

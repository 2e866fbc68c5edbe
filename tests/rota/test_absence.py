"""A carer off sick, on holiday or training: their places in that time go back to the circle."""

from datetime import datetime, timedelta

import pytest
import time_machine

from rota import services
from rota.models import AbsenceKind, AuditEvent, HelpRequest, HelpStatus, ReleaseReason
from tests.factories import AssignmentFactory
from tests.outcomes import refused, released_because, still_held, the_audit_event
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def week_of_visits(ana, gwen, tom):
    """Ana's visits Monday to Friday, 4 to 8 May, at 08:00."""
    return {
        day: AssignmentFactory(shift=visit(gwen if day % 2 else tom, at(day, 8)), carer=ana)
        for day in range(4, 9)
    }


def test_an_absence_frees_the_visits_inside_it_and_lists_them(now, circle, ana, week_of_visits):
    absence = services.record_absence(ana, AbsenceKind.HOLIDAY, at(5, 0), at(7, 0), actor=ana)

    tuesday, wednesday = week_of_visits[5], week_of_visits[6]
    assert released_because(ReleaseReason.ABSENCE, tuesday, wednesday)
    assert tuesday.released_at == now
    assert set(absence.released.all()) == {tuesday, wednesday}
    assert still_held(week_of_visits[4], week_of_visits[7], week_of_visits[8])
    assert (absence.kind, absence.start, absence.end) == ("holiday", at(5, 0), at(7, 0))
    assert AuditEvent.objects.count() == 1
    the_audit_event("record_absence", actor=ana, circle=circle, carers=[ana])


def test_a_freed_place_needs_cover_and_a_colleague_can_claim_it(ana, ben, week_of_visits):
    services.record_absence(ana, AbsenceKind.SICK, at(4, 0), at(5, 0), actor=ana)

    taken = services.claim(week_of_visits[4].shift, ben, actor=ben)

    assert taken.carer == ben


def test_a_visit_already_under_way_goes_to_the_circle_as_a_help_request(circle, ana, gwen):
    under_way = AssignmentFactory(shift=visit(gwen, at(4, 8), hours=2), carer=ana)
    with time_machine.travel(at(4, 8, 30), tick=False):
        absence = services.record_absence(ana, AbsenceKind.SICK, at(4, 8, 30), at(6, 0), actor=ana)

    assert released_because(ReleaseReason.ABSENCE, under_way)
    assert list(absence.released.all()) == [under_way]
    request = HelpRequest.objects.get(client=gwen)
    assert request.status == HelpStatus.ASKED
    # The help visit runs from the moment Ana went off until the visit would have ended.
    assert (request.shift.start, request.shift.end) == (at(4, 8, 30), at(4, 10))
    assert request.shift.plan is None and request.shift.circle == circle
    # Both changes are on the trail and announced: Ana's absence, and the call for help.
    the_audit_event("record_absence", actor=ana, circle=circle, carers=[ana])
    the_audit_event("raise_help_request", actor=ana, circle=circle, carers=[])


def test_a_visit_finished_before_the_absence_was_recorded_still_counts_as_done(ana, gwen):
    # Ana rings in on Wednesday: she has been ill since Tuesday morning.
    done_on_tuesday = AssignmentFactory(shift=visit(gwen, at(28, 9, month=4)), carer=ana)
    next_week = AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)

    absence = services.record_absence(
        ana, AbsenceKind.SICK, at(28, 0, month=4), at(5, 0), actor=ana
    )

    assert still_held(done_on_tuesday)
    assert released_because(ReleaseReason.ABSENCE, next_week)
    assert list(absence.released.all()) == [next_week]
    assert not HelpRequest.objects.exists()


def test_a_team_leader_may_record_a_carers_absence(circle, ana, rhian, week_of_visits):
    services.record_absence(ana, AbsenceKind.SICK, at(4, 0), at(5, 0), actor=rhian)

    assert released_because(ReleaseReason.ABSENCE, week_of_visits[4])
    the_audit_event("record_absence", actor=rhian, circle=circle, carers=[ana])


def test_a_colleague_cannot_book_someone_else_off(ana, ben, week_of_visits):
    with refused("not_allowed"):
        services.record_absence(ana, AbsenceKind.HOLIDAY, at(4, 0), at(9, 0), actor=ben)


def test_an_absence_that_ends_before_it_starts_is_refused(ana, week_of_visits):
    with refused("end_before_start") as refusal:
        services.record_absence(ana, AbsenceKind.HOLIDAY, at(7, 0), at(5, 0), actor=ana)

    assert refusal.value.message == "The end must be after the start."


def test_times_without_a_time_zone_are_refused(ana, week_of_visits):
    naive_start, naive_end = at(5, 0).replace(tzinfo=None), at(7, 0).replace(tzinfo=None)

    with refused("naive_datetime") as refusal:
        services.record_absence(ana, AbsenceKind.HOLIDAY, naive_start, naive_end, actor=ana)

    assert "time zone" in refusal.value.message


def test_an_unknown_kind_of_absence_is_refused(ana, week_of_visits):
    with refused("bad_kind") as refusal:
        services.record_absence(ana, "sabbatical", at(5, 0), at(7, 0), actor=ana)

    assert "holiday, sick, training or other" in refusal.value.message


def test_back_sooner_shortens_the_absence(circle, ana, tom, week_of_visits):
    absence = services.record_absence(ana, AbsenceKind.SICK, at(5, 0), at(9, 0), actor=ana)
    assert released_because(ReleaseReason.ABSENCE, *(week_of_visits[day] for day in (5, 6, 7, 8)))

    shortened = services.end_absence(absence, at(6, 0), actor=ana)

    shortened.refresh_from_db()
    assert shortened.end == at(6, 0)
    # Her old places stay with whoever covers them; she may pick up new ones again.
    assert released_because(ReleaseReason.ABSENCE, week_of_visits[7])
    assert services.claim(week_of_visits[7].shift, ana, actor=ana).carer == ana
    event = AuditEvent.objects.get(action="end_absence")
    assert event.actor_id == ana.pk and event.carer_ids == [ana.pk]
    assert datetime.fromisoformat(event.before["end"]) == at(9, 0)
    assert datetime.fromisoformat(event.after["end"]) == at(6, 0)


def test_off_for_longer_frees_the_visits_in_the_added_time(circle, ana, week_of_visits):
    absence = services.record_absence(ana, AbsenceKind.SICK, at(4, 0), at(5, 0), actor=ana)

    longer = services.end_absence(absence, at(7, 0), actor=ana)

    assert released_because(
        ReleaseReason.ABSENCE, week_of_visits[4], week_of_visits[5], week_of_visits[6]
    )
    assert set(longer.released.all()) == {week_of_visits[day] for day in (4, 5, 6)}
    assert still_held(week_of_visits[7], week_of_visits[8])
    the_audit_event("end_absence", actor=ana, circle=circle, carers=[ana])


def test_an_absence_cannot_be_ended_before_it_began(ana, week_of_visits):
    absence = services.record_absence(ana, AbsenceKind.SICK, at(5, 0), at(7, 0), actor=ana)

    with refused("end_before_start"):
        services.end_absence(absence, at(5, 0) - timedelta(hours=1), actor=ana)
    absence.refresh_from_db()
    assert absence.end == at(7, 0)

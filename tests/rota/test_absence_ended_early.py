"""“I'm better”: Ana's time off ends now, and the visits it released that nobody has taken
since come back to her, each only where the rules allow; the carers asked to cover them hear
once that they are no longer needed, and the family who is coming after all."""

import pytest
import time_machine

from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from people.models import CarerPreference, Preference
from rota import services
from rota.models import AbsenceKind, Action, AuditEvent, ReleaseReason
from tests.outcomes import holders, refused, released_because, the_audit_event
from tests.stories import at, place, planned_visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def week_off(ana, gwen, tom):
    """Ana's visits Monday to Thursday, 4 to 7 May, at 08:00, and her week off sick from
    Monday; it is Monday 10:00 when she feels better."""
    places = {
        day: place(planned_visit(gwen if day % 2 else tom, at(day, 8)), ana) for day in range(4, 8)
    }
    with time_machine.travel(at(3, 20), tick=False):
        absence = services.record_absence(ana, AbsenceKind.SICK, at(3, 20), at(9, 0), actor=ana)
    return absence, places


@pytest.fixture
def monday_morning():
    with time_machine.travel(at(4, 10), tick=False) as traveller:
        yield traveller


def test_visits_nobody_took_come_back_and_the_absence_ends_now(
    circle, ana, ben, week_off, monday_morning
):
    absence, places = week_off
    taken_by_ben = services.claim(places[6].shift, ben, actor=ben)

    services.end_absence_early(absence, actor=ana)

    absence.refresh_from_db()
    assert absence.end == at(4, 10)
    # Monday's had started, Wednesday's Ben took; Tuesday's and Thursday's are hers again.
    assert holders(places[4].shift) == []
    assert holders(places[5].shift) == [ana] and holders(places[7].shift) == [ana]
    assert holders(places[6].shift) == [ben] and taken_by_ben.is_held
    assert released_because(ReleaseReason.ABSENCE, *places.values())
    event = the_audit_event("end_absence_early", actor=ana, circle=circle, carers=[ana])
    assert len(event.after["restored"]) == 2
    assert event.after["not_restored"] == [places[4].pk, places[6].pk]


def test_a_visit_cancelled_or_now_breaking_a_rule_stays_with_the_circle(
    ana, gwen, tom, rhian, week_off, monday_morning
):
    absence, places = week_off
    services.cancel_shift(places[5].shift, "Gwen is in hospital", actor=rhian)
    CarerPreference.objects.create(client=tom, carer=ana, preference=Preference.NOT_WANTED)

    services.end_absence_early(absence, actor=ana)

    assert holders(places[5].shift) == []  # cancelled
    assert holders(places[6].shift) == []  # Tom would rather not
    assert holders(places[7].shift) == [ana]


def test_the_carers_asked_hear_once_that_a_visit_no_longer_needs_them(
    ana, ben, sian, week_off, monday_morning
):
    absence, places = week_off
    tell_people(AuditEvent.objects.get(action=Action.RECORD_ABSENCE).pk)
    assert Notification.objects.filter(person=ben, kind=NotificationKind.NEEDS_COVER).count() == 1

    services.end_absence_early(absence, actor=ana)
    event = AuditEvent.objects.get(action=Action.END_ABSENCE_EARLY)
    tell_people(event.pk)
    tell_people(event.pk)

    [no_longer] = Notification.objects.filter(person=ben, key=f"change:{event.pk}")
    assert no_longer.title == "3 visits have changed"
    assert "Gwen's visit on Tue 5 May 08:00 no longer needs a carer" in no_longer.body
    assert "Tom's visit on Wed 6 May 08:00 no longer needs a carer" in no_longer.body
    [coming] = Notification.objects.filter(person=sian, key=f"change:{event.pk}")
    assert coming.title == "2 visits have changed, and someone new is coming"
    assert "Someone new is coming to Gwen: Ana, on Tue 5 May 08:00" in coming.body
    assert not Notification.objects.filter(person=ana, key=f"change:{event.pk}").exists()


def test_time_off_already_over_or_not_begun_cannot_end_early(ana, week_off):
    absence, _places = week_off
    with time_machine.travel(at(10, 9), tick=False), refused("already_over"):
        services.end_absence_early(absence, actor=ana)
    with time_machine.travel(at(3, 19), tick=False), refused("not_started"):
        services.end_absence_early(absence, actor=ana)


def test_a_colleague_cannot_end_someone_elses_time_off(ana, ben, week_off, monday_morning):
    absence, _places = week_off
    with refused("not_allowed"):
        services.end_absence_early(absence, actor=ben)

"""Each rule of DESIGN §4 refuses with its code and a sentence naming the specifics."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from circles.models import Role
from people.models import CarerKind, CarerPreference, Preference
from rota.models import Absence, AbsenceKind, HelpRequest, Offer
from rota.rules import Rule, check
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    CredentialFactory,
    CredentialTypeFactory,
    MembershipFactory,
    PersonFactory,
    ShiftFactory,
    VisitPlanFactory,
    carer,
)

LONDON = ZoneInfo("Europe/London")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def frozen_now():
    # Wednesday 29 April 2026; the shifts below are from Monday 4 May on.
    with time_machine.travel(datetime(2026, 4, 29, 12, 0, tzinfo=LONDON), tick=False):
        yield


def at(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def client_():
    return ClientFactory(full_name="Gwen Davies", preferred_name="Gwen")


def shift_for(client, start: datetime, hours: float = 1, **fields):
    return ShiftFactory(
        client=client,
        circle=client.circle,
        start=start,
        end=start + timedelta(hours=hours),
        **fields,
    )


def hold(person, client, start: datetime, hours: float = 1):
    shift = shift_for(client, start, hours)
    return AssignmentFactory(shift=shift, carer=person)


def rules_of(violations):
    return [v.rule for v in violations]


def test_a_carer_of_the_circle_may_take_a_free_place(client_):
    ana = carer(client_.circle)
    assert check(ana, shift_for(client_, at(4, 8))) == []


def test_someone_who_is_not_a_carer_in_the_circle_is_refused(client_):
    outsider = carer(CircleFactory())
    family = PersonFactory()
    MembershipFactory(circle=client_.circle, person=family, role=Role.FAMILY, client=client_)
    shift = shift_for(client_, at(4, 8))
    [violation] = check(outsider, shift)
    assert violation.rule == Rule.MEMBERSHIP
    assert client_.circle.name in violation.message
    assert rules_of(check(family, shift)) == [Rule.MEMBERSHIP]


def test_a_carer_who_has_left_the_circle_is_refused_from_their_last_day(client_):
    ana = carer(client_.circle)
    ana.memberships.update(ended_on=date(2026, 5, 4))
    assert rules_of(check(ana, shift_for(client_, at(3, 8)))) == []
    assert rules_of(check(ana, shift_for(client_, at(4, 8)))) == [Rule.MEMBERSHIP]


def test_a_carer_the_client_would_rather_not_have_is_refused(client_):
    ben = carer(client_.circle)
    CarerPreference.objects.create(client=client_, carer=ben, preference=Preference.NOT_WANTED)
    [violation] = check(ben, shift_for(client_, at(4, 8)))
    assert violation.rule == Rule.NOT_WANTED
    assert "Gwen would rather not" in violation.message


def test_a_visit_needing_a_check_the_carer_lacks_names_it(client_):
    medication = CredentialTypeFactory(code="medication", name="Medication training")
    plan = VisitPlanFactory(client=client_)
    plan.credentials_needed.add(medication)
    ana = carer(client_.circle)
    shift = shift_for(client_, at(4, 8), plan=plan, plan_date=date(2026, 5, 4))
    [violation] = check(ana, shift)
    assert violation.rule == Rule.CREDENTIAL
    assert "Medication training" in violation.message
    assert "don't have" in violation.message


def test_an_expired_check_names_the_day_it_expired(client_):
    medication = CredentialTypeFactory(code="medication", name="Medication training")
    plan = VisitPlanFactory(client=client_)
    plan.credentials_needed.add(medication)
    ana = carer(client_.circle)
    CredentialFactory(person=ana, type=medication, valid_until=date(2026, 5, 3))
    shift = shift_for(client_, at(4, 8), plan=plan, plan_date=date(2026, 5, 4))
    [violation] = check(ana, shift)
    assert violation.rule == Rule.CREDENTIAL
    assert "expired on 3 May 2026" in violation.message
    # Valid up to and including its last day.
    on_last_day = shift_for(client_, at(3, 8), plan=plan, plan_date=date(2026, 5, 3))
    assert check(ana, on_last_day) == []


def test_an_unpaid_carer_never_takes_a_visit_needing_a_check_they_lack(client_):
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")
    plan = VisitPlanFactory(client=client_)
    plan.credentials_needed.add(dbs)
    neighbour = carer(client_.circle, kind=CarerKind.INFORMAL)
    shift = shift_for(client_, at(4, 8), plan=plan, plan_date=date(2026, 5, 4))
    assert rules_of(check(neighbour, shift)) == [Rule.CREDENTIAL]


def test_overlapping_visits_name_the_other_visit_and_back_to_back_is_fine(client_):
    ana = carer(client_.circle)
    other_client = ClientFactory(circle=client_.circle, preferred_name="Tom")
    hold(ana, other_client, at(4, 8), hours=1)
    [violation] = check(ana, shift_for(client_, at(4, 8, 30)))
    assert violation.rule == Rule.OVERLAP
    assert "Tom" in violation.message and "08:00" in violation.message
    assert check(ana, shift_for(client_, at(4, 9))) == []


def test_a_carer_already_on_the_visit_is_told_so(client_):
    ana = carer(client_.circle)
    place = hold(ana, client_, at(4, 8))
    place.shift.carers_needed = 2
    place.shift.save()
    [violation] = check(ana, place.shift)
    assert violation.rule == Rule.OVERLAP
    assert "already on this visit" in violation.message


def test_a_carer_who_is_off_is_refused_with_the_dates(client_):
    ana = carer(client_.circle)
    Absence.objects.create(carer=ana, kind=AbsenceKind.HOLIDAY, start=at(3, 0), end=at(10, 0))
    [violation] = check(ana, shift_for(client_, at(4, 8)))
    assert violation.rule == Rule.ABSENT
    assert "holiday" in violation.message and "Sun 3 May" in violation.message


def test_a_paid_carer_needs_eleven_hours_between_days(client_):
    ana = carer(client_.circle)
    hold(ana, client_, at(4, 21), hours=1)  # ends 22:00 Monday
    [violation] = check(ana, shift_for(client_, at(5, 7)))  # 9 hours later
    assert violation.rule == Rule.REST
    assert "9 hours' rest" in violation.message and "22:00" in violation.message
    assert check(ana, shift_for(client_, at(5, 9))) == []


def test_rest_is_checked_before_the_next_days_first_visit_too(client_):
    ana = carer(client_.circle)
    hold(ana, client_, at(5, 7), hours=1)  # Tuesday 07:00
    [violation] = check(ana, shift_for(client_, at(4, 22)))  # Monday 22:00-23:00
    assert violation.rule == Rule.REST
    assert "8 hours' rest before your visit at Tue 5 May 07:00" in violation.message


def test_unpaid_carers_are_not_held_to_rest_between_days(client_):
    daughter = carer(client_.circle, kind=CarerKind.INFORMAL)
    hold(daughter, client_, at(4, 21))
    assert check(daughter, shift_for(client_, at(5, 7))) == []


def test_a_visit_the_same_day_is_not_a_rest_question(client_):
    ana = carer(client_.circle)
    hold(ana, client_, at(4, 8))
    assert check(ana, shift_for(client_, at(4, 12))) == []


def test_weekly_hours_count_monday_to_sunday_and_name_the_total(client_):
    ana = carer(client_.circle)
    ana.carer_profile.weekly_limit_hours = 10
    ana.carer_profile.save()
    for day in (4, 5, 6):  # Mon-Wed, 3 hours each
        hold(ana, client_, at(day, 9), hours=3)
    assert check(ana, shift_for(client_, at(7, 9), hours=1)) == []
    [violation] = check(ana, shift_for(client_, at(7, 9), hours=2))
    assert violation.rule == Rule.WEEKLY_HOURS
    assert "11 hours" in violation.message and "your limit is 10 hours" in violation.message
    assert "Mon 4 May" in violation.message
    # The next Monday starts a new week.
    assert check(ana, shift_for(client_, at(11, 9), hours=2)) == []


def test_paid_carers_default_to_forty_eight_hours_and_unpaid_to_their_own_limit(client_):
    ana = carer(client_.circle)
    daughter = carer(client_.circle, kind=CarerKind.INFORMAL)
    for day in (4, 5, 6, 7):
        hold(ana, client_, at(day, 8), hours=12)
        hold(daughter, ClientFactory(circle=client_.circle), at(day, 8), hours=12)
    assert rules_of(check(ana, shift_for(client_, at(8, 8), hours=1))) == [Rule.WEEKLY_HOURS]
    assert check(daughter, shift_for(client_, at(8, 8), hours=1)) == []
    daughter.carer_profile.weekly_limit_hours = 20
    daughter.carer_profile.save()
    assert rules_of(check(daughter, shift_for(client_, at(8, 8), hours=1))) == [Rule.WEEKLY_HOURS]


def test_a_visit_that_has_started_cannot_be_taken_but_a_help_request_can(client_):
    ana = carer(client_.circle)
    started = shift_for(client_, datetime(2026, 4, 29, 11, 30, tzinfo=LONDON))
    assert rules_of(check(ana, started)) == [Rule.STARTED]
    help_shift = shift_for(client_, datetime(2026, 4, 29, 11, 30, tzinfo=LONDON))
    HelpRequest.objects.create(client=client_, shift=help_shift)
    assert check(ana, help_shift) == []


def test_a_full_visit_is_refused_unless_its_holder_offers_it(client_):
    ana, ben = carer(client_.circle), carer(client_.circle)
    place = hold(ana, client_, at(4, 8))
    [violation] = check(ben, place.shift)
    assert violation.rule == Rule.FULL
    assert "has just been taken" in violation.message
    Offer.objects.create(assignment=place)
    assert check(ben, place.shift) == []


def test_the_place_given_up_in_a_swap_is_left_out_of_every_rule(client_):
    ana = carer(client_.circle)
    mine = hold(ana, client_, at(4, 8))
    same_time = shift_for(ClientFactory(circle=client_.circle), at(4, 8))
    assert rules_of(check(ana, same_time)) == [Rule.OVERLAP]
    assert check(ana, same_time, giving_up=mine) == []


def test_every_failing_rule_is_reported_in_the_order_of_the_design(client_):
    outsider = PersonFactory()
    CarerPreference.objects.create(client=client_, carer=outsider, preference=Preference.NOT_WANTED)
    shift = shift_for(client_, datetime(2026, 4, 29, 11, 0, tzinfo=LONDON))
    AssignmentFactory(shift=shift)
    assert rules_of(check(outsider, shift)) == [
        Rule.MEMBERSHIP,
        Rule.NOT_WANTED,
        Rule.STARTED,
        Rule.FULL,
    ]


def test_times_in_messages_are_the_circles_local_time(client_):
    client_.circle.timezone = "America/New_York"
    client_.circle.save()
    ana = carer(client_.circle)
    other = ClientFactory(circle=client_.circle, preferred_name="Tom")
    hold(ana, other, datetime(2026, 5, 4, 12, 0, tzinfo=UTC))  # 08:00 in New York
    [violation] = check(ana, shift_for(client_, datetime(2026, 5, 4, 12, 30, tzinfo=UTC)))
    assert "08:00" in violation.message

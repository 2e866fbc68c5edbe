"""Each rule (docs/design.md, Rules every rota change obeys) refuses with its code and a sentence
naming the specifics."""

from datetime import UTC, date, datetime

import pytest

from people.models import CarerPreference, Preference
from rota.models import Absence, AbsenceKind, HelpRequest, Offer
from rota.rules import Rule, check
from tests.factories import (
    AssignmentFactory,
    CredentialFactory,
    CredentialTypeFactory,
    PersonFactory,
    VisitPlanFactory,
)
from tests.stories import at, place, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def hold(person, client, start: datetime, hours: float = 1):
    return place(visit(client, start, hours=hours), person)


def rules_of(violations):
    return [v.rule for v in violations]


def test_a_carer_of_the_circle_may_take_a_free_place(gwen, ana):
    assert check(ana, visit(gwen, at(4, 8))) == []


def test_someone_who_is_not_a_carer_in_the_circle_is_refused(circle, gwen, hywel, sian):
    shift = visit(gwen, at(4, 8))
    [violation] = check(hywel, shift)
    assert violation.rule == Rule.MEMBERSHIP
    assert circle.name in violation.message
    assert rules_of(check(sian, shift)) == [Rule.MEMBERSHIP]


def test_a_carer_who_has_left_the_circle_is_refused_from_their_last_day(gwen, ana):
    ana.memberships.update(ended_on=date(2026, 5, 4))
    assert rules_of(check(ana, visit(gwen, at(3, 8)))) == []
    assert rules_of(check(ana, visit(gwen, at(4, 8)))) == [Rule.MEMBERSHIP]


def test_a_carer_the_client_would_rather_not_have_is_refused(gwen, ben):
    CarerPreference.objects.create(client=gwen, carer=ben, preference=Preference.NOT_WANTED)
    [violation] = check(ben, visit(gwen, at(4, 8)))
    assert violation.rule == Rule.NOT_WANTED
    assert "Gwen would rather not" in violation.message


def test_a_visit_needing_a_check_the_carer_lacks_names_it(gwen, medication, ana):
    plan = VisitPlanFactory(client=gwen)
    plan.credentials_needed.add(medication)
    shift = visit(gwen, at(4, 8), plan=plan, plan_date=date(2026, 5, 4))
    [violation] = check(ana, shift)
    assert violation.rule == Rule.CREDENTIAL
    assert "Medication administration" in violation.message
    assert "don't have" in violation.message


def test_an_expired_check_names_the_day_it_expired(gwen, medication, ana):
    plan = VisitPlanFactory(client=gwen)
    plan.credentials_needed.add(medication)
    CredentialFactory(person=ana, type=medication, valid_until=date(2026, 5, 3))
    shift = visit(gwen, at(4, 8), plan=plan, plan_date=date(2026, 5, 4))
    [violation] = check(ana, shift)
    assert violation.rule == Rule.CREDENTIAL
    assert "expired on 3 May 2026" in violation.message
    # Valid up to and including its last day.
    on_last_day = visit(gwen, at(3, 8), plan=plan, plan_date=date(2026, 5, 3))
    assert check(ana, on_last_day) == []


def test_an_unpaid_carer_never_takes_a_visit_needing_a_check_they_lack(gwen, cat):
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")
    plan = VisitPlanFactory(client=gwen)
    plan.credentials_needed.add(dbs)
    shift = visit(gwen, at(4, 8), plan=plan, plan_date=date(2026, 5, 4))
    assert rules_of(check(cat, shift)) == [Rule.CREDENTIAL]


def test_overlapping_visits_name_the_other_visit_and_back_to_back_is_fine(gwen, ana, tom):
    hold(ana, tom, at(4, 8), hours=1)
    [violation] = check(ana, visit(gwen, at(4, 8, 30)))
    assert violation.rule == Rule.OVERLAP
    assert "Tom" in violation.message and "08:00" in violation.message
    assert check(ana, visit(gwen, at(4, 9))) == []


def test_a_carer_already_on_the_visit_is_told_so(gwen, ana):
    anas = hold(ana, gwen, at(4, 8))
    anas.shift.carers_needed = 2
    anas.shift.save()
    [violation] = check(ana, anas.shift)
    assert violation.rule == Rule.OVERLAP
    assert "already on this visit" in violation.message


def test_a_carer_who_is_off_is_refused_with_the_dates(gwen, ana):
    Absence.objects.create(carer=ana, kind=AbsenceKind.HOLIDAY, start=at(3, 0), end=at(10, 0))
    [violation] = check(ana, visit(gwen, at(4, 8)))
    assert violation.rule == Rule.ABSENT
    assert "holiday" in violation.message and "Sun 3 May" in violation.message


def test_a_paid_carer_needs_eleven_hours_between_days(gwen, ana):
    hold(ana, gwen, at(4, 21), hours=1)  # ends 22:00 Monday
    [violation] = check(ana, visit(gwen, at(5, 7)))  # 9 hours later
    assert violation.rule == Rule.REST
    assert "9 hours' rest" in violation.message and "22:00" in violation.message
    assert check(ana, visit(gwen, at(5, 9))) == []


def test_rest_is_checked_before_the_next_days_first_visit_too(gwen, ana):
    hold(ana, gwen, at(5, 7), hours=1)  # Tuesday 07:00
    [violation] = check(ana, visit(gwen, at(4, 22)))  # Monday 22:00-23:00
    assert violation.rule == Rule.REST
    assert "8 hours' rest before your visit at Tue 5 May 07:00" in violation.message


def test_unpaid_carers_are_not_held_to_rest_between_days(gwen, cat):
    hold(cat, gwen, at(4, 21))
    assert check(cat, visit(gwen, at(5, 7))) == []


def test_a_visit_the_same_day_is_not_a_rest_question(gwen, ana):
    hold(ana, gwen, at(4, 8))
    assert check(ana, visit(gwen, at(4, 12))) == []


def test_weekly_hours_count_monday_to_sunday_and_name_the_total(gwen, ana):
    ana.carer_profile.weekly_limit_hours = 10
    ana.carer_profile.save()
    for day in (4, 5, 6):  # Mon-Wed, 3 hours each
        hold(ana, gwen, at(day, 9), hours=3)
    assert check(ana, visit(gwen, at(7, 9), hours=1)) == []
    [violation] = check(ana, visit(gwen, at(7, 9), hours=2))
    assert violation.rule == Rule.WEEKLY_HOURS
    assert "11 hours" in violation.message and "your limit is 10 hours" in violation.message
    assert "Mon 4 May" in violation.message
    # The next Monday starts a new week.
    assert check(ana, visit(gwen, at(11, 9), hours=2)) == []


def test_paid_carers_default_to_forty_eight_hours_and_unpaid_to_their_own_limit(
    gwen, tom, ana, cat
):
    for day in (4, 5, 6, 7):
        hold(ana, gwen, at(day, 8), hours=12)
        hold(cat, tom, at(day, 8), hours=12)
    assert rules_of(check(ana, visit(gwen, at(8, 8), hours=1))) == [Rule.WEEKLY_HOURS]
    assert check(cat, visit(gwen, at(8, 8), hours=1)) == []
    cat.carer_profile.weekly_limit_hours = 20
    cat.carer_profile.save()
    assert rules_of(check(cat, visit(gwen, at(8, 8), hours=1))) == [Rule.WEEKLY_HOURS]


def test_a_visit_that_has_started_cannot_be_taken_but_a_help_request_can(gwen, ana):
    started = visit(gwen, at(29, 11, 30, month=4))
    assert rules_of(check(ana, started)) == [Rule.STARTED]
    help_shift = visit(gwen, at(29, 11, 30, month=4))
    HelpRequest.objects.create(client=gwen, shift=help_shift)
    assert check(ana, help_shift) == []


def test_a_full_visit_is_refused_unless_its_holder_offers_it(gwen, ana, ben):
    anas = hold(ana, gwen, at(4, 8))
    [violation] = check(ben, anas.shift)
    assert violation.rule == Rule.FULL
    assert "has just been taken" in violation.message
    Offer.objects.create(assignment=anas)
    assert check(ben, anas.shift) == []


def test_the_place_given_up_in_a_swap_is_left_out_of_every_rule(gwen, tom, ana):
    mine = hold(ana, gwen, at(4, 8))
    same_time = visit(tom, at(4, 8))
    assert rules_of(check(ana, same_time)) == [Rule.OVERLAP]
    assert check(ana, same_time, giving_up=mine) == []


def test_every_failing_rule_is_reported_in_the_order_of_the_design(gwen):
    outsider = PersonFactory()
    CarerPreference.objects.create(client=gwen, carer=outsider, preference=Preference.NOT_WANTED)
    shift = visit(gwen, at(29, 11, month=4))
    AssignmentFactory(shift=shift)
    assert rules_of(check(outsider, shift)) == [
        Rule.MEMBERSHIP,
        Rule.NOT_WANTED,
        Rule.STARTED,
        Rule.FULL,
    ]


def test_times_in_messages_are_the_circles_local_time(circle, gwen, ana, tom):
    circle.timezone = "America/New_York"
    circle.save()
    hold(ana, tom, datetime(2026, 5, 4, 12, 0, tzinfo=UTC))  # 08:00 in New York
    [violation] = check(ana, visit(gwen, datetime(2026, 5, 4, 12, 30, tzinfo=UTC)))
    assert "08:00" in violation.message

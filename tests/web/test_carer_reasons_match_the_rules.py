"""Needs cover says why a carer can't take a visit without asking rules.check once per
visit: queries.first_reasons reads the carer's facts once for the whole list. Here every
rule fails somewhere, and for each carer and visit the page's reason must be exactly the
first message rules.check gives (or none when it gives none)."""

from datetime import timedelta

from django.db import IntegrityError, transaction

from circles.models import Membership, Role
from people.models import CarerPreference, CarerProfile, Client, Preference
from rota import rules, services
from rota.models import AbsenceKind, Assignment, Shift
from tests.factories import CredentialFactory, CredentialTypeFactory
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
from web.carer import queries


def rota_with_every_rule_failing(s):
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")
    s.gwen.emergency_credentials.set([dbs])
    CredentialFactory(person=s.ana, type=s.medication)
    CredentialFactory(person=s.ben, type=s.medication, valid_until=at(2, 0).date())
    CredentialFactory(person=s.ana, type=dbs)
    CarerPreference.objects.create(client=s.tom, carer=s.cat, preference=Preference.NOT_WANTED)
    CarerProfile.objects.filter(person=s.cat).update(weekly_limit_hours=3)
    Membership.objects.filter(person=s.ben, role=Role.CARER).update(ended_on=at(8, 0).date())
    services.record_absence(s.ben, AbsenceKind.TRAINING, at(4, 9), at(4, 17))
    # Tom meets no more new carers a month: Cat, new to him this May, was one too many.
    Client.objects.filter(pk=s.tom.pk).update(new_face_limit=0)
    # Ana has said no evenings for now: Tuesday evening's visit is more than enough.
    CarerProfile.objects.filter(person=s.ana).update(enough_evenings=0)

    # Places held: Ana late on Thursday (rest before Friday's early visit), Cat two hours
    # on Monday 4 May (her week's limit is three), Ben on Saturday morning.
    place(planned_visit(s.gwen, at(30, 20, month=4), hours=2), s.ana)
    place(planned_visit(s.tom, at(4, 7), hours=2), s.cat)
    place(planned_visit(s.gwen, at(2, 9)), s.ben)
    offered = place(planned_visit(s.tom, at(6, 10)), s.ana)
    services.offer(offered, actor=s.ana)
    full = planned_visit(s.gwen, at(6, 14))
    place(full, s.cat)

    planned_visit(s.gwen, at(29, 11, month=4), hours=2)  # already started
    planned_visit(s.gwen, at(1, 6))  # early Friday: Ana's rest
    planned_visit(s.tom, at(1, 12))  # Cat is not wanted by Tom
    planned_visit(s.gwen, at(3, 12), needs=[s.medication])  # Ben's expired, Cat has none
    planned_visit(s.gwen, at(2, 9, 30))  # overlaps Ben's Saturday visit
    planned_visit(s.gwen, at(4, 12), hours=2)  # Ben training; Cat's weekly limit
    planned_visit(s.gwen, at(10, 9), carers_needed=2)  # Ben has left by then
    planned_visit(s.gwen, at(5, 19))  # an evening: Ana has said none for now
    planned_visit(s.bart, at(30, 9, month=4))  # another circle
    services.raise_help_request(s.gwen)  # an emergency visit: needs DBS, already started
    return [s.circle, s.hillside]


def test_the_pages_reason_is_the_first_rule_that_fails(story):
    circles = rota_with_every_rule_failing(story)
    shifts = [
        visit.shift for circle in circles for visit in queries.board(circle, now=WEDNESDAY_NOON)
    ]
    assert len(shifts) >= 14
    seen = set()
    for carer in (story.ana, story.ben, story.cat, story.hywel):
        reasons = queries.first_reasons(carer, shifts, now=WEDNESDAY_NOON)
        for shift in shifts:
            violations = rules.check(carer, shift, now=WEDNESDAY_NOON)
            expected = violations[0].message if violations else None
            assert reasons.get(shift.pk) == expected, (carer, shift, violations)
            seen.update(v.rule for v in violations[:1])
    assert seen == set(rules.Rule), "every rule should come first somewhere"


def test_the_swap_pages_reason_is_the_first_rule_that_fails_for_the_proposer(story):
    rota_with_every_rule_failing(story)
    # Every visit is someone's, so each carer has many places to ask for.
    for shift in Shift.objects.filter(circle=story.circle, assignments__isnull=True):
        for colleague in (story.cat, story.ben, story.ana):
            try:
                with transaction.atomic():
                    place(shift, colleague)
                break
            except IntegrityError:
                continue  # they are busy then: the next colleague
    theirs = list(
        Assignment.objects.filter(released_at__isnull=True).select_related(
            "carer", "shift__circle", "shift__client", "shift__plan"
        )
    )
    seen = set()
    for mine in theirs:
        others = [t for t in theirs if t.carer_id != mine.carer_id]
        reasons = queries.swap_reasons(mine, others, now=WEDNESDAY_NOON)
        for other in others:
            violations = rules.check(
                mine.carer, other.shift, giving_up=mine, taking_over=other, now=WEDNESDAY_NOON
            )
            expected = violations[0].message if violations else None
            assert reasons.get(other.pk) == expected, (mine, other, violations)
            seen.update(v.rule for v in violations[:1])
    assert len(seen) >= 4


def test_no_reasons_for_no_visits(story):
    assert queries.first_reasons(story.ana, [], now=WEDNESDAY_NOON) == {}


def test_a_visit_next_week_in_another_time_zone_is_judged_by_its_circles_days(story):
    story.circle.timezone = "America/New_York"
    story.circle.save()
    place(planned_visit(story.gwen, at(30, 23, month=4), hours=1), story.ana)
    early = planned_visit(story.gwen, at(30, 23, month=4) + timedelta(hours=9))
    shifts = [visit.shift for visit in queries.board(story.circle, now=WEDNESDAY_NOON)]
    violations = rules.check(story.ana, early, now=WEDNESDAY_NOON)
    reasons = queries.first_reasons(story.ana, shifts, now=WEDNESDAY_NOON)
    assert reasons.get(early.pk) == (violations[0].message if violations else None)

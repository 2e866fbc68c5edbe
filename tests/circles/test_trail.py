"""The audit trail in words: each change the rota services record reads as one sentence,
names resolved when it is read, so a carer erased since reads as "a former carer"; a page
of events costs the same few queries however many events it holds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.trail import describe
from rota import services
from rota.generation import generate_shifts
from rota.models import AbsenceKind, AuditEvent
from tests.factories import CarerProfileFactory
from tests.stories import MONDAY_MORNING, at, place, planned_visit

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]


def sentences(**filters) -> list[str]:
    events = AuditEvent.objects.filter(**filters).order_by("at", "pk")
    return [line.sentence for line in describe(list(events))]


def said(action: str) -> str:
    (sentence,) = sentences(action=action)
    return sentence


def test_a_claim(story):
    services.claim(planned_visit(story.gwen, at(5, 8)), story.ana, actor=story.ana)

    assert said("claim") == "Ana Price took Gwen's 08:00 visit on Tue 5 May."


def test_a_swap_proposed_then_accepted(story):
    anas = place(planned_visit(story.gwen, at(5, 8)), story.ana)
    bens = place(planned_visit(story.tom, at(6, 10)), story.ben)

    swap = services.propose_swap(anas, bens, actor=story.ana)
    services.accept_swap(swap, actor=story.ben)

    assert said("propose_swap") == (
        "Ana Price asked Ben Jones to swap Gwen's 08:00 visit on Tue 5 May "
        "for Tom's 10:00 visit on Wed 6 May."
    )
    assert said("accept_swap") == (
        "Ben Jones took Gwen's 08:00 visit on Tue 5 May from Ana Price, "
        "and Ana Price took Tom's 10:00 visit on Wed 6 May from Ben Jones (swap)."
    )


def test_a_swap_declined_and_one_withdrawn(story):
    anas = place(planned_visit(story.gwen, at(5, 8)), story.ana)
    bens = place(planned_visit(story.tom, at(6, 10)), story.ben)

    services.decline_swap(services.propose_swap(anas, bens), actor=story.ben)
    services.withdraw_swap(services.propose_swap(anas, bens), actor=story.ana)

    assert said("decline_swap") == (
        "Ben Jones declined Ana Price's request to swap Gwen's 08:00 visit on Tue 5 May "
        "for Tom's 10:00 visit on Wed 6 May."
    )
    assert said("withdraw_swap") == (
        "Ana Price withdrew the request to swap Gwen's 08:00 visit on Tue 5 May "
        "for Tom's 10:00 visit on Wed 6 May with Ben Jones."
    )


def test_an_absence_and_its_end(story):
    place(planned_visit(story.gwen, at(5, 8)), story.ana)
    place(planned_visit(story.tom, at(6, 8)), story.ana)

    absence = services.record_absence(
        story.ana, AbsenceKind.SICK, at(5, 0), at(8, 0), actor=story.ana
    )
    services.end_absence(absence, at(7, 0), actor=story.rhian)

    assert said("record_absence") == (
        "Ana Price is off (sick) from Tue 5 May 00:00 to Fri 8 May 00:00. 2 visits need cover."
    )
    assert said("end_absence") == (
        "Ana Price's time off now ends Thu 7 May 00:00 (it was Fri 8 May 00:00)."
    )


def test_an_absence_recorded_by_a_team_leader_says_so(story):
    services.record_absence(
        story.ben, AbsenceKind.TRAINING, at(11, 9), at(11, 17), actor=story.rhian
    )

    assert said("record_absence") == (
        "Ben Jones is off (training) from Mon 11 May 09:00 to Mon 11 May 17:00. "
        "Recorded by Rhian Lewis."
    )


def test_a_visit_given_away_and_taken(story):
    bens = place(planned_visit(story.tom, at(6, 10)), story.ben)

    offer = services.offer(bens, actor=story.ben)
    services.take_offer(offer, story.ana, actor=story.ana)

    assert said("offer") == (
        "Ben Jones is giving away Tom's 10:00 visit on Wed 6 May; "
        "it stays theirs until someone takes it."
    )
    assert said("take_offer") == (
        "Ana Price took Tom's 10:00 visit on Wed 6 May from Ben Jones (given away)."
    )


def test_an_offer_withdrawn(story):
    offer = services.offer(place(planned_visit(story.tom, at(6, 10)), story.ben), actor=story.ben)

    services.withdraw_offer(offer, actor=story.ben)

    assert said("withdraw_offer") == (
        "Ben Jones kept Tom's 10:00 visit on Wed 6 May after all: no longer giving it away."
    )


def test_a_team_leader_steps_in(story):
    shift = planned_visit(story.gwen, at(5, 8))
    services.assign(shift, story.ana, actor=story.rhian)
    services.cancel_shift(shift, "Gwen is in hospital", actor=story.rhian)

    assert said("assign") == "Rhian Lewis put Ana Price on Gwen's 08:00 visit on Tue 5 May."
    assert said("cancel_shift") == (
        "Rhian Lewis cancelled Gwen's 08:00 visit on Tue 5 May: Gwen is in hospital. "
        "Ana Price no longer goes."
    )


def test_a_call_for_help_from_raised_to_dealt_with(story):
    request = services.raise_help_request(story.gwen, actor=story.rhian)
    services.acknowledge_help_request(request, actor=story.rhian)
    services.cancel_help_request(request, actor=story.rhian)

    assert sentences(action__endswith="help_request") == [
        "Rhian Lewis asked for help now for Gwen.",
        "Rhian Lewis is dealing with Gwen's call for help.",
        "Rhian Lewis cancelled Gwen's call for help.",
    ]


def test_a_client_would_rather_not_and_a_carer_leaves(story):
    place(planned_visit(story.gwen, at(5, 8)), story.ben)
    services.decline_carer(story.gwen, story.ben, actor=story.rhys)
    membership = story.ana.memberships.get(circle=story.circle)
    services.end_membership(membership, at(31, 0).date(), actor=story.rhian)

    assert said("decline_carer") == (
        "Rhys Davies said Gwen would rather not have Ben Jones visit. 1 visit needs cover."
    )
    assert said("end_membership") == "Ana Price leaves Treforest on Sun 31 May 2026."


def test_visits_added_by_generation(story):
    generate_shifts(story.circle, at(5, 0).date(), at(8, 0).date())
    assert not AuditEvent.objects.filter(action="generate_shifts").exists()  # no plans yet

    planned_visit(story.gwen, at(5, 8)).plan.__class__.objects.update(ends_on=None)
    generate_shifts(story.circle, at(5, 0).date(), at(8, 0).date())

    assert said("generate_shifts") == (
        "2 visits were added to the rota, from Tue 5 May 2026 to Thu 7 May 2026."
    )


def test_an_erased_carer_reads_as_a_former_carer(story):
    dai = CarerProfileFactory(person__full_name="Dai Owen").person
    story.circle.memberships.create(person=dai, role="carer")
    services.record_absence(dai, AbsenceKind.HOLIDAY, at(11, 0), at(18, 0), actor=dai)

    dai.delete()

    assert said("record_absence") == (
        "A former carer is off (holiday) from Mon 11 May 00:00 to Mon 18 May 00:00."
    )


def test_a_page_of_events_costs_the_same_however_many_it_holds(story):
    def busy_days(first: int, days: int) -> None:
        for day in range(first, first + days):
            start = at(5, 8) + timedelta(days=day)
            anas = services.claim(planned_visit(story.gwen, start), story.ana)
            bens = services.claim(planned_visit(story.tom, start + timedelta(hours=3)), story.ben)
            services.accept_swap(services.propose_swap(anas, bens))
            given = services.claim(planned_visit(story.tom, start + timedelta(hours=6)), story.ben)
            services.take_offer(services.offer(given), story.cat)
        services.record_absence(story.ana, AbsenceKind.SICK, at(20 + first, 0), at(21 + first, 0))

    def queries_to_describe() -> tuple[int, int]:
        events = list(AuditEvent.objects.all())
        with CaptureQueriesContext(connection) as read:
            lines = describe(events)
        assert all(line.sentence for line in lines)
        return len(read), len(events)

    busy_days(0, 1)
    few, events = queries_to_describe()
    busy_days(1, 6)
    many, more_events = queries_to_describe()

    assert more_events > 3 * events
    assert few == many

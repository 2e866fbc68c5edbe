"""The circle page costs the same number of queries for a small circle as for a busy one: the
rules' facts are read for all its carers and visits at once (rota.rules.check_each), and
what the page walks is read with them. Who the page says could take a visit, and why the
others can't, is exactly what rota.rules.check says for that carer and visit."""

from datetime import timedelta

import pytest
from django.urls import reverse

from circles.alerts import HORIZON, escalate
from circles.capacity import figures, judge
from circles.models import Membership, Role
from people.models import CarerKind, CarerPreference, CarerProfile, Client, Preference
from rota import rules, services
from rota.models import AbsenceKind, AwayReason
from tests.factories import (
    CircleFactory,
    ClientFactory,
    CredentialFactory,
    CredentialTypeFactory,
    OrganisationFactory,
    carer,
)
from tests.stories import MONDAY_MORNING, at, missed, place, planned_visit, team_leader
from tests.web.pages import words
from web.leaders.queries import LASTING

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MORNING),
    pytest.mark.usefixtures("frozen_now"),
]

KINDS = (CarerKind.COUNCIL, CarerKind.AGENCY, CarerKind.INFORMAL)


def busy_circle(carers: int, gaps: int):
    """A circle with `carers` carers and `gaps` visits needing cover over the next 14 days,
    where every rule fails for someone: checks held, run out or missing; clients' "rather
    not"; time off; places held that overlap, shorten rest or fill a week; a carer leaving;
    a visit two carers are needed for, one held by a carer the client no longer wants; a
    client who meets no new carers; carers who want no weekend visits for now. More gaps
    bring more clients, missed visits, times away and calls for help."""
    organisation = OrganisationFactory(name="Valleys Care")
    circle = CircleFactory(organisation=organisation, name="Treforest")
    leader = team_leader(circle, full_name="Rhian Lewis")
    medication = CredentialTypeFactory(code="med", name="Medication training")
    clients = [
        ClientFactory(circle=circle, preferred_name=f"Client {i}") for i in range(1 + gaps // 3)
    ]
    # The first client meets no new carers this month: those who never visited are refused.
    Client.objects.filter(pk=clients[0].pk).update(new_face_limit=0)
    people = [carer(circle, KINDS[i % 3], full_name=f"Carer {i:02}") for i in range(carers)]
    for i, person in enumerate(people):
        if i % 3 == 0:
            CredentialFactory(person=person, type=medication)
        elif i % 3 == 1:
            CredentialFactory(person=person, type=medication, valid_until=at(6, 0).date())
        if i % 4 == 1:
            CarerPreference.objects.create(
                client=clients[i % len(clients)], carer=person, preference=Preference.NOT_WANTED
            )
        if i % 4 == 2:
            CarerProfile.objects.filter(person=person).update(weekly_limit_hours=4)
        if i % 4 == 3:
            # No weekend visits for now: the gaps on Saturday 9 and Sunday 10 May are too many.
            CarerProfile.objects.filter(person=person).update(enough_weekends=0)
        if i % 5 == 3:
            services.record_absence(person, AbsenceKind.HOLIDAY, at(8, 0), at(10, 0))
        if i % 6 == 5:
            Membership.objects.filter(person=person, role=Role.CARER).update(
                ended_on=at(9, 0).date()
            )
        # Places held: an evening late in the week (rest before the next morning), and
        # three hours on Tuesday (a week's limit of four).
        place(planned_visit(clients[i % len(clients)], at(5 + i % 4, 21), hours=2), person)
        place(planned_visit(clients[-1], at(5, 13), hours=3), person)
        # Visits done in the last eight weeks, for each client's continuity.
        place(planned_visit(clients[i % len(clients)], at(20, 10, month=4)), person)
        place(planned_visit(clients[i % len(clients)], at(10, 10, month=3)), person)
    for i in range(gaps):
        client = clients[i % len(clients)]
        start = at(5 + i % 10, 8 + i % 4) + timedelta(minutes=30 * (i % 2))
        shift = planned_visit(
            client,
            start,
            needs=[medication] if i % 3 == 0 else [],
            essential=bool(i % 2),
            carers_needed=2 if i % 5 == 4 else 1,
        )
        if i % 5 == 4:
            # One of the two places is held by a carer the client would rather not have.
            unwanted = people[1 % len(people)]
            CarerPreference.objects.get_or_create(
                client=client, carer=unwanted, defaults={"preference": Preference.NOT_WANTED}
            )
            place(shift, unwanted)
    for i in range(gaps // 2):
        shift = planned_visit(clients[i % len(clients)], at(1 + i % 3, 8 + i % 5, month=5))
        if i % 2:
            place(shift, people[i % len(people)])
        missed(shift)
    for i, client in enumerate(clients[: 1 + gaps // 5]):
        services.record_client_away(
            client,
            at(20, 10) + timedelta(days=i),
            at(22, 10) + timedelta(days=i),
            reason=AwayReason.RESPITE,
        )
    for client in clients[: 1 + gaps // 4]:
        call = services.raise_help_request(client)
        escalate(call.pk)
    return circle, leader, people


def the_page(client, circle):
    return client.get(reverse("leaders:circle", args=[circle.pk]))


# Signed in (session, person, the leaders' door, unread messages, the menu's roles and
# whether they speak for a client): every leaders' page pays these.
SIGNED_IN = 6
# With a client who has a new-face limit: two of them read when each carer first visited
# that client and whom the client said is welcome (a circle without a limit reads neither).
# One reads the cover given at short notice, with whether this leader thanked each.
# One reads the circle's monthly check-ins, for what it lets its leaders see.
# The forecast's six (circles.forecast) among them.
PAGE = 35


@pytest.mark.parametrize(("carers", "gaps"), [(3, 2), (12, 10)])
def test_the_circle_page_costs_the_same_for_a_small_and_a_busy_circle(
    client, django_assert_num_queries, carers, gaps
):
    circle, leader, people = busy_circle(carers, gaps)
    client.force_login(leader)

    with django_assert_num_queries(SIGNED_IN + PAGE):
        response = the_page(client, circle)

    cards = response.context["cards"]
    assert len(cards) >= gaps
    page = words(response.text)
    assert all(person.full_name in page for person in people)
    assert len(response.context["missed"]) == gaps // 2


@pytest.mark.parametrize(("carers", "gaps"), [(3, 2), (12, 10)])
def test_who_could_take_each_visit_is_what_the_rules_say(client, carers, gaps):
    circle, leader, people = busy_circle(carers, gaps)
    client.force_login(leader)

    cards = the_page(client, circle).context["cards"]

    seen = set()
    for card in cards:
        holders = {holder.carer.pk: holder.problems for holder in card.holders}
        cannot = {person.pk: reasons for person, reasons in card.cannot}
        for person in people:
            violations = rules.check(person, card.shift, now=MONDAY_MORNING)
            seen.update(v.rule for v in violations)
            if person.pk in holders:
                lasting = [v.message for v in violations if v.rule in LASTING]
                assert holders[person.pk] == lasting, (person, card.shift)
            elif violations:
                assert cannot[person.pk] == [v.message for v in violations], (person, card.shift)
            else:
                assert person in card.can, (person, card.shift)
        assert len(card.can) + len(card.cannot) + len(card.holders) == len(people)
    if gaps >= 10:
        # The busy circle tries every rule but "already started" (its visits are to come).
        assert seen >= set(rules.Rule) - {rules.Rule.STARTED}, seen


def test_the_figures_added_up_from_the_days_are_the_sweeps(client):
    """The page reads each day's places once, for its strip, and adds them up for the
    circle's figures: they are those the sweep judges the circle on, to the visit."""
    circle, leader, _people = busy_circle(12, 10)
    client.force_login(leader)

    row = the_page(client, circle).context["row"]

    sweeps = figures([circle.pk], MONDAY_MORNING, MONDAY_MORNING + HORIZON)[circle.pk]
    assert sweeps.essential_gap is not None
    assert (row.capacity.slots_needed, row.capacity.slots_filled) == (
        sweeps.needed,
        sweeps.filled,
    )
    assert row.capacity.state == judge(circle, sweeps, MONDAY_MORNING)
    assert min(s.start for s in row.essential) == sweeps.essential_gap

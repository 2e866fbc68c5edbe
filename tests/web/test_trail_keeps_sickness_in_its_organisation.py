"""Who is sick is nobody else's business: Ana cares in Treforest (Valleys Care) and in
Hillside (Hill Care); her time off that released nothing names neither circle. Hillside's team
leader, filtering the trail by Ana, sees nothing of it; Valleys Care's and Hill Care's
coordinators do, since she is their carer. The carer filter offers today's carers only."""

import datetime

import pytest
from django.urls import reverse

from circles.models import Role
from rota import services
from rota.models import AbsenceKind
from tests.factories import MembershipFactory, PersonFactory
from tests.stories import MONDAY_MORNING, at, team_leader
from tests.web.test_leader_audit_trail import sentences

pytestmark = pytest.mark.now(MONDAY_MORNING)

SICK = "Ana Price is off (sick) from Mon 11 May 00:00 to Tue 12 May 00:00."


@pytest.fixture
def ana_off_sick(story):
    MembershipFactory(circle=story.hillside, person=story.ana, role=Role.CARER)
    services.record_absence(story.ana, AbsenceKind.SICK, at(11, 0), at(12, 0), actor=story.ana)


def test_a_leader_of_another_organisation_sees_nothing_of_her_sickness(client, story, ana_off_sick):
    hill_leader = team_leader(story.hillside, full_name="Heledd Hill")
    client.force_login(hill_leader)

    assert sentences(client, carer=story.ana.pk) == []
    assert sentences(client) == []


def test_her_own_team_leader_sees_only_what_names_their_circle(client, story, ana_off_sick):
    client.force_login(story.rhian)

    assert sentences(client, carer=story.ana.pk) == []


def test_the_coordinator_of_her_organisation_sees_it(client, story, ana_off_sick):
    client.force_login(story.nerys)

    assert sentences(client, carer=story.ana.pk) == [SICK]


def test_another_organisations_coordinator_does_not(client, story, ana_off_sick):
    hill_coordinator = PersonFactory(organisation=story.hill_care, is_staff=True)
    client.force_login(hill_coordinator)

    assert sentences(client, carer=story.ana.pk) == []


def test_the_carer_filter_offers_todays_carers_only(client, story):
    gone = story.ben.memberships.get(circle=story.circle)
    # Ben left Treforest this morning.
    gone.started_on, gone.ended_on = datetime.date(2026, 4, 1), datetime.date(2026, 5, 4)
    gone.save(update_fields=["started_on", "ended_on"])
    story.ana  # noqa: B018 - made, so there is a current carer to offer
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:trail"), {"carer": story.ben.pk}).content.decode()

    assert "Select a valid choice" in page
    assert "Ben Jones" not in page
    assert "Ana Price" in page

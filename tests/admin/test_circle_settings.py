"""A circle's time zone must be a real one and its thresholds must make sense, and a change
to them is in the audit trail; a family member is family of a client in that same circle."""

import pytest
from django.urls import reverse

from circles.models import Circle, Membership, Role
from rota.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def circle_form(organisation, **changes) -> dict:
    return {
        "organisation": organisation.pk,
        "name": "Abercynon",
        "timezone": "Europe/London",
        "strained_below_percent": "95",
        "not_coping_below_percent": "85",
        "essential_gap_hours": "48",
        "_save": "Save",
        **changes,
    }


def test_a_coordinators_new_circle_is_in_their_organisation(coordinator_client, valleys):
    page = coordinator_client.post(reverse("admin:circles_circle_add"), circle_form(valleys))

    assert page.status_code == 302
    assert Circle.objects.get(name="Abercynon").organisation == valleys


def test_a_time_zone_that_does_not_exist_is_refused(coordinator_client, valleys):
    page = coordinator_client.post(
        reverse("admin:circles_circle_add"), circle_form(valleys, timezone="Mars/Olympus")
    )

    assert "“Mars/Olympus” is not a time zone we know" in page.text
    assert not Circle.objects.filter(name="Abercynon").exists()


def test_not_coping_above_strained_is_refused(coordinator_client, valleys):
    page = coordinator_client.post(
        reverse("admin:circles_circle_add"),
        circle_form(valleys, strained_below_percent="80", not_coping_below_percent="90"),
    )

    assert "“Not coping” must be at or below “strained”" in page.text
    assert not Circle.objects.filter(name="Abercynon").exists()


def ana_as_family_of(circle, client) -> dict:
    """Treforest's page with Ana, its carer, also made family of `client`."""
    ana = Membership.objects.get(circle=circle)
    return {
        **circle_form(circle.organisation, name=circle.name),
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": ana.pk,
        "memberships-0-person": ana.person_id,
        "memberships-0-role": Role.CARER,
        "memberships-0-started_on": "2026-01-01",
        "memberships-1-person": ana.person_id,
        "memberships-1-role": Role.FAMILY,
        "memberships-1-client": client.pk,
        "memberships-1-started_on": "2026-01-01",
    }


def test_family_of_a_client_in_another_circle_is_refused(coordinator_client, circle, dilys):
    page = coordinator_client.post(
        reverse("admin:circles_circle_change", args=[circle.pk]), ana_as_family_of(circle, dilys)
    )

    assert "That client belongs to another circle." in page.text
    assert not Membership.objects.filter(role=Role.FAMILY).exists()


def test_family_of_a_client_in_the_circle_is_recorded(coordinator_client, circle, gwen):
    page = coordinator_client.post(
        reverse("admin:circles_circle_change", args=[circle.pk]), ana_as_family_of(circle, gwen)
    )

    assert page.status_code == 302
    assert Membership.objects.get(role=Role.FAMILY).client == gwen


def test_a_circle_without_a_team_leader_is_pointed_out(coordinator_client, circle, rhian):
    listed = coordinator_client.get(reverse("admin:circles_circle_changelist")).text
    assert '<td class="field-leader_count">1</td>' in listed
    page = coordinator_client.get(reverse("admin:circles_circle_change", args=[circle.pk])).text
    assert "has no team leader" not in page

    rhian.memberships.update(ended_on=circle.memberships.get(person=rhian).started_on)
    listed = coordinator_client.get(reverse("admin:circles_circle_changelist")).text
    assert '<td class="field-leader_count">none</td>' in listed
    page = coordinator_client.get(reverse("admin:circles_circle_change", args=[circle.pk])).text
    assert (
        "Treforest has no team leader today: until it has one, its alerts go to the "
        "coordinators of Valleys Care." in page
    )


def test_thresholds_changed_in_the_admin_are_in_the_trail(coordinator_client, circle, nerys):
    page = coordinator_client.post(
        reverse("admin:circles_circle_change", args=[circle.pk]),
        {
            **circle_form(circle.organisation, name=circle.name, essential_gap_hours="24"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert page.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id, event.circle_id) == (
        Action.SET_THRESHOLDS,
        nerys.pk,
        circle.pk,
    )
    assert (event.before, event.after) == ({"essential_gap_hours": 48}, {"essential_gap_hours": 24})


def test_saving_a_circle_with_its_thresholds_unchanged_records_nothing(coordinator_client, circle):
    page = coordinator_client.post(
        reverse("admin:circles_circle_change", args=[circle.pk]),
        {
            **circle_form(circle.organisation, name="Treforest and Rhydyfelin"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert page.status_code == 302
    assert Circle.objects.get(pk=circle.pk).name == "Treforest and Rhydyfelin"
    assert not AuditEvent.objects.exists()

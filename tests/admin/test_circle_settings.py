"""A circle's time zone must be a real one and its thresholds must make sense; a family
member is family of a client in that same circle."""

import pytest
from django.urls import reverse

from circles.models import Circle, Membership, Role
from people.models import Client, Person
from tests.factories import CircleFactory, ClientFactory

pytestmark = pytest.mark.django_db


def circle_form(riverside, **changes) -> dict:
    return {
        "organisation": riverside.pk,
        "name": "Riverside South",
        "timezone": "Europe/London",
        "strained_below_percent": "95",
        "not_coping_below_percent": "85",
        "essential_gap_hours": "48",
        "_save": "Save",
        **changes,
    }


def test_a_coordinators_new_circle_is_in_their_organisation(coordinator_client, riverside):
    page = coordinator_client.post(reverse("admin:circles_circle_add"), circle_form(riverside))

    assert page.status_code == 302
    assert Circle.objects.get(name="Riverside South").organisation == riverside


def test_a_time_zone_that_does_not_exist_is_refused(coordinator_client, riverside):
    page = coordinator_client.post(
        reverse("admin:circles_circle_add"), circle_form(riverside, timezone="Mars/Olympus")
    )

    assert "“Mars/Olympus” is not a time zone we know" in page.text
    assert not Circle.objects.filter(name="Riverside South").exists()


def test_not_coping_above_strained_is_refused(coordinator_client, riverside):
    page = coordinator_client.post(
        reverse("admin:circles_circle_add"),
        circle_form(riverside, strained_below_percent="80", not_coping_below_percent="90"),
    )

    assert "“Not coping” must be at or below “strained”" in page.text
    assert not Circle.objects.filter(name="Riverside South").exists()


def test_family_of_a_client_in_another_circle_is_refused(coordinator_client, riverside):
    north = Circle.objects.get(name="Riverside North")
    south = CircleFactory(organisation=riverside, name="Riverside South")
    elsewhere = ClientFactory(circle=south, full_name="Dilys Morgan")
    daughter = Person.objects.get(full_name="Rhian Evans")

    page = coordinator_client.post(
        reverse("admin:circles_circle_change", args=[north.pk]),
        {
            **circle_form(riverside, name="Riverside North"),
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": Membership.objects.get(circle=north).pk,
            "memberships-0-person": daughter.pk,
            "memberships-0-role": Role.CARER,
            "memberships-0-started_on": "2026-01-01",
            "memberships-1-person": daughter.pk,
            "memberships-1-role": Role.FAMILY,
            "memberships-1-client": elsewhere.pk,
            "memberships-1-started_on": "2026-01-01",
        },
    )

    assert "That client belongs to another circle." in page.text
    assert not Membership.objects.filter(role=Role.FAMILY).exists()


def test_family_of_a_client_in_the_circle_is_recorded(coordinator_client, riverside):
    north = Circle.objects.get(name="Riverside North")
    agnes = Client.objects.get(full_name="Agnes Underwood")
    daughter = Person.objects.get(full_name="Rhian Evans")

    page = coordinator_client.post(
        reverse("admin:circles_circle_change", args=[north.pk]),
        {
            **circle_form(riverside, name="Riverside North"),
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": Membership.objects.get(circle=north).pk,
            "memberships-0-person": daughter.pk,
            "memberships-0-role": Role.CARER,
            "memberships-0-started_on": "2026-01-01",
            "memberships-1-person": daughter.pk,
            "memberships-1-role": Role.FAMILY,
            "memberships-1-client": agnes.pk,
            "memberships-1-started_on": "2026-01-01",
        },
    )

    assert page.status_code == 302
    assert Membership.objects.get(role=Role.FAMILY).client == agnes

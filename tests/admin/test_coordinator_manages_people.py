"""A coordinator adds people to their organisation (who then choose their own password from
an invitation: test_coordinator_invites_people.py), and no more power than their own:
superuser status, groups and permissions are not theirs to see or set."""

import pytest
from django.urls import reverse

from people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_person_added_by_a_coordinator_joins_the_coordinators_organisation(
    coordinator_client, valleys
):
    page = coordinator_client.post(
        reverse("admin:people_person_add"),
        {
            "email": "Nia.Jones@Example.org",
            "full_name": "Nia Jones",
            "language": "cy",
        },
        follow=True,
    )

    nia = Person.objects.get(full_name="Nia Jones")
    assert nia.organisation == valleys
    assert nia.email == "nia.jones@example.org"
    assert nia.language == "cy"
    assert not nia.is_superuser
    # Like Django's users: saved, then on to the page for the rest of their details.
    assert page.redirect_chain[-1][0] == reverse("admin:people_person_change", args=[nia.pk])


def test_an_email_already_in_use_in_another_case_is_refused(coordinator_client, valleys):
    PersonFactory(email="nia@example.org", organisation=valleys)

    page = coordinator_client.post(
        reverse("admin:people_person_add"),
        {
            "email": "NIA@example.org",
            "full_name": "Nia Jones",
            "language": "en",
        },
    )

    assert "Someone already signs in with this email address." in page.text
    assert Person.objects.filter(email__iexact="nia@example.org").count() == 1


def test_a_coordinator_does_not_see_superuser_status_groups_or_permissions(coordinator_client, ana):
    page = coordinator_client.get(reverse("admin:people_person_change", args=[ana.pk]))

    assert page.status_code == 200
    for field in ("is_superuser", "groups", "user_permissions", "organisation"):
        assert f'name="{field}"' not in page.text


def test_a_coordinator_cannot_make_someone_a_superuser(coordinator_client, valleys, ana):
    page = coordinator_client.post(
        reverse("admin:people_person_change", args=[ana.pk]),
        {
            "email": ana.email,
            "full_name": "Ana Price-Jones",
            "language": "en",
            "is_active": "on",
            "is_superuser": "on",
            "carer_profile-TOTAL_FORMS": 0,
            "carer_profile-INITIAL_FORMS": 0,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "credentials-TOTAL_FORMS": 0,
            "credentials-INITIAL_FORMS": 0,
        },
    )

    assert page.status_code == 302, "the rest of the change is saved"
    ana.refresh_from_db()
    assert ana.full_name == "Ana Price-Jones"
    assert not ana.is_superuser
    assert ana.organisation == valleys


def test_a_superuser_sets_organisation_and_superuser_status(admin_client, ana):
    page = admin_client.get(reverse("admin:people_person_change", args=[ana.pk]))

    for field in ("is_superuser", "groups", "organisation"):
        assert f'name="{field}"' in page.text

"""A coordinator sees and edits only their own organisation; a superuser sees every one."""

import pytest
from django.urls import reverse

from circles.models import Circle
from people.models import Client, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changelist", "ours", "theirs"),
    [
        ("admin:circles_circle_changelist", "Treforest", "Hillside"),
        ("admin:people_client_changelist", "Gwen Davies", "Bart Quince"),
        ("admin:people_person_changelist", "Ana Price", "Hywel Pryce"),
        ("admin:circles_membership_changelist", "Ana Price", "Hywel Pryce"),
        ("admin:people_employer_changelist", "County Council", "Hill Care"),
    ],
)
def test_coordinator_lists_show_their_organisation_and_nothing_of_another(
    coordinator_client, hill_care, changelist, ours, theirs
):
    page = coordinator_client.get(reverse(changelist))

    assert page.status_code == 200
    assert ours in page.text
    assert theirs not in page.text


def test_superuser_lists_show_every_organisation(admin_client, valleys, hill_care):
    page = admin_client.get(reverse("admin:circles_circle_changelist"))

    assert "Treforest" in page.text
    assert "Hillside" in page.text


@pytest.mark.parametrize(
    ("model", "lookup", "name"),
    [
        (Circle, "name", "Hillside"),
        (Client, "full_name", "Bart Quince"),
        (Person, "full_name", "Hywel Pryce"),
    ],
)
def test_another_organisations_page_does_not_exist_for_a_coordinator(
    coordinator_client, hill_care, model, lookup, name
):
    theirs = model.objects.get(**{lookup: name})
    opts = model._meta

    page = coordinator_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[theirs.pk]), follow=True
    )

    assert "doesn’t exist" in page.text
    assert name not in page.text


def test_another_organisations_password_page_is_not_found(coordinator_client, hill_care, hywel):
    page = coordinator_client.get(reverse("admin:auth_user_password_change", args=[hywel.pk]))

    assert page.status_code == 404


def test_the_circle_choices_for_a_new_client_are_the_coordinators_own(
    coordinator_client, hill_care
):
    page = coordinator_client.get(reverse("admin:people_client_add"))

    assert "Treforest" in page.text
    assert "Hillside" not in page.text


def test_a_client_cannot_be_put_in_another_organisations_circle(
    coordinator_client, hill_care, hillside
):
    page = coordinator_client.post(
        reverse("admin:people_client_add"),
        {
            "circle": hillside.pk,
            "full_name": "Cuthbert Sly",
            "preferred_name": "Cuthbert",
            "address": "1 High Street",
            "plans-TOTAL_FORMS": 0,
            "plans-INITIAL_FORMS": 0,
            "carer_preferences-TOTAL_FORMS": 0,
            "carer_preferences-INITIAL_FORMS": 0,
        },
    )

    assert "Select a valid choice" in page.text
    assert not Client.objects.filter(full_name="Cuthbert Sly").exists()


def test_circle_choices_in_a_persons_roles_are_the_coordinators_own(
    coordinator_client, ana, hill_care
):
    page = coordinator_client.get(reverse("admin:people_person_change", args=[ana.pk]))

    assert "Treforest" in page.text
    assert "Hillside" not in page.text


def test_person_autocomplete_offers_only_the_coordinators_people(coordinator_client, hill_care):
    page = coordinator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "circles", "model_name": "membership", "field_name": "person", "term": ""},
    )

    names = [result["text"] for result in page.json()["results"]]
    assert "Ana Price" in names
    assert "Hywel Pryce" not in names


def test_superusers_stay_out_of_a_coordinators_reach(coordinator_client, valleys):
    Person.objects.create_superuser(
        "root@example.org",
        "a-long-test-password",
        full_name="Sid Superuser",
        organisation=valleys,
    )

    page = coordinator_client.get(reverse("admin:people_person_changelist"))

    assert "Sid Superuser" not in page.text


def test_a_coordinator_sees_their_organisation_only(coordinator_client, hill_care):
    page = coordinator_client.get(reverse("admin:circles_organisation_changelist"))

    assert "Valleys Care" in page.text
    assert "Hill Care" not in page.text


def test_staff_without_an_organisation_may_not_use_the_pages(client, valleys):
    client.force_login(PersonFactory(is_staff=True))

    page = client.get(reverse("admin:circles_circle_changelist"))

    assert page.status_code == 403

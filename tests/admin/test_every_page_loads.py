"""Every list in the admin opens for a superuser and shows what it holds."""

import pytest
from django.urls import reverse

from circles.models import Circle
from people.models import CarerPreference, Client, Person, Preference
from tests.admin.rota_cast import riverside_rota
from tests.factories import CredentialFactory, CredentialTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(riverside):
    CredentialFactory(
        person=Person.objects.get(full_name="Rhian Evans"),
        type=CredentialTypeFactory(code="dbs", name="DBS check"),
        reference="DBS-0001",
    )
    return riverside_rota()


@pytest.mark.parametrize(
    ("changelist", "shows"),
    [
        ("circles_organisation", "Riverside Care"),
        ("circles_circle", "Riverside North"),
        ("circles_membership", "Gareth Lloyd"),
        ("people_person", "Gareth Lloyd"),
        ("people_employer", "County Council"),
        ("people_carerprofile", "Council home-care worker"),
        ("people_credentialtype", "DBS check"),
        ("people_credential", "DBS-0001"),
        ("people_client", "Agnes Underwood"),
        ("rota_visitplan", "Breakfast"),
        ("rota_shift", "Agnes Underwood"),
        ("rota_assignment", "Rhian Evans"),
        ("rota_offer", "Rhian Evans on Agnes Underwood"),
        ("rota_swap", "Gareth Lloyd on Agnes Underwood"),
        ("rota_absence", "Training"),
        ("rota_familyvisit", "Agnes Underwood"),
        ("rota_helprequest", "Asking carers"),
        ("rota_auditevent", "generate_shifts"),
    ],
)
def test_each_list_opens_and_shows_its_rows(admin_client, everything, changelist, shows):
    page = admin_client.get(reverse(f"admin:{changelist}_changelist"))

    assert page.status_code == 200
    assert shows in page.text


def test_a_carer_preference_list_opens(admin_client, riverside):
    CarerPreference.objects.create(
        client=Client.objects.get(full_name="Agnes Underwood"),
        carer=Person.objects.get(full_name="Rhian Evans"),
        preference=Preference.NOT_WANTED,
    )

    page = admin_client.get(reverse("admin:people_carerpreference_changelist"))

    assert "Agnes Underwood: Rather not Rhian Evans" in page.text


def test_the_admin_home_opens_for_a_coordinator(coordinator_client):
    page = coordinator_client.get(reverse("admin:index"))

    assert "Circles" in page.text
    assert "Visit plans" in page.text
    assert "Groups" not in page.text


@pytest.mark.parametrize(
    "add_page",
    [
        "circles_circle",
        "circles_membership",
        "people_person",
        "people_employer",
        "people_carerprofile",
        "people_credential",
        "people_carerpreference",
        "people_client",
        "rota_visitplan",
    ],
)
def test_each_form_a_coordinator_fills_in_opens(coordinator_client, add_page):
    page = coordinator_client.get(reverse(f"admin:{add_page}_add"))

    assert page.status_code == 200
    assert 'name="_save"' in page.text


def test_each_change_page_opens_for_a_superuser(admin_client, everything):
    circle = Circle.objects.get(name="Riverside North")
    person = Person.objects.get(full_name="Rhian Evans")
    client = Client.objects.get(full_name="Agnes Underwood")

    for name, obj in [
        ("circles_circle", circle),
        ("people_person", person),
        ("people_client", client),
    ]:
        page = admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert str(obj) in page.text

"""Every list in the admin opens for a superuser and shows what it holds."""

import pytest
from django.urls import reverse

from people.models import CarerPreference, Preference
from tests.factories import CredentialFactory, CredentialTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(rota, ana):
    """The rota's one of everything, and Ana's DBS check."""
    CredentialFactory(
        person=ana, type=CredentialTypeFactory(code="dbs", name="DBS check"), reference="DBS-0001"
    )
    return rota


@pytest.mark.parametrize(
    ("changelist", "shows"),
    [
        ("circles_organisation", "Valleys Care"),
        ("circles_circle", "Treforest"),
        ("circles_membership", "Ben Jones"),
        ("people_person", "Ben Jones"),
        ("people_employer", "County Council"),
        ("people_carerprofile", "Council home-care worker"),
        ("people_credentialtype", "DBS check"),
        ("people_credential", "DBS-0001"),
        ("people_client", "Gwen Davies"),
        ("rota_visitplan", "Breakfast"),
        ("rota_shift", "Gwen Davies"),
        ("rota_assignment", "Ana Price"),
        ("rota_offer", "Ana Price on Gwen Davies"),
        ("rota_swap", "Ben Jones on Gwen Davies"),
        ("rota_absence", "Training"),
        ("rota_familyvisit", "Gwen Davies"),
        ("rota_helprequest", "Asking carers"),
        ("rota_auditevent", "generate_shifts"),
    ],
)
def test_each_list_opens_and_shows_its_rows(admin_client, everything, changelist, shows):
    page = admin_client.get(reverse(f"admin:{changelist}_changelist"))

    assert page.status_code == 200
    assert shows in page.text


def test_a_carer_preference_list_opens(admin_client, gwen, ana):
    CarerPreference.objects.create(client=gwen, carer=ana, preference=Preference.NOT_WANTED)

    page = admin_client.get(reverse("admin:people_carerpreference_changelist"))

    assert "Gwen Davies: Rather not Ana Price" in page.text


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


def test_each_change_page_opens_for_a_superuser(admin_client, everything, circle, ana, gwen):
    for name, obj in [
        ("circles_circle", circle),
        ("people_person", ana),
        ("people_client", gwen),
    ]:
        page = admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert str(obj) in page.text


@pytest.mark.parametrize(
    "address",
    [
        "start__year=2200000000",
        "start__year=99999999999999999999",
        "start__year=9999",
        "start__year=9999&start__month=12&start__day=31",
        "start__year=2026&start__month=13",
    ],
)
def test_a_list_asked_for_a_date_past_any_calendar_says_so(coordinator_client, rota, address):
    """Visits by year, month and day (the admin's date links), with a date no calendar has:
    as for a 13th month, the list opens again without its filters, and is no error page."""
    url = reverse("admin:rota_shift_changelist")

    page = coordinator_client.get(f"{url}?{address}", follow=True)

    assert page.status_code == 200
    assert page.redirect_chain == [(f"{url}?e=1", 302)]
    assert "Gwen Davies" in page.text

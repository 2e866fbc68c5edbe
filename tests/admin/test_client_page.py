"""On a client's page the coordinator writes their care plan and who they would rather
(not) have; the rota follows the plan, and a second wish about the same carer is refused."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import CarerPreference, Client, CredentialType, Preference
from rota.models import Action, AuditEvent, Shift, VisitPlan
from rota.services.clients import PROFILE_FIELDS
from tests.factories import CredentialTypeFactory

pytestmark = pytest.mark.django_db


def client_page(client: Client, **rows) -> dict:
    """The client's page as it stands, with no plan or preference rows unless given."""
    data = {
        "circle": client.circle_id,
        "full_name": client.full_name,
        "preferred_name": client.preferred_name,
        "address": client.address,
        **{
            field: getattr(client, field)
            for field in ("access_notes", "who_to_phone", *PROFILE_FIELDS)
        },
        "plans-TOTAL_FORMS": "0",
        "plans-INITIAL_FORMS": "0",
        "carer_preferences-TOTAL_FORMS": "0",
        "carer_preferences-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data.update(rows)
    return data


def with_a_lunch_plan(client: Client, **plan) -> dict:
    """The client's page with one plan row: lunch at noon for an hour, from today."""
    return client_page(
        client,
        **{
            "plans-TOTAL_FORMS": "1",
            "plans-0-title": "Lunch",
            "plans-0-start_time": "12:00",
            "plans-0-duration_minutes": "60",
            "plans-0-starts_on": timezone.localdate().isoformat(),
            **{f"plans-0-{field}": value for field, value in plan.items()},
        },
    )


def test_a_plan_written_on_the_clients_page_fills_the_rota(coordinator_client, gwen):
    page = coordinator_client.post(
        reverse("admin:people_client_change", args=[gwen.pk]),
        with_a_lunch_plan(gwen, weekdays=["5", "6"], carers_needed="2"),
        follow=True,
    )

    plan = VisitPlan.objects.get(client=gwen)
    assert plan.rrule == "FREQ=WEEKLY;BYDAY=SA,SU"
    future = Shift.objects.filter(plan=plan, start__gt=timezone.now())
    assert future.exists()
    assert {shift.carers_needed for shift in future} == {2}
    assert "The care plan is saved" in page.text


def test_a_plan_row_without_a_day_is_refused_on_the_clients_page(coordinator_client, gwen):
    page = coordinator_client.post(
        reverse("admin:people_client_change", args=[gwen.pk]),
        with_a_lunch_plan(gwen, carers_needed="1"),
    )

    assert "Tick at least one day of the week for this visit." in page.text
    assert not VisitPlan.objects.exists()


def test_a_second_wish_about_the_same_carer_is_refused_not_an_error_page(
    coordinator_client, gwen, ana
):
    CarerPreference.objects.create(client=gwen, carer=ana, preference=Preference.PREFERRED)

    page = coordinator_client.post(
        reverse("admin:people_client_change", args=[gwen.pk]),
        client_page(
            gwen,
            **{
                "carer_preferences-TOTAL_FORMS": "1",
                "carer_preferences-0-carer": ana.pk,
                "carer_preferences-0-preference": Preference.NOT_WANTED,
            },
        ),
    )

    assert page.status_code == 200
    assert "already exists" in page.text
    assert CarerPreference.objects.get(client=gwen, carer=ana).preference == "preferred"


def test_a_new_clients_emergency_visits_need_the_dbs_check_unless_told_otherwise(
    coordinator_client,
):
    dbs = CredentialTypeFactory(code=CredentialType.DBS, name="DBS check")
    first_aid = CredentialTypeFactory(code="first-aid", name="First aid")
    page = coordinator_client.get(reverse("admin:people_client_add")).text
    assert f'name="emergency_credentials" value="{dbs.pk}"' in page
    ticked = re.findall(
        r'<input type="checkbox" name="emergency_credentials" value="(\d+)"[^>]*checked', page
    )
    assert ticked == [str(dbs.pk)]
    assert str(first_aid.pk) in page


def test_likes_written_on_the_clients_page_are_kept_in_the_trail_as_the_coordinators(
    coordinator_client, gwen, nerys
):
    gwen.likes = "Radio Cymru."
    gwen.save()

    coordinator_client.post(
        reverse("admin:people_client_change", args=[gwen.pk]),
        client_page(gwen, likes="Radio Cymru and the crossword."),
        follow=True,
    )

    gwen.refresh_from_db()
    assert gwen.likes == "Radio Cymru and the crossword."
    event = AuditEvent.objects.get(action=Action.EDIT_PROFILE)
    assert event.actor_id == nerys.pk
    assert event.client_id == gwen.pk
    assert event.before == {"likes": "Radio Cymru."}
    assert event.after == {"likes": "Radio Cymru and the crossword."}


def test_saving_the_clients_page_without_touching_the_likes_records_no_change_to_them(
    coordinator_client, gwen
):
    coordinator_client.post(
        reverse("admin:people_client_change", args=[gwen.pk]),
        client_page(gwen, full_name="Gwen Jones-Evans"),
        follow=True,
    )

    gwen.refresh_from_db()
    assert gwen.full_name == "Gwen Jones-Evans"
    assert not AuditEvent.objects.filter(action=Action.EDIT_PROFILE).exists()


def test_a_plans_tasks_and_medicines_are_written_as_lines_on_the_clients_page(
    coordinator_client, gwen
):
    """The lists are text boxes of lines, with no hidden copy of their first value beside them
    (a hidden input may not carry the help text's aria-describedby)."""
    coordinator_client.post(
        reverse("admin:people_client_change", args=[gwen.pk]),
        with_a_lunch_plan(
            gwen,
            weekdays=["0"],
            carers_needed="1",
            tasks="Lunch\nWash up",
            medicines="Metformin 500 mg",
        ),
    )
    plan = VisitPlan.objects.get(client=gwen)
    assert (plan.tasks, plan.medicines) == (["Lunch", "Wash up"], ["Metformin 500 mg"])

    page = coordinator_client.get(reverse("admin:people_client_change", args=[gwen.pk])).text

    assert "Lunch\nWash up</textarea>" in page
    assert 'name="initial-plans-' not in page

"""In the admin the rota is looked at, never edited: every change to it goes through the
rota services (docs/design.md, The domain API), so even a superuser finds no save button and no add
page."""

import pytest
from django.urls import reverse

from rota import audit
from rota.models import Action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["superuser", "coordinator"])
@pytest.mark.parametrize("what", ["shift", "assignment", "event"])
def test_a_rota_page_can_be_read_but_has_no_save_button(
    request, rota, admin_client, coordinator_client, who, what
):
    browser = admin_client if who == "superuser" else coordinator_client
    obj = getattr(rota, what)
    opts = obj._meta

    page = browser.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert 'name="_continue"' not in page.text


@pytest.mark.parametrize(
    ("what", "change_page", "posted"),
    [
        (
            "shift",
            lambda shift: reverse("admin:rota_shift_change", args=[shift.pk]),
            {"status": "cancelled", "cancel_reason": "Because", "carers_needed": "3"},
        ),
        (
            "assignment",
            lambda assignment: reverse("admin:rota_assignment_change", args=[assignment.pk]),
            {"missed": "on"},
        ),
        (
            "event",
            lambda event: reverse("admin:rota_auditevent_change", args=[event.pk]),
            {"action": "forged"},
        ),
    ],
    ids=["shift", "assignment", "event"],
)
def test_posting_to_a_rota_page_changes_nothing(admin_client, rota, what, change_page, posted):
    row = getattr(rota, what)
    stored = type(row).objects.values()
    before = stored.get(pk=row.pk)

    page = admin_client.post(change_page(row), posted)

    assert page.status_code == 403
    assert stored.get(pk=row.pk) == before


@pytest.mark.parametrize(
    "model",
    ["shift", "assignment", "auditevent", "offer", "swap", "absence", "familyvisit", "helprequest"],
)
def test_nothing_in_the_rota_can_be_added_or_deleted_here(admin_client, rota, model):
    assert admin_client.get(reverse(f"admin:rota_{model}_add")).status_code == 403
    changelist = admin_client.get(reverse(f"admin:rota_{model}_changelist"))
    assert "delete_selected" not in changelist.text


def test_the_audit_trail_lists_time_action_subject_circle_and_actor(admin_client, rota):
    page = admin_client.get(reverse("admin:rota_auditevent_changelist"))

    for heading in ("Time", "Action", "Subject", "Circle id", "Actor id"):
        assert heading in page.text
    assert f"rota.assignment {rota.assignment.pk}" in page.text


def test_a_coordinator_reads_only_their_organisations_trail(coordinator_client, rota, hillside):
    audit.record(Action.CANCEL_SHIFT, hillside, circle_id=hillside.pk)

    page = coordinator_client.get(reverse("admin:rota_auditevent_changelist"))

    # Rows are told apart by their subject: the action column shows each action's words,
    # and the filter beside the list names every action there is.
    assert f"rota.assignment {rota.assignment.pk}" in page.text
    assert f"circles.circle {hillside.pk}" not in page.text

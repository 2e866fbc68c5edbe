"""A nerys changes the rota from the admin only through actions that call the rota
services: the rules are checked, a refusal is shown in its own words against the visit it
concerns, and the audit trail names the nerys."""

import html
from datetime import date, timedelta

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from circles.models import Membership
from rota import services
from rota.models import (
    Absence,
    AbsenceKind,
    Assignment,
    AuditEvent,
    FamilyVisitStatus,
    HelpStatus,
    ReleaseReason,
    ShiftStatus,
)
from tests.factories import AssignmentFactory, carer
from tests.outcomes import holders
from tests.stories import WEDNESDAY_NOON, at, planned_visit, visit

# It is Wednesday 29 April, noon: the visits are from Monday 4 May on.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def says(page) -> str:
    """The page's text as a person reads it (apostrophes and ampersands unescaped)."""
    return html.unescape(page.text)


def choose(browser, model: str, action: str, objects):
    """Tick the objects in the list and pick the action from the drop-down."""
    return act(browser, model, objects, action=action, index="0")


def apply(browser, model: str, action: str, objects, **answers):
    """Send the action's intermediate form, as its "apply" button does."""
    return act(browser, model, objects, action=action, apply="yes", **answers)


def act(browser, model: str, objects, **form):
    """Post `form` to the list of `model`, with `objects` ticked."""
    ticked = {helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
    return browser.post(reverse(f"admin:rota_{model}_changelist"), {**form, **ticked}, follow=True)


# Cancelling visits


def test_cancelling_two_visits_with_a_reason_cancels_both(coordinator_client, nerys, gwen, ana):
    monday, tuesday = visit(gwen, at(4, 8)), visit(gwen, at(5, 8))
    place = AssignmentFactory(shift=monday, carer=ana)

    form = choose(coordinator_client, "shift", "cancel_visits", [monday, tuesday])

    assert "Why are they cancelled?" in says(form)
    assert "Gwen Davies Mon 04 May 08:00" in says(form)
    assert "Gwen Davies Tue 05 May 08:00" in says(form)

    page = apply(
        coordinator_client,
        "shift",
        "cancel_visits",
        [monday, tuesday],
        reason="Gwen is in hospital",
    )

    assert "2 visits cancelled." in says(page)
    for shift in (monday, tuesday):
        shift.refresh_from_db()
        assert shift.status == ShiftStatus.CANCELLED
        assert shift.cancel_reason == "Gwen is in hospital"
    place.refresh_from_db()
    assert place.release_reason == ReleaseReason.CANCELLED
    assert holders(monday) == []
    events = AuditEvent.objects.filter(action="cancel_shift")
    assert {e.subject_id for e in events} == {monday.pk, tuesday.pk}
    assert {e.actor_id for e in events} == {nerys.pk}
    assert events.get(subject_id=monday.pk).carer_ids == [ana.pk]


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_without_a_reason_asks_again_and_changes_nothing(
    coordinator_client, gwen, ana, reason
):
    monday = visit(gwen, at(4, 8))
    AssignmentFactory(shift=monday, carer=ana)

    page = apply(coordinator_client, "shift", "cancel_visits", [monday], reason=reason)

    assert "Say why the visits are cancelled." in says(page)
    assert 'name="apply"' in page.text
    monday.refresh_from_db()
    assert monday.status == ShiftStatus.PLANNED
    assert holders(monday) == [ana]
    assert not AuditEvent.objects.filter(action="cancel_shift").exists()


def test_a_visit_already_under_way_is_not_cancelled_and_says_why(coordinator_client, gwen):
    under_way = visit(gwen, WEDNESDAY_NOON - timedelta(minutes=30))
    tomorrow = visit(gwen, at(4, 8))

    page = apply(coordinator_client, "shift", "cancel_visits", [under_way, tomorrow], reason="Snow")

    assert f"{under_way}: This visit has already started." in says(page)
    assert "1 visit cancelled." in says(page)
    under_way.refresh_from_db()
    assert under_way.status == ShiftStatus.PLANNED


# Putting a carer on visits


def test_the_carers_offered_are_the_active_carers_of_the_visits_circle(
    coordinator_client, circle, gwen, hill_care
):
    gone = carer(circle, full_name="Gethin Left")
    Membership.objects.filter(person=gone).update(
        started_on=date(2026, 1, 5), ended_on=date(2026, 4, 1)
    )
    monday = visit(gwen, at(4, 8))

    form = choose(coordinator_client, "shift", "put_carer_on", [monday])

    assert "Ana Price" in says(form)
    assert "Gethin Left" not in says(form)
    assert "Hywel Pryce" not in says(form)


def test_putting_a_carer_on_a_visit_the_rules_allow(coordinator_client, nerys, gwen, ana):
    monday = visit(gwen, at(4, 8))

    page = apply(coordinator_client, "shift", "put_carer_on", [monday], carer=ana.pk)

    assert "Ana Price is now on 1 visit." in says(page)
    assert holders(monday) == [ana]
    event = AuditEvent.objects.get(action="assign")
    assert event.actor_id == nerys.pk
    assert event.carer_ids == [ana.pk]


def test_a_carer_the_rules_refuse_is_not_put_on_and_the_page_says_why(
    coordinator_client, gwen, ana, medication
):
    monday = planned_visit(gwen, at(4, 8), title="Tablets", needs=[medication])

    page = apply(coordinator_client, "shift", "put_carer_on", [monday], carer=ana.pk)

    assert (
        "Gwen Davies Mon 04 May 08:00: Ana Price: "
        "This visit needs Medication administration, which you don't have."
    ) in says(page)
    assert "is now on" not in says(page)
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.filter(action="assign").exists()


def test_each_visit_is_judged_on_its_own(coordinator_client, gwen, ana):
    monday, also_monday = visit(gwen, at(4, 8)), visit(gwen, at(4, 8))

    page = apply(coordinator_client, "shift", "put_carer_on", [monday, also_monday], carer=ana.pk)

    assert "Ana Price is now on 1 visit." in says(page)
    assert "Ana Price: It overlaps your visit to Gwen, Mon 4 May 08:00 to 09:00." in says(page)
    assert Assignment.objects.filter(carer=ana).count() == 1


def test_the_list_of_visits_shows_who_is_on_each(coordinator_client, gwen, ana):
    monday = visit(gwen, at(4, 8))
    AssignmentFactory(shift=monday, carer=ana)

    listing = coordinator_client.get(reverse("admin:rota_shift_changelist"))
    page = coordinator_client.get(reverse("admin:rota_shift_change", args=[monday.pk]))

    assert "Ana Price" in listing.text
    assert "Carers on it" in page.text and "Ana Price" in page.text


# Recording an absence


def off_sick(browser, carer, start: str, end: str, **options):
    """Send the admin's "Record an absence" form: `carer` is off sick from `start` to `end`."""
    return browser.post(
        reverse("admin:rota_absence_record"),
        {"carer": carer.pk, "kind": "sick", "start": start, "end": end},
        **options,
    )


def test_a_coordinator_records_an_absence_that_releases_the_carers_visits(
    coordinator_client, nerys, gwen, ana
):
    monday = AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    friday = AssignmentFactory(shift=visit(gwen, at(8, 8)), carer=ana)

    listing = coordinator_client.get(reverse("admin:rota_absence_changelist"))
    form = coordinator_client.get(reverse("admin:rota_absence_record"))
    page = off_sick(coordinator_client, ana, "2026-05-04T00:00", "2026-05-07T00:00", follow=True)

    assert "Record an absence" in listing.text
    assert "Ana Price" in says(form) and "Hywel Pryce" not in says(form)
    assert (
        "Ana Price is off (sick) from Mon 4 May 2026 00:00 until Thu 7 May 2026 00:00."
    ) in says(page)
    assert "1 visit was released and needs cover: Gwen Davies Mon 04 May 08:00." in says(page)
    absence = Absence.objects.get(carer=ana)
    assert (absence.kind, absence.start, absence.end) == (AbsenceKind.SICK, at(4, 0), at(7, 0))
    assert list(absence.released.all()) == [monday]
    monday.refresh_from_db()
    friday.refresh_from_db()
    assert monday.release_reason == ReleaseReason.ABSENCE
    assert friday.is_held
    assert AuditEvent.objects.get(action="record_absence").actor_id == nerys.pk


def test_an_absence_ending_before_it_starts_is_refused_in_words(coordinator_client, ana):
    page = off_sick(coordinator_client, ana, "2026-05-07T00:00", "2026-05-04T00:00")

    assert "Ana Price: The end must be after the start." in says(page)
    assert not Absence.objects.exists()


def test_a_carer_of_another_organisation_cannot_be_recorded_absent(coordinator_client, hywel):
    page = off_sick(coordinator_client, hywel, "2026-05-04T00:00", "2026-05-07T00:00")

    assert "Select a valid choice" in says(page)
    assert not Absence.objects.exists()


# Help requests, family visits, memberships


def test_im_on_it_marks_the_coordinator_as_acknowledging(coordinator_client, nerys, gwen):
    help_request = services.raise_help_request(gwen)

    page = choose(coordinator_client, "helprequest", "acknowledge", [help_request])

    assert "You are on 1 help request" in says(page)
    help_request.refresh_from_db()
    assert help_request.acknowledged_by == nerys
    assert help_request.status == HelpStatus.ACKNOWLEDGED


def test_cancelling_a_help_request_cancels_its_visit(coordinator_client, gwen):
    help_request = services.raise_help_request(gwen)

    page = choose(coordinator_client, "helprequest", "cancel_requests", [help_request])

    assert "1 help request cancelled." in says(page)
    help_request.refresh_from_db()
    help_request.shift.refresh_from_db()
    assert help_request.status == HelpStatus.CANCELLED
    assert help_request.shift.status == ShiftStatus.CANCELLED


def test_withdrawing_a_family_visit_plans_the_freed_visit_again(
    coordinator_client, gwen, ana, sian
):
    lunch = planned_visit(gwen, at(9, 12), title="Lunch")
    AssignmentFactory(shift=lunch, carer=ana)
    family_visit = services.record_family_visit(sian, gwen, at(9, 11), at(9, 15))

    page = apply(coordinator_client, "familyvisit", "withdraw", [family_visit])

    assert "1 family visit withdrawn" in says(page)
    family_visit.refresh_from_db()
    lunch.refresh_from_db()
    assert family_visit.status == FamilyVisitStatus.WITHDRAWN
    assert lunch.status == ShiftStatus.PLANNED
    assert holders(lunch) == [ana]


def test_ending_a_carers_membership_today_releases_their_visits(coordinator_client, gwen, ana):
    place = AssignmentFactory(shift=visit(gwen, at(4, 8)), carer=ana)
    membership = Membership.objects.get(person=ana)

    page = coordinator_client.post(
        reverse("admin:circles_membership_changelist"),
        {"action": "end_today", "index": "0", helpers.ACTION_CHECKBOX_NAME: [membership.pk]},
        follow=True,
    )

    assert "1 membership ended today." in says(page)
    membership.refresh_from_db()
    place.refresh_from_db()
    assert membership.ended_on == date(2026, 4, 29)
    assert place.release_reason == ReleaseReason.LEFT_CIRCLE


# Another organisation's rota


def test_another_organisations_visits_are_not_in_the_coordinators_list(
    coordinator_client, gwen, bart
):
    visit(gwen, at(4, 8))
    visit(bart, at(4, 8))

    page = coordinator_client.get(reverse("admin:rota_shift_changelist"))

    assert "Gwen Davies" in page.text
    assert "Bart Quince" not in page.text


def test_actions_on_another_organisations_rota_change_nothing(coordinator_client, bart, hywel):
    theirs = visit(bart, at(4, 8))
    help_request = services.raise_help_request(bart)

    cancelled = apply(coordinator_client, "shift", "cancel_visits", [theirs], reason="Mine now")
    assigned = apply(coordinator_client, "shift", "put_carer_on", [theirs], carer=hywel.pk)
    acknowledged = choose(coordinator_client, "helprequest", "acknowledge", [help_request])

    for page in (cancelled, assigned, acknowledged):
        assert "Nothing was changed: none of those is yours to change." in says(page)
    theirs.refresh_from_db()
    help_request.refresh_from_db()
    assert theirs.status == ShiftStatus.PLANNED
    assert holders(theirs) == []
    assert help_request.status == HelpStatus.ASKED
    assert help_request.acknowledged_by is None
    assert not AuditEvent.objects.exclude(action="raise_help_request").exists()

"""A coordinator changes the rota from the admin only through actions that call the rota
services: the rules are checked, a refusal is shown in its own words against the visit it
concerns, and the audit trail names the coordinator."""

import html
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin import helpers
from django.urls import reverse

from circles.models import Circle, Membership, Role
from people.models import Client, Person
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
from tests.factories import (
    AssignmentFactory,
    CredentialTypeFactory,
    MembershipFactory,
    PersonFactory,
    ShiftFactory,
    VisitPlanFactory,
    carer,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Wednesday 29 April 2026, noon: the visits are from Monday 4 May on.
NOW = datetime(2026, 4, 29, 12, 0, tzinfo=LONDON)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 5, day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def agnes(riverside) -> Client:
    return Client.objects.get(full_name="Agnes Underwood")


@pytest.fixture
def rhian(riverside) -> Person:
    return Person.objects.get(full_name="Rhian Evans")


@pytest.fixture
def bart(hillside) -> Client:
    return Client.objects.get(full_name="Bartholomew Quince")


def visit(client: Client, start: datetime, **fields):
    return ShiftFactory(client=client, start=start, end=start + timedelta(hours=1), **fields)


def says(page) -> str:
    """The page's text as a person reads it (apostrophes and ampersands unescaped)."""
    return html.unescape(page.text)


def choose(browser, model: str, action: str, objects):
    """Tick the objects in the list and pick the action from the drop-down."""
    return browser.post(
        reverse(f"admin:rota_{model}_changelist"),
        {
            "action": action,
            "index": "0",
            helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects],
        },
        follow=True,
    )


def apply(browser, model: str, action: str, objects, **answers):
    """Send the action's intermediate form, as its "apply" button does."""
    return browser.post(
        reverse(f"admin:rota_{model}_changelist"),
        {
            "action": action,
            "apply": "yes",
            helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects],
            **answers,
        },
        follow=True,
    )


def held_by(shift) -> list[Person]:
    return [a.carer for a in shift.assignments.filter(released_at__isnull=True)]


# Cancelling visits


def test_cancelling_two_visits_with_a_reason_cancels_both(
    coordinator_client, coordinator, agnes, rhian
):
    monday, tuesday = visit(agnes, at(4, 8)), visit(agnes, at(5, 8))
    place = AssignmentFactory(shift=monday, carer=rhian)

    form = choose(coordinator_client, "shift", "cancel_visits", [monday, tuesday])

    assert "Why are they cancelled?" in says(form)
    assert "Agnes Underwood Mon 04 May 08:00" in says(form)
    assert "Agnes Underwood Tue 05 May 08:00" in says(form)

    page = apply(
        coordinator_client,
        "shift",
        "cancel_visits",
        [monday, tuesday],
        reason="Agnes is in hospital",
    )

    assert "2 visits cancelled." in says(page)
    for shift in (monday, tuesday):
        shift.refresh_from_db()
        assert shift.status == ShiftStatus.CANCELLED
        assert shift.cancel_reason == "Agnes is in hospital"
    place.refresh_from_db()
    assert place.release_reason == ReleaseReason.CANCELLED
    assert held_by(monday) == []
    events = AuditEvent.objects.filter(action="cancel_shift")
    assert {e.subject_id for e in events} == {monday.pk, tuesday.pk}
    assert {e.actor_id for e in events} == {coordinator.pk}
    assert events.get(subject_id=monday.pk).carer_ids == [rhian.pk]


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_without_a_reason_asks_again_and_changes_nothing(
    coordinator_client, agnes, rhian, reason
):
    monday = visit(agnes, at(4, 8))
    AssignmentFactory(shift=monday, carer=rhian)

    page = apply(coordinator_client, "shift", "cancel_visits", [monday], reason=reason)

    assert "Say why the visits are cancelled." in says(page)
    assert 'name="apply"' in page.text
    monday.refresh_from_db()
    assert monday.status == ShiftStatus.PLANNED
    assert held_by(monday) == [rhian]
    assert not AuditEvent.objects.filter(action="cancel_shift").exists()


def test_a_visit_already_under_way_is_not_cancelled_and_says_why(coordinator_client, agnes):
    under_way = visit(agnes, NOW - timedelta(minutes=30))
    tomorrow = visit(agnes, at(4, 8))

    page = apply(coordinator_client, "shift", "cancel_visits", [under_way, tomorrow], reason="Snow")

    assert f"{under_way}: This visit has already started." in says(page)
    assert "1 visit cancelled." in says(page)
    under_way.refresh_from_db()
    assert under_way.status == ShiftStatus.PLANNED


# Putting a carer on visits


def test_the_carers_offered_are_the_active_carers_of_the_visits_circle(
    coordinator_client, riverside, agnes, hillside
):
    circle = Circle.objects.get(name="Riverside North")
    gone = carer(circle, full_name="Gethin Left", organisation=riverside)
    Membership.objects.filter(person=gone).update(
        started_on=date(2026, 1, 5), ended_on=date(2026, 4, 1)
    )
    monday = visit(agnes, at(4, 8))

    form = choose(coordinator_client, "shift", "put_carer_on", [monday])

    assert "Rhian Evans" in says(form)
    assert "Gethin Left" not in says(form)
    assert "Hywel Pryce" not in says(form)


def test_putting_a_carer_on_a_visit_the_rules_allow(coordinator_client, coordinator, agnes, rhian):
    monday = visit(agnes, at(4, 8))

    page = apply(coordinator_client, "shift", "put_carer_on", [monday], carer=rhian.pk)

    assert "Rhian Evans is now on 1 visit." in says(page)
    assert held_by(monday) == [rhian]
    event = AuditEvent.objects.get(action="assign")
    assert event.actor_id == coordinator.pk
    assert event.carer_ids == [rhian.pk]


def test_a_carer_the_rules_refuse_is_not_put_on_and_the_page_says_why(
    coordinator_client, agnes, rhian
):
    medication = CredentialTypeFactory(code="medication", name="Medication training")
    plan = VisitPlanFactory(client=agnes, title="Tablets")
    plan.credentials_needed.add(medication)
    monday = visit(agnes, at(4, 8), plan=plan, plan_date=date(2026, 5, 4))

    page = apply(coordinator_client, "shift", "put_carer_on", [monday], carer=rhian.pk)

    assert (
        "Agnes Underwood Mon 04 May 08:00: Rhian Evans: "
        "This visit needs Medication training, which you don't have."
    ) in says(page)
    assert "is now on" not in says(page)
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.filter(action="assign").exists()


def test_each_visit_is_judged_on_its_own(coordinator_client, agnes, rhian):
    monday, also_monday = visit(agnes, at(4, 8)), visit(agnes, at(4, 8))

    page = apply(coordinator_client, "shift", "put_carer_on", [monday, also_monday], carer=rhian.pk)

    assert "Rhian Evans is now on 1 visit." in says(page)
    assert "Rhian Evans: It overlaps your visit to Agnes, Mon 4 May 08:00 to 09:00." in says(page)
    assert Assignment.objects.filter(carer=rhian).count() == 1


def test_the_list_of_visits_shows_who_is_on_each(coordinator_client, agnes, rhian):
    monday = visit(agnes, at(4, 8))
    AssignmentFactory(shift=monday, carer=rhian)

    listing = coordinator_client.get(reverse("admin:rota_shift_changelist"))
    page = coordinator_client.get(reverse("admin:rota_shift_change", args=[monday.pk]))

    assert "Rhian Evans" in listing.text
    assert "Carers on it" in page.text and "Rhian Evans" in page.text


# Recording an absence


def test_a_coordinator_records_an_absence_that_releases_the_carers_visits(
    coordinator_client, coordinator, agnes, rhian
):
    monday = AssignmentFactory(shift=visit(agnes, at(4, 8)), carer=rhian)
    friday = AssignmentFactory(shift=visit(agnes, at(8, 8)), carer=rhian)

    listing = coordinator_client.get(reverse("admin:rota_absence_changelist"))
    form = coordinator_client.get(reverse("admin:rota_absence_record"))
    page = coordinator_client.post(
        reverse("admin:rota_absence_record"),
        {"carer": rhian.pk, "kind": "sick", "start": "2026-05-04T00:00", "end": "2026-05-07T00:00"},
        follow=True,
    )

    assert "Record an absence" in listing.text
    assert "Rhian Evans" in says(form) and "Hywel Pryce" not in says(form)
    assert (
        "Rhian Evans is off (sick) from Mon 4 May 2026 00:00 until Thu 7 May 2026 00:00."
    ) in says(page)
    assert "1 visit was released and needs cover: Agnes Underwood Mon 04 May 08:00." in says(page)
    absence = Absence.objects.get(carer=rhian)
    assert (absence.kind, absence.start, absence.end) == (AbsenceKind.SICK, at(4, 0), at(7, 0))
    assert list(absence.released.all()) == [monday]
    monday.refresh_from_db()
    friday.refresh_from_db()
    assert monday.release_reason == ReleaseReason.ABSENCE
    assert friday.is_held
    assert AuditEvent.objects.get(action="record_absence").actor_id == coordinator.pk


def test_an_absence_ending_before_it_starts_is_refused_in_words(coordinator_client, rhian):
    page = coordinator_client.post(
        reverse("admin:rota_absence_record"),
        {"carer": rhian.pk, "kind": "sick", "start": "2026-05-07T00:00", "end": "2026-05-04T00:00"},
    )

    assert "Rhian Evans: The end must be after the start." in says(page)
    assert not Absence.objects.exists()


def test_a_carer_of_another_organisation_cannot_be_recorded_absent(coordinator_client, hillside):
    hywel = Person.objects.get(full_name="Hywel Pryce")

    page = coordinator_client.post(
        reverse("admin:rota_absence_record"),
        {"carer": hywel.pk, "kind": "sick", "start": "2026-05-04T00:00", "end": "2026-05-07T00:00"},
    )

    assert "Select a valid choice" in says(page)
    assert not Absence.objects.exists()


# Help requests, family visits, memberships


def test_im_on_it_marks_the_coordinator_as_acknowledging(coordinator_client, coordinator, agnes):
    help_request = services.raise_help_request(agnes)

    page = choose(coordinator_client, "helprequest", "acknowledge", [help_request])

    assert "You are on 1 help request" in says(page)
    help_request.refresh_from_db()
    assert help_request.acknowledged_by == coordinator
    assert help_request.status == HelpStatus.ACKNOWLEDGED


def test_cancelling_a_help_request_cancels_its_visit(coordinator_client, agnes):
    help_request = services.raise_help_request(agnes)

    page = choose(coordinator_client, "helprequest", "cancel_requests", [help_request])

    assert "1 help request cancelled." in says(page)
    help_request.refresh_from_db()
    help_request.shift.refresh_from_db()
    assert help_request.status == HelpStatus.CANCELLED
    assert help_request.shift.status == ShiftStatus.CANCELLED


def test_withdrawing_a_family_visit_plans_the_freed_visit_again(coordinator_client, agnes, rhian):
    daughter = PersonFactory(full_name="Mair Underwood")
    MembershipFactory(circle=agnes.circle, person=daughter, role=Role.FAMILY, client=agnes)
    plan = VisitPlanFactory(client=agnes, title="Lunch")
    lunch = visit(agnes, at(9, 12), plan=plan, plan_date=date(2026, 5, 9))
    AssignmentFactory(shift=lunch, carer=rhian)
    family_visit = services.record_family_visit(daughter, agnes, at(9, 11), at(9, 15))

    page = apply(coordinator_client, "familyvisit", "withdraw", [family_visit])

    assert "1 family visit withdrawn" in says(page)
    family_visit.refresh_from_db()
    lunch.refresh_from_db()
    assert family_visit.status == FamilyVisitStatus.WITHDRAWN
    assert lunch.status == ShiftStatus.PLANNED
    assert held_by(lunch) == [rhian]


def test_ending_a_carers_membership_today_releases_their_visits(coordinator_client, agnes, rhian):
    place = AssignmentFactory(shift=visit(agnes, at(4, 8)), carer=rhian)
    membership = Membership.objects.get(person=rhian)

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
    coordinator_client, agnes, bart
):
    visit(agnes, at(4, 8))
    visit(bart, at(4, 8))

    page = coordinator_client.get(reverse("admin:rota_shift_changelist"))

    assert "Agnes Underwood" in page.text
    assert "Bartholomew Quince" not in page.text


def test_actions_on_another_organisations_rota_change_nothing(coordinator_client, bart):
    theirs = visit(bart, at(4, 8))
    hywel = Person.objects.get(full_name="Hywel Pryce")
    help_request = services.raise_help_request(bart)

    cancelled = apply(coordinator_client, "shift", "cancel_visits", [theirs], reason="Mine now")
    assigned = apply(coordinator_client, "shift", "put_carer_on", [theirs], carer=hywel.pk)
    acknowledged = choose(coordinator_client, "helprequest", "acknowledge", [help_request])

    for page in (cancelled, assigned, acknowledged):
        assert "Nothing was changed: none of those is yours to change." in says(page)
    theirs.refresh_from_db()
    help_request.refresh_from_db()
    assert theirs.status == ShiftStatus.PLANNED
    assert held_by(theirs) == []
    assert help_request.status == HelpStatus.ASKED
    assert help_request.acknowledged_by is None
    assert not AuditEvent.objects.exclude(action="raise_help_request").exists()

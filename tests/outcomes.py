"""What a change leaves behind, as the stories check it: what the database holds, what was
announced, and what was refused (by the rota's rules and services, or by PostgreSQL itself)."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction

from circles.models import Membership
from people.models import CarerPreference
from rota.models import (
    Absence,
    Assignment,
    AuditEvent,
    FamilyVisit,
    HelpRequest,
    NewFaceRequest,
    Offer,
    OutboxMessage,
    ReleaseReason,
    Shift,
    Swap,
    Thanks,
)
from rota.rules import Refused, Rule, RuleBroken

WRITTEN_BY_A_CHANGE = (
    Shift,
    Assignment,
    Offer,
    Swap,
    Absence,
    FamilyVisit,
    HelpRequest,
    AuditEvent,
    OutboxMessage,
    Thanks,
)


def rota_state() -> dict:
    """Everything a rota change could write, to show that a refusal wrote nothing.

    How many rows each change could add, which places are held, and where every shift,
    offer, swap, absence, family visit, call for help, client's wish, thank-you, membership
    and question to a client about a new face stands.
    """
    counts = {model.__name__: model.objects.count() for model in WRITTEN_BY_A_CHANGE}
    held = set(Assignment.objects.filter(released_at__isnull=True).values_list("pk", flat=True))
    return {
        **counts,
        "held": held,
        "shifts": set(Shift.objects.values_list("pk", "status", "sequence", "cancel_reason")),
        "offers": set(Offer.objects.values_list("pk", "status")),
        "swaps": set(Swap.objects.values_list("pk", "status")),
        "absences": set(Absence.objects.values_list("pk", "start", "end")),
        "family_visits": set(FamilyVisit.objects.values_list("pk", "status")),
        "requests": set(
            HelpRequest.objects.values_list("pk", "status", "acknowledged_by", "expected_at")
        ),
        "preferences": set(CarerPreference.objects.values_list("pk", "preference")),
        "thanks": set(Thanks.objects.values_list("pk", "shared")),
        "endings": set(Membership.objects.values_list("pk", "ended_on")),
        "new_faces": set(NewFaceRequest.objects.values_list("pk", "status")),
    }


def the_audit_event(action: str, *, actor, circle, carers) -> AuditEvent:
    """The one event of `action`, naming who did it, where and to whom; announced once."""
    event = AuditEvent.objects.get(action=action)
    assert event.actor_id == (actor.pk if actor else None)
    assert event.circle_id == circle.pk
    assert event.carer_ids == sorted(c.pk for c in carers)
    assert OutboxMessage.objects.filter(kwargs={"event_id": event.pk}).count() == 1
    return event


def holders(shift: Shift) -> list:
    """Who holds a place on `shift` now."""
    return [a.carer for a in shift.assignments.filter(released_at__isnull=True)]


def released_because(reason: ReleaseReason, *places: Assignment) -> bool:
    for place in places:
        place.refresh_from_db()
    return all(not p.is_held and p.release_reason == reason for p in places)


def still_held(*places: Assignment) -> bool:
    for place in places:
        place.refresh_from_db()
    return all(p.is_held for p in places)


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Whatever happens inside writes nothing a rota change could write (`rota_state`)."""
    before = rota_state()
    yield
    assert rota_state() == before


@contextmanager
def refused(code: str) -> Iterator[pytest.ExceptionInfo[Refused]]:
    """The change inside is refused with `code`, and writes nothing."""
    with nothing_changes(), pytest.raises(Refused) as refusal:
        yield refusal
    assert refusal.value.code == code


@contextmanager
def broken(*rules: Rule) -> Iterator[pytest.ExceptionInfo[RuleBroken]]:
    """The change inside breaks exactly `rules`, in that order, and writes nothing."""
    with nothing_changes(), pytest.raises(RuleBroken) as refusal:
        yield refusal
    assert [v.rule for v in refusal.value.violations] == list(rules)


@contextmanager
def database_refuses(constraint: str) -> Iterator[None]:
    """PostgreSQL refuses the write inside, naming `constraint` (or its error's words), and
    the write is rolled back on its own, so the test goes on."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield


def refuses_a_value_outside_its_list(row, field: str, constraint: str) -> None:
    """PostgreSQL refuses `field` of `row` set, by a raw update past the model, to a value
    outside its choices, naming `constraint`; the row keeps its value."""
    outside = "xx"  # two letters: even a language code's column has room for it
    with database_refuses(constraint):
        type(row).objects.filter(pk=row.pk).update(**{field: outside})
    row.refresh_from_db()
    assert getattr(row, field) != outside

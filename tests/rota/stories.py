"""Helpers the rota engine's stories share: what the database holds, and what was announced."""

from circles.models import Membership
from people.models import CarerPreference
from rota.models import (
    Absence,
    Assignment,
    AuditEvent,
    FamilyVisit,
    HelpRequest,
    Offer,
    OutboxMessage,
    ReleaseReason,
    Shift,
    Swap,
)

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
)


def rota_state() -> dict:
    """Everything a rota change could write, to show that a refusal wrote nothing.

    How many rows each change could add, which places are held, and where every shift,
    offer, swap, absence, family visit, call for help, client's wish and membership stands.
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
        "requests": set(HelpRequest.objects.values_list("pk", "status", "acknowledged_by")),
        "preferences": set(CarerPreference.objects.values_list("pk", "preference")),
        "endings": set(Membership.objects.values_list("pk", "ended_on")),
    }


def the_audit_event(action: str, *, actor, circle, carers) -> AuditEvent:
    """The one event of `action`, naming who did it, where and to whom; announced once."""
    event = AuditEvent.objects.get(action=action)
    assert event.actor_id == (actor.pk if actor else None)
    assert event.circle_id == circle.pk
    assert event.carer_ids == sorted(c.pk for c in carers)
    assert OutboxMessage.objects.filter(kwargs={"event_id": event.pk}).count() == 1
    return event


def released_because(reason: ReleaseReason, *places: Assignment) -> bool:
    for place in places:
        place.refresh_from_db()
    return all(not p.is_held and p.release_reason == reason for p in places)


def still_held(*places: Assignment) -> bool:
    for place in places:
        place.refresh_from_db()
    return all(p.is_held for p in places)

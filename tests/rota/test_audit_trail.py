"""The audit trail is append-only: PostgreSQL itself refuses to change or remove an event."""

import pytest

from rota import audit
from rota.models import AuditEvent
from tests.factories import CircleFactory, PersonFactory
from tests.outcomes import database_refuses

pytestmark = pytest.mark.django_db


APPEND_ONLY = "The audit trail is append-only"


@pytest.fixture
def event() -> AuditEvent:
    circle = CircleFactory()
    return audit.record(
        "cancel_shift",
        circle,
        actor=PersonFactory(),
        circle_id=circle.pk,
        carer_ids=[7, 3, 7],
        before={"status": "planned"},
        after={"status": "cancelled"},
    )


def _as_stored(event: AuditEvent) -> dict:
    return AuditEvent.objects.filter(pk=event.pk).values().get()


def test_recording_an_event_keeps_who_what_and_the_change(event):
    stored = _as_stored(event)

    assert stored["action"] == "cancel_shift"
    assert stored["subject_type"] == "circles.circle"
    assert stored["carer_ids"] == [3, 7]
    assert (stored["before"], stored["after"]) == ({"status": "planned"}, {"status": "cancelled"})


def test_an_event_cannot_be_rewritten_with_an_update(event):
    stored = _as_stored(event)
    with database_refuses(APPEND_ONLY):
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing_happened")

    assert _as_stored(event) == stored


def test_an_event_cannot_be_rewritten_by_saving_it(event):
    stored = _as_stored(event)
    event.after = {"status": "planned"}
    with database_refuses(APPEND_ONLY):
        event.save()

    assert _as_stored(event) == stored


def test_an_event_cannot_be_deleted(event):
    stored = _as_stored(event)
    with database_refuses(APPEND_ONLY):
        event.delete()
    with database_refuses(APPEND_ONLY):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert _as_stored(event) == stored


def test_later_events_are_still_added(event):
    audit.record("claim", CircleFactory())

    assert AuditEvent.objects.count() == 2

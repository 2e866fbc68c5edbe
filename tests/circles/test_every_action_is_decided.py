"""Every kind of change the audit trail records has its sentence in the trail and its
decision in the fan-out (whom it tells, or explicitly nobody), and the database records
no other kind: a new action that is given neither fails here, not silently on a page."""

import pytest

from circles import fanout, trail
from rota import audit
from rota.models import Action, AuditEvent
from tests.outcomes import database_refuses


def test_every_action_has_a_sentence_in_the_trail():
    assert set(trail.SENTENCES) == set(Action)


def test_every_action_has_a_decision_in_the_fan_out():
    assert set(fanout.HANDLERS) == set(Action)


@pytest.mark.django_db
def test_an_action_that_is_not_one_is_refused_by_the_database(circle):
    with database_refuses("auditevent_action_valid"):
        audit.record("claimed", circle, circle_id=circle.pk)

    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_every_action_can_be_recorded_and_told_in_words(circle):
    events = [audit.record(action, circle, circle_id=circle.pk) for action in Action]

    lines = trail.describe(events)

    assert [line.event.action for line in lines] == list(Action)
    assert all(line.sentence for line in lines)

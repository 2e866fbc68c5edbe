"""Rhian changes when Treforest counts as strained or not coping: the trail keeps what each
threshold was and became, saving them unchanged records nothing, thresholds the wrong way
round are refused in words, and a carer may not change them at all."""

import pytest

from rota import services
from rota.models import Action, AuditEvent
from rota.rules import Refused
from tests.outcomes import nothing_changes
from tests.stories import MONDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

# What every circle starts with (circles.models.Circle).
AS_THEY_ARE = {
    "strained_below_percent": 95,
    "not_coping_below_percent": 85,
    "essential_gap_hours": 48,
}


def thresholds(circle) -> dict[str, int]:
    circle.refresh_from_db()
    return {field: getattr(circle, field) for field in AS_THEY_ARE}


def test_the_change_is_kept_with_what_each_threshold_was(story):
    services.set_thresholds(
        story.circle,
        {**AS_THEY_ARE, "strained_below_percent": 90, "not_coping_below_percent": 75},
        actor=story.rhian,
    )

    story.circle.refresh_from_db()
    assert (story.circle.strained_below_percent, story.circle.not_coping_below_percent) == (90, 75)
    event = AuditEvent.objects.get()
    assert event.action == Action.SET_THRESHOLDS
    assert (event.actor_id, event.circle_id, event.subject_id) == (
        story.rhian.pk,
        story.circle.pk,
        story.circle.pk,
    )
    assert event.before == {"strained_below_percent": 95, "not_coping_below_percent": 85}
    assert event.after == {"strained_below_percent": 90, "not_coping_below_percent": 75}


def test_saving_them_unchanged_records_nothing(story):
    services.set_thresholds(story.circle, AS_THEY_ARE, actor=story.rhian)

    assert not AuditEvent.objects.exists()


def test_not_coping_above_strained_is_refused_in_words_and_nothing_saved(story):
    with nothing_changes(), pytest.raises(Refused) as refused:
        services.set_thresholds(
            story.circle, {**AS_THEY_ARE, "not_coping_below_percent": 97}, actor=story.rhian
        )

    assert refused.value.messages == [
        "“Not coping” must be at or below “strained”, and neither above 100 %."
    ]
    assert thresholds(story.circle) == AS_THEY_ARE


def test_a_carer_may_not_change_them(story):
    with nothing_changes(), pytest.raises(Refused) as refused:
        services.set_thresholds(
            story.circle, {**AS_THEY_ARE, "essential_gap_hours": 12}, actor=story.ana
        )

    assert refused.value.code == "not_allowed"
    assert thresholds(story.circle) == AS_THEY_ARE


def test_only_thresholds_are_changed_here(story):
    with nothing_changes(), pytest.raises(Refused) as refused:
        services.set_thresholds(story.circle, {"name": "Renamed"}, actor=story.rhian)

    assert refused.value.code == "not_thresholds"

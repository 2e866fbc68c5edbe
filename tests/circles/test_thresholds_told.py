"""Rhian changes Treforest's thresholds: Owain, its other team leader, hears of it once, with
the thresholds as they are now and a link to where he can change them back; Rhian, who made
the change, and Pontypridd's leaders hear nothing. The trail says it in a sentence."""

import pytest
from django.urls import reverse

from circles import trail
from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from rota import services
from rota.models import AuditEvent
from tests.stories import MONDAY_MORNING, team_leader

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]


@pytest.fixture
def changed(story):
    """Rhian lowers both percentages; Pontypridd has a leader of its own."""
    team_leader(story.pontypridd, full_name="Mair Jones")
    services.set_thresholds(
        story.circle,
        {"strained_below_percent": 90, "not_coping_below_percent": 75, "essential_gap_hours": 48},
        actor=story.rhian,
    )
    return AuditEvent.objects.get()


def test_the_other_team_leader_hears_once(story, changed):
    assert tell_people(changed.pk) == 1
    tell_people(changed.pk)  # a follow-up run twice tells nobody twice

    [message] = Notification.objects.all()
    assert message.person == story.owain
    assert message.kind == NotificationKind.THRESHOLDS_CHANGED
    assert message.title == "Rhian changed when you are alerted about Treforest"
    assert message.body == (
        "Strained below 90 % of places filled, not coping below 75 %, or when an essential "
        "visit 48 hours away has nobody."
    )
    assert message.link == reverse("leaders:circle", args=[story.circle.pk]) + "#thresholds"


def test_the_trail_says_what_each_was_and_became(story, changed):
    [line] = trail.describe([changed])

    assert line.sentence == (
        "Rhian Lewis changed when Treforest's team leaders are alerted: strained below 90 % "
        "filled (was 95 %) and not coping below 75 % filled (was 85 %)."
    )

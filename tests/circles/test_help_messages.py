"""Everyone told of a call for help hears how it ends (docs/design.md, Who hears what): the
carers asked hear who is going, the team leaders told hear a carer is going or a leader is on
it, and a cancelled call tells whoever was asked or going."""

from datetime import timedelta

import pytest
from django.urls import reverse

from circles import alerts
from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from rota import services
from rota.models import AuditEvent
from tests.stories import MONDAY_MIDNIGHT

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MIDNIGHT)]


def follow_up(action: str) -> int:
    return tell_people(AuditEvent.objects.filter(action=action).latest("pk").pk)


def last_told(person) -> Notification:
    return Notification.objects.filter(person=person).latest("pk")


@pytest.fixture
def call(frozen_now, gwen, sian, ana, ben, leaders):
    """Sian pressed "needs help now" for her mother at midnight; Ana and Ben were asked."""
    request = services.raise_help_request(gwen, actor=sian)
    assert alerts.ask_carers_for_help(request.pk) == 2
    return request


def test_the_carers_asked_link_to_the_call_itself(call, ana):
    asked = last_told(ana)
    assert asked.kind == NotificationKind.HELP_NEEDED
    assert asked.link == reverse("carer:help", kwargs={"request_id": call.pk})


def test_once_a_carer_goes_the_others_asked_and_the_family_hear_it(call, sian, ana, ben):
    services.accept_help_request(call, ana, actor=ana)
    assert follow_up("accept_help_request") == 2

    stood_down = last_told(ben)
    assert stood_down.title == "Ana is going to Gwen"
    assert stood_down.body == "You are no longer needed for this call for help. Thank you."
    assert stood_down.link == reverse("carer:help", kwargs={"request_id": call.pk})
    family = last_told(sian)
    assert family.title == "Ana is going to Gwen"
    assert family.link == reverse("family:help_status", kwargs={"request_id": call.pk})
    assert last_told(ana).kind == NotificationKind.HELP_NEEDED  # only the ask


def test_leaders_told_of_an_unanswered_call_hear_who_is_on_it_and_who_goes(
    frozen_now, call, ana, leaders
):
    rhian, owain = leaders
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=10))
    alerts.escalate_help_requests()
    services.acknowledge_help_request(call, actor=rhian)
    follow_up("acknowledge_help_request")
    on_it = last_told(owain)
    assert on_it.title == "Rhian is on Gwen's call for help"
    assert on_it.link == reverse("leaders:circle", kwargs={"circle_id": call.shift.circle_id})
    assert last_told(rhian).kind == NotificationKind.HELP_ESCALATED  # only the alert

    services.accept_help_request(call, ana, actor=ana)
    follow_up("accept_help_request")
    for leader in leaders:
        assert last_told(leader).title == "Ana is going to Gwen"


def test_a_cancelled_call_tells_the_carer_going_and_those_asked(call, sian, ana, ben):
    services.accept_help_request(call, ana, actor=ana)
    services.cancel_help_request(call, actor=sian)
    follow_up("cancel_help_request")
    for carer in (ana, ben):
        note = last_told(carer)
        assert note.title == "Gwen no longer needs help"
        assert note.link == reverse("carer:help", kwargs={"request_id": call.pk})
    assert Notification.objects.filter(person=sian, key__startswith="change:").count() == 0

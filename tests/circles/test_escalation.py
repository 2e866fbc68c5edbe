"""A call for help (docs/design.md, Changes to the rota): the carers who could go now are asked at
once; unanswered after ten minutes it goes to both team leaders, once, and one can say "I'm on
it"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circles import alerts
from circles.models import Notification, NotificationKind
from rota import services
from rota.models import Absence, AbsenceKind, AuditEvent, HelpRequest, HelpStatus
from tests.factories import CredentialFactory, CredentialTypeFactory
from tests.stories import MONDAY_MIDNIGHT

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MIDNIGHT)]


def told(kind) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("person__full_name", flat=True)
    )


@pytest.fixture
def call(frozen_now, gwen, leaders):
    """Gwen's daughter pressed "needs help now" at midnight."""
    return services.raise_help_request(gwen)


def test_unanswered_after_ten_minutes_both_leaders_are_alerted_once(frozen_now, call, leaders):
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=9, seconds=59))
    assert alerts.escalate_help_requests() == 0
    assert told(NotificationKind.HELP_ESCALATED) == []

    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=10))
    assert alerts.escalate_help_requests() == 1
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=11))
    assert alerts.escalate_help_requests() == 0

    call.refresh_from_db()
    assert call.status == HelpStatus.ESCALATED
    assert call.escalated_at == MONDAY_MIDNIGHT + timedelta(minutes=10)
    assert told(NotificationKind.HELP_ESCALATED) == ["Owain Hughes", "Rhian Lewis"]
    alert = Notification.objects.filter(kind=NotificationKind.HELP_ESCALATED).first()
    assert alert.urgent
    assert alert.title == "Nobody has answered Gwen's call for help"
    assert (
        AuditEvent.objects.filter(action="escalate_help_request", subject_id=call.pk).count() == 1
    )


def test_a_call_answered_in_time_is_never_escalated(frozen_now, call, ana):
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=4))
    services.accept_help_request(call, ana)
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(hours=1))
    assert alerts.escalate_help_requests() == 0
    assert HelpRequest.objects.get(pk=call.pk).status == HelpStatus.ACCEPTED
    assert told(NotificationKind.HELP_ESCALATED) == []


def test_one_leader_on_it_is_what_the_other_sees(frozen_now, call, leaders):
    rhian, owain = leaders
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=10))
    alerts.escalate_help_requests()

    services.acknowledge_help_request(call, actor=rhian)

    as_owain_sees_it = HelpRequest.objects.get(pk=call.pk)
    assert as_owain_sees_it.status == HelpStatus.ACKNOWLEDGED
    assert as_owain_sees_it.acknowledged_by == rhian
    assert alerts.escalate_help_requests() == 0
    assert Notification.objects.filter(kind=NotificationKind.HELP_ESCALATED).count() == 2


def test_a_carer_can_still_answer_after_the_leaders_are_alerted(frozen_now, call, ana):
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=12))
    alerts.escalate_help_requests()
    services.accept_help_request(call, ana)
    assert HelpRequest.objects.get(pk=call.pk).status == HelpStatus.ACCEPTED


def test_the_carers_who_could_go_now_are_asked_at_once(
    eager, frozen_now, django_capture_on_commit_callbacks, circle, gwen, ana, ben, cat, leaders
):
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")
    gwen.emergency_credentials.add(dbs)
    # Ana and Ben have a DBS check; Cat, unpaid, has none.
    for person in (ana, ben):
        CredentialFactory(person=person, type=dbs)
    Absence.objects.create(
        carer=ben,
        kind=AbsenceKind.SICK,
        start=MONDAY_MIDNIGHT - timedelta(days=1),
        end=MONDAY_MIDNIGHT + timedelta(days=1),
    )

    with django_capture_on_commit_callbacks() as announced:
        call = services.raise_help_request(gwen)
    # The announcement runs a moment after the call, in a worker, and its follow-ups after it.
    frozen_now.shift(timedelta(seconds=2))
    with django_capture_on_commit_callbacks(execute=True):
        for callback in announced:
            callback()

    assert told(NotificationKind.HELP_NEEDED) == ["Ana Price"]
    asked = Notification.objects.get(kind=NotificationKind.HELP_NEEDED)
    assert asked.urgent
    assert asked.title == "Gwen needs help now"
    assert asked.body == "Can you go to Gwen now, until 01:00? The first carer to say yes goes."
    assert asked.key == f"help-needed:{call.pk}"
    assert not Notification.objects.filter(person=cat).exists()
    # Team leaders hear nothing yet: the carers have ten minutes.
    assert not Notification.objects.filter(person__in=leaders).exists()
    # Asking again (a retried task) asks nobody twice.
    alerts.ask_carers_for_help(call.pk)
    assert Notification.objects.filter(kind=NotificationKind.HELP_NEEDED).count() == 1


def test_nobody_is_asked_once_the_call_is_answered(frozen_now, call, ana, ben):
    services.accept_help_request(call, ana)
    assert alerts.ask_carers_for_help(call.pk) == 0
    assert told(NotificationKind.HELP_NEEDED) == []


def test_escalation_waits_the_time_set(settings, frozen_now, call):
    settings.HELP_ESCALATE_MINUTES = 30
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(minutes=20))
    assert alerts.escalate_help_requests() == 0
    frozen_now.move_to(timezone.now() + timedelta(minutes=10))
    assert alerts.escalate_help_requests() == 1

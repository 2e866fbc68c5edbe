"""“Mum needs help now”: a visit from this moment; the first carer to say yes gets it."""

from datetime import timedelta

import pytest
import time_machine

from rota import services
from rota.models import AuditEvent, HelpStatus, ReleaseReason, ShiftStatus
from rota.rules import Rule
from tests.factories import CredentialFactory, CredentialTypeFactory
from tests.outcomes import broken, nothing_changes, refused, the_audit_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def request_for_gwen(gwen, sian):
    return services.raise_help_request(gwen, actor=sian)


def test_raising_help_makes_a_visit_from_now(now, settings, circle, gwen, sian):
    settings.HELP_REQUEST_MINUTES = 45

    request = services.raise_help_request(gwen, actor=sian)

    assert request.status == HelpStatus.ASKED and request.raised_by == sian
    shift = request.shift
    assert (shift.start, shift.end) == (now, now + timedelta(minutes=45))
    assert shift.client == gwen and shift.circle == circle
    assert shift.plan is None and shift.carers_needed == 1
    assert shift.status == ShiftStatus.PLANNED
    assert AuditEvent.objects.count() == 1
    the_audit_event("raise_help_request", actor=sian, circle=circle, carers=[])


def test_a_second_call_for_the_same_client_finds_the_first(gwen, sian, request_for_gwen):
    with nothing_changes():
        again = services.raise_help_request(gwen, actor=sian)

    assert again == request_for_gwen


def test_the_first_carer_to_accept_gets_the_visit(circle, ana, request_for_gwen):
    assignment = services.accept_help_request(request_for_gwen, ana, actor=ana)

    request_for_gwen.refresh_from_db()
    assert assignment.carer == ana and assignment.shift == request_for_gwen.shift
    assert request_for_gwen.status == HelpStatus.ACCEPTED
    assert request_for_gwen.accepted_at is not None
    the_audit_event("accept_help_request", actor=ana, circle=circle, carers=[ana])


def test_the_second_carer_to_accept_is_thanked_and_refused(ana, ben, request_for_gwen):
    services.accept_help_request(request_for_gwen, ana, actor=ana)

    with refused("help_answered") as refusal:
        services.accept_help_request(request_for_gwen, ben, actor=ben)

    assert "Thank you" in refusal.value.message


def test_help_can_be_accepted_after_its_visit_has_begun(ana, request_for_gwen, now):
    with time_machine.travel(now + timedelta(minutes=10), tick=False):
        assignment = services.accept_help_request(request_for_gwen, ana, actor=ana)

    assert assignment.is_held


def test_a_carer_without_the_clients_emergency_checks_is_refused(gwen, ana, ben, sian):
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")
    gwen.emergency_credentials.add(dbs)
    CredentialFactory(person=ben, type=dbs)
    request = services.raise_help_request(gwen, actor=sian)

    with broken(Rule.CREDENTIAL) as refusal:
        services.accept_help_request(request, ana, actor=ana)

    assert "DBS check" in refusal.value.violations[0].message
    assert services.accept_help_request(request, ben, actor=ben).carer == ben


def test_a_carer_cannot_accept_for_someone_else(ana, ben, request_for_gwen):
    with refused("not_allowed"):
        services.accept_help_request(request_for_gwen, ben, actor=ana)


def test_a_team_leader_acknowledges_so_the_other_leader_knows(circle, rhian, request_for_gwen):
    acknowledged = services.acknowledge_help_request(request_for_gwen, actor=rhian)

    assert acknowledged.status == HelpStatus.ACKNOWLEDGED
    assert acknowledged.acknowledged_by == rhian and acknowledged.acknowledged_at is not None
    the_audit_event("acknowledge_help_request", actor=rhian, circle=circle, carers=[])


def test_only_a_leader_of_the_circle_can_acknowledge(ana, request_for_gwen):
    with refused("not_allowed"):
        services.acknowledge_help_request(request_for_gwen, actor=ana)
    request_for_gwen.refresh_from_db()
    assert request_for_gwen.acknowledged_by is None


def test_a_carer_can_still_accept_after_a_leader_acknowledged(ana, rhian, request_for_gwen):
    services.acknowledge_help_request(request_for_gwen, actor=rhian)

    assignment = services.accept_help_request(request_for_gwen, ana, actor=ana)

    request_for_gwen.refresh_from_db()
    assert assignment.carer == ana
    assert request_for_gwen.status == HelpStatus.ACCEPTED


def test_cancelling_help_cancels_the_visit_and_frees_the_carer(
    now, circle, ana, sian, request_for_gwen
):
    place = services.accept_help_request(request_for_gwen, ana, actor=ana)

    cancelled = services.cancel_help_request(request_for_gwen, actor=sian)

    place.refresh_from_db()
    shift = cancelled.shift
    shift.refresh_from_db()
    assert cancelled.status == HelpStatus.CANCELLED and cancelled.closed_at == now
    assert shift.status == ShiftStatus.CANCELLED and shift.cancel_reason
    assert place.release_reason == ReleaseReason.CANCELLED and not place.is_held
    the_audit_event("cancel_help_request", actor=sian, circle=circle, carers=[ana])


def test_a_cancelled_call_for_help_cannot_be_accepted(ana, sian, request_for_gwen):
    services.cancel_help_request(request_for_gwen, actor=sian)

    with refused("help_closed"):
        services.accept_help_request(request_for_gwen, ana, actor=ana)


def test_once_its_visit_has_ended_nobody_may_accept_it(now, ana, request_for_gwen):
    with time_machine.travel(request_for_gwen.shift.end, tick=False), refused("help_over") as no:
        services.accept_help_request(request_for_gwen, ana, actor=ana)

    assert no.value.message == "This call for help is over: its time has passed."

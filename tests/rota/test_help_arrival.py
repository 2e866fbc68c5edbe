"""“There in about 20 minutes”: the carer who said yes to a call for help says when they will
be there, for the family; only they may, and only in the minutes offered."""

from datetime import timedelta

import pytest

from rota import services
from rota.models import AuditEvent, HelpRequest
from tests.outcomes import refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def request_for_gwen(gwen, sian):
    return services.raise_help_request(gwen, actor=sian)


def test_the_carer_going_says_when_they_will_be_there(now, ana, request_for_gwen):
    services.accept_help_request(request_for_gwen, ana, actor=ana)
    events = AuditEvent.objects.count()

    request = services.expect_arrival(request_for_gwen, 20, actor=ana)

    assert request.expected_at == now + timedelta(minutes=20)
    assert HelpRequest.objects.get().expected_at == now + timedelta(minutes=20)
    assert AuditEvent.objects.count() == events, "not a change to the rota"


def test_said_again_the_later_word_counts(now, ana, request_for_gwen):
    services.accept_help_request(request_for_gwen, ana, actor=ana)
    services.expect_arrival(request_for_gwen, 10, actor=ana)

    services.expect_arrival(request_for_gwen, 45, actor=ana)

    assert HelpRequest.objects.get().expected_at == now + timedelta(minutes=45)


def test_another_carer_may_not_say_it_for_them(ana, ben, request_for_gwen):
    services.accept_help_request(request_for_gwen, ana, actor=ana)

    with refused("not_allowed"):
        services.expect_arrival(request_for_gwen, 20, actor=ben)


def test_nobody_may_say_it_before_a_carer_said_yes(ana, request_for_gwen):
    with refused("not_allowed"):
        services.expect_arrival(request_for_gwen, 20, actor=ana)
    with refused("help_not_accepted"):
        services.expect_arrival(request_for_gwen, 20)


@pytest.mark.parametrize("minutes", [0, 5, 15, 90, -10])
def test_minutes_not_offered_are_refused_in_words(ana, request_for_gwen, minutes):
    services.accept_help_request(request_for_gwen, ana, actor=ana)

    with refused("arrival_minutes") as refusal:
        services.expect_arrival(request_for_gwen, minutes, actor=ana)

    assert refusal.value.message == "Choose one of 10, 20, 30, 45 or 60 minutes."


def test_a_cancelled_call_takes_no_arrival_time(ana, sian, request_for_gwen):
    services.accept_help_request(request_for_gwen, ana, actor=ana)
    services.cancel_help_request(request_for_gwen, actor=sian)

    with refused("help_closed") as refusal:
        services.expect_arrival(request_for_gwen, 20, actor=ana)

    assert refusal.value.message == "This request for help was cancelled."

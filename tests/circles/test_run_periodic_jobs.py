"""The demo runs beat's periodic jobs in-process: an unanswered call for help escalates."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from rota import services
from rota.models import HelpStatus

pytestmark = pytest.mark.django_db


def test_one_round_of_the_jobs_escalates_a_call_for_help_nobody_answered(gwen, rhian):
    request = services.raise_help_request(gwen)
    out = StringIO()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        call_command("run_periodic_jobs", "--once", stdout=out)
    request.refresh_from_db()
    assert request.status == HelpStatus.ESCALATED
    assert rhian.notifications.filter(kind="help_escalated").exists()
    assert "escalate-help-requests: 1" in out.getvalue()
    assert "sweep-circles: 1" in out.getvalue()  # the one block of circles, checked

"""Each visit keeps its count of places rightly held (rota.counts): every change that moves it
counts again, two changes at the same moment leave it right, and the nightly reconciliation
puts right a count changed round the services."""

import logging
import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from people.models import Credential
from rota import counts, services
from rota.models import AbsenceKind, Assignment, Shift
from rota.tasks import reconcile_counts
from tests.factories import (
    AssignmentFactory,
    CredentialFactory,
    CredentialTypeFactory,
    VisitPlanFactory,
    carer,
)
from tests.rota.test_concurrency import race
from tests.stories import tomorrow, visit


def held_on(shift: Shift) -> int:
    return Shift.objects.get(pk=shift.pk).places_held


@pytest.mark.django_db
def test_placing_and_releasing_carers_moves_the_count(gwen, ana, ben):
    shift = visit(gwen, tomorrow(8), carers_needed=2)
    services.claim(shift, ana, actor=ana)
    assert held_on(shift) == 1
    place = services.claim(shift, ben, actor=ben)
    assert held_on(shift) == 2
    services.offer(place, actor=ben)
    assert held_on(shift) == 2  # offered is still held
    services.record_absence(ben, AbsenceKind.SICK, shift.start, shift.end, actor=ben)
    assert held_on(shift) == 1


@pytest.mark.django_db
def test_a_check_running_out_a_rather_not_and_a_plans_new_need_each_move_it(
    gwen, ana, ben, medication
):
    plan = VisitPlanFactory(client=gwen)
    shift = visit(gwen, tomorrow(8), carers_needed=2, plan=plan, plan_date=tomorrow(8).date())
    training = CredentialFactory(person=ana, type=medication)
    AssignmentFactory(shift=shift, carer=ana)
    AssignmentFactory(shift=shift, carer=ben)
    assert held_on(shift) == 2

    # The plan now needs medication training, which only Ana has.
    plan.credentials_needed.add(medication)
    assert held_on(shift) == 1
    # Her training runs out the day before the visit, as the coordinator records it.
    training.valid_until = timezone.localdate()
    training.save()
    assert held_on(shift) == 0
    training.valid_until = tomorrow(8).date() + timedelta(days=365)
    training.save()
    assert held_on(shift) == 1
    plan.credentials_needed.remove(medication)
    assert held_on(shift) == 2
    # A "rather not" set down by hand in the admin still moves it (the service also
    # releases the place: see test_placing_and_releasing_carers_moves_the_count).
    gwen.carer_preferences.create(carer=ben, preference="not_wanted")
    assert held_on(shift) == 1
    gwen.carer_preferences.filter(carer=ben).delete()
    assert held_on(shift) == 2
    Credential.objects.filter(pk=training.pk).get().delete()
    assert held_on(shift) == 2  # the plan needs nothing now


@pytest.mark.django_db
def test_a_call_for_help_counts_the_clients_emergency_checks(gwen, ana):
    dbs_check = CredentialTypeFactory(code="dbs", name="DBS check")
    request = services.raise_help_request(gwen)
    services.accept_help_request(request, ana, actor=ana)
    assert held_on(request.shift) == 1
    gwen.emergency_credentials.add(dbs_check)
    assert held_on(request.shift) == 0
    CredentialFactory(person=ana, type=dbs_check)
    assert held_on(request.shift) == 1


@pytest.mark.django_db
def test_reconciling_puts_right_a_count_changed_round_the_services(gwen, ana, caplog):
    shift = visit(gwen, tomorrow(8))
    Assignment.objects.bulk_create(
        [Assignment(shift=shift, carer=ana, start=shift.start, end=shift.end)]
    )
    assert list(counts.drifted()) == [shift]

    with caplog.at_level(logging.WARNING, logger="rota.counts"):
        assert reconcile_counts() == 1
    assert "Places held recounted on 1 visits" in caplog.text
    assert held_on(shift) == 1 and not counts.drifted().exists()
    assert reconcile_counts() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("runs_out", [True, False])
def test_a_check_changed_while_a_claim_on_the_visit_commits_leaves_the_count_right(
    circle, gwen, medication, runs_out
):
    """A claim holds the visit's lock and has not committed when the coordinator changes
    another holder's training: the recount waits for the lock, then counts the claim too."""
    plan = VisitPlanFactory(client=gwen)
    plan.credentials_needed.add(medication)
    start = tomorrow(8)
    shift = visit(gwen, start, carers_needed=3, plan=plan, plan_date=start.date())
    first, second, third = (carer(circle) for _ in range(3))
    training = {p: CredentialFactory(person=p, type=medication) for p in (first, second, third)}
    services.claim(shift, first, actor=first)
    services.claim(shift, second, actor=second)
    claimed = threading.Event()

    def change(index: int):
        if index == 0:
            with transaction.atomic():
                taken = services.claim(shift, third, actor=third)
                claimed.set()
                time.sleep(0.3)  # the coordinator's change now waits on the visit's lock
            return taken
        claimed.wait()
        with transaction.atomic():
            credential = training[second]
            credential.valid_until = start.date() - timedelta(days=1 if runs_out else -365)
            credential.save()
        return credential

    taken, changed = race(2, change)

    assert isinstance(taken, Assignment) and isinstance(changed, Credential)
    assert held_on(shift) == (2 if runs_out else 3)
    assert not counts.drifted().exists()

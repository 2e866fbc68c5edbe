"""Real parallel transactions on PostgreSQL: threads, each with its own connection."""

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, transaction

from rota import services
from rota.models import AbsenceKind, Assignment, HelpRequest, HelpStatus, Shift, SwapStatus
from rota.rules import Refused, Rule, RuleBroken
from tests.factories import carer
from tests.stories import tomorrow, visit

pytestmark = pytest.mark.django_db(transaction=True)


def race(count: int, attempt: Callable[[int], object]) -> list[object]:
    """Run attempt(0..count-1) at the same moment in threads; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = attempt(index)
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_carers_claiming_the_last_place_at_once_leaves_exactly_one_holder(circle, gwen):
    shift = visit(gwen, tomorrow(8))
    carers = [carer(circle) for _ in range(20)]

    results = race(20, lambda i: services.claim(shift, carers[i], actor=carers[i]))

    won = [r for r in results if isinstance(r, Assignment)]
    lost = [r for r in results if isinstance(r, RuleBroken)]
    assert len(won) == 1 and len(lost) == 19, results
    for refusal in lost:
        assert [v.rule for v in refusal.violations] == [Rule.FULL]
        assert "has just been taken" in refusal.violations[0].message
    assert Assignment.objects.filter(shift=shift, released_at__isnull=True).count() == 1


def test_a_swap_accepted_while_its_shift_is_released_by_absence_happens_whole_or_not_at_all(
    gwen, tom, ana, ben
):
    x_start = tomorrow(8)
    x, y = visit(gwen, x_start), visit(tom, tomorrow(12))
    ana_on_x, ben_on_y = services.claim(x, ana), services.claim(y, ben)
    swap = services.propose_swap(ana_on_x, ben_on_y, actor=ana)

    def attempt(i: int):
        if i == 0:
            return services.accept_swap(swap, actor=ben)
        return services.record_absence(
            ana, AbsenceKind.SICK, x_start - timedelta(hours=1), x_start + timedelta(hours=2)
        )

    accepted, absence = race(2, attempt)

    swap.refresh_from_db()
    held = {(a.carer_id, a.shift_id) for a in Assignment.objects.filter(released_at__isnull=True)}
    if isinstance(accepted, Refused | RuleBroken):
        # The absence won: Ana is off X, Ben still holds Y, the swap closed with a reason.
        assert held == {(ben.pk, y.pk)}
        assert swap.status == SwapStatus.CLOSED and swap.closed_reason
    else:
        # The swap won: Ana moved to Y, then her absence (08:00 to 10:00) freed nothing of hers.
        assert swap.status == SwapStatus.ACCEPTED
        assert held == {(ana.pk, y.pk), (ben.pk, x.pk)}
        assert list(absence.released.all()) == []
    for carer_id in (ana.pk, ben.pk):
        places = Assignment.objects.filter(carer_id=carer_id, released_at__isnull=True)
        assert places.count() <= 1  # nobody double-booked, nobody on both


def test_two_carers_accepting_the_same_help_request_at_once_gives_one_shift_one_carer(
    gwen, ana, ben
):
    request = services.raise_help_request(gwen)

    results = race(2, lambda i: services.accept_help_request(request, [ana, ben][i]))

    assert sum(isinstance(r, Assignment) for r in results) == 1, results
    [refused] = [r for r in results if not isinstance(r, Assignment)]
    assert isinstance(refused, Refused | RuleBroken)
    request.refresh_from_db()
    assert request.status == HelpStatus.ACCEPTED
    assert Assignment.objects.filter(shift=request.shift, released_at__isnull=True).count() == 1
    assert HelpRequest.objects.filter(client=gwen).count() == 1


def test_one_carer_claiming_two_overlapping_visits_at_once_ends_on_one(gwen, tom, ana):
    # Two different shifts, so two different locks: only the exclusion constraint (or the
    # rules, for whichever commits second) stands between the carer and a double booking.
    shifts = [visit(client, tomorrow(8)) for client in (gwen, tom)]

    results = race(2, lambda i: services.claim(shifts[i], ana, actor=ana))

    assert sum(isinstance(r, Assignment) for r in results) == 1, results
    [refused] = [r for r in results if not isinstance(r, Assignment)]
    if isinstance(refused, RuleBroken):
        # Refused by the rules or the exclusion constraint, in the overlap rule's words.
        assert [v.rule for v in refused.violations] == [Rule.OVERLAP]
    else:
        # Both inserts waited on each other's row; PostgreSQL broke the tie as a deadlock.
        assert isinstance(refused, Refused) and refused.code == "try_again"
    assert Assignment.objects.filter(carer=ana, released_at__isnull=True).count() == 1


def test_a_deadlock_becomes_a_plain_try_again(gwen, tom, ana, ben):
    x, y = visit(gwen, tomorrow(8)), visit(tom, tomorrow(12))
    swap = services.propose_swap(services.claim(x, ana), services.claim(y, ben), actor=ana)
    first, second = sorted((x, y), key=lambda s: s.pk)
    holding_second = threading.Event()

    def attempt(i: int):
        if i == 0:
            # A rogue writer locking in the opposite order to the services: second, then first.
            with transaction.atomic():
                list(Shift.objects.select_for_update().filter(pk=second.pk))
                holding_second.set()
                time.sleep(0.3)  # let the swap lock `first` and queue for `second`
                list(Shift.objects.select_for_update().filter(pk=first.pk))
                return "rogue done"
        holding_second.wait()
        return services.accept_swap(swap, actor=ben)

    rogue, accepted = race(2, attempt)

    # PostgreSQL breaks the cycle by failing one side; if it is the swap, the carer sees
    # words, never an error page. Either way the swap is whole or not at all.
    swap.refresh_from_db()
    if isinstance(accepted, Refused):
        assert accepted.code == "try_again" and "try again" in accepted.message
        assert swap.status == SwapStatus.PROPOSED
    else:
        assert rogue != "rogue done" and swap.status == SwapStatus.ACCEPTED


@pytest.mark.parametrize("trial", range(8))
def test_time_off_and_a_claim_that_day_at_the_same_moment_never_leave_the_carer_holding_it(
    gwen, ana, trial
):
    """The absence and the claim lock the carer's row first: one sees the other's result."""
    start = tomorrow(8)
    shift = visit(gwen, start)

    def attempt(i: int):
        if i == 0:
            return services.claim(shift, ana, actor=ana)
        return services.record_absence(
            ana, AbsenceKind.SICK, start - timedelta(hours=2), start + timedelta(hours=4)
        )

    race(2, attempt)

    assert not Assignment.objects.filter(carer=ana, shift=shift, released_at__isnull=True).exists()

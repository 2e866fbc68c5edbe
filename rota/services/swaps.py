"""Swaps: carer A offers their shift X for carer B's shift Y; whole or not at all."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Person
from rota.models import Action, Assignment, ReleaseReason, Swap, SwapStatus
from rota.rules import Refused, RuleBroken, Violation, check
from rota.services._base import (
    changed,
    held,
    lock_carers,
    lock_shifts,
    place,
    release,
    require_actor,
    require_live,
    require_rules,
    service,
)


@service
def propose_swap(
    assignment: Assignment, other_assignment: Assignment, *, actor: Person | None = None
) -> Swap:
    if assignment.pk == other_assignment.pk:
        raise Refused("same_assignment", _("Choose someone else's visit to swap with."))
    shifts = lock_shifts([assignment.shift_id, other_assignment.shift_id])
    mine, theirs = held(assignment), held(other_assignment)
    require_actor(actor, lambda a: a == mine.carer)
    if mine.carer_id == theirs.carer_id:
        raise Refused("swap_with_self", _("You can't swap with yourself."))
    x, y = shifts[mine.shift_id], shifts[theirs.shift_id]
    if x.circle_id != y.circle_id:
        raise Refused("other_circle", _("You can only swap within your circle."))
    for shift in (x, y):
        require_live(shift)
    open_swaps = Swap.objects.filter(status=SwapStatus.PROPOSED)
    if open_swaps.filter(offered=mine, wanted=theirs).exists():
        raise Refused("already_proposed", _("You have already proposed this swap."))
    if open_swaps.filter(offered=mine).exists():
        raise _already_asking()
    if open_swaps.filter(wanted=theirs).exists():
        raise _asked_by_someone_else(theirs)
    # The proposer's side is checked now; both sides are checked again at acceptance.
    require_rules(mine.carer, y, giving_up=mine, taking_over=theirs)
    try:
        with transaction.atomic():
            swap = Swap.objects.create(offered=mine, wanted=theirs)
    except IntegrityError as error:
        # The database has the last word on one open proposal per visit.
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if constraint == "swap_one_open_per_offered":
            raise _already_asking() from error
        if constraint == "swap_one_open_per_wanted":
            raise _asked_by_someone_else(theirs) from error
        raise
    changed(
        Action.PROPOSE_SWAP,
        swap,
        actor=actor,
        shift=x,
        carers=[mine.carer, theirs.carer],
        after={"offered": mine.pk, "wanted": theirs.pk},
    )
    return swap


def _already_asking() -> Refused:
    return Refused(
        "already_asking",
        _(
            "You have already asked a colleague to swap this visit. Withdraw that in My shifts "
            "to ask someone else."
        ),
    )


def _asked_by_someone_else(theirs: Assignment) -> Refused:
    return Refused(
        "asked_by_someone_else",
        _("Someone else has just asked %(name)s for this visit. Choose another one.")
        % {"name": theirs.carer.get_short_name()},
    )


@service
def accept_swap(swap: Swap, *, actor: Person | None = None) -> Swap:
    """B accepts: rechecked for both carers, then both places change hands together."""
    swap = Swap.objects.select_related("offered__carer", "wanted__carer").get(pk=swap.pk)
    # Both carers, then both shifts, are locked in primary-key order before anything is read
    # for the decision (time off for either waits, or is seen).
    lock_carers(swap.offered.carer, swap.wanted.carer)
    shifts = lock_shifts([swap.offered.shift_id, swap.wanted.shift_id])
    swap = Swap.objects.select_for_update().get(pk=swap.pk)
    if swap.status != SwapStatus.PROPOSED:
        raise Refused(
            "swap_closed",
            _("This swap is no longer open: %(why)s")
            % {"why": swap.closed_reason or swap.get_status_display()},
        )
    mine, theirs = held(swap.offered), held(swap.wanted)
    require_actor(actor, lambda a: a == theirs.carer)
    x, y = shifts[mine.shift_id], shifts[theirs.shift_id]
    for shift in (x, y):
        require_live(shift)
    violations = check(theirs.carer, x, giving_up=theirs, taking_over=mine) + [
        Violation(
            v.rule,
            _("%(name)s can't take your visit: %(reason)s")
            % {"name": mine.carer.get_short_name(), "reason": v.message},
        )
        for v in check(mine.carer, y, giving_up=mine, taking_over=theirs)
    ]
    if violations:
        raise RuleBroken(violations)
    now = timezone.now()
    _close(swap, SwapStatus.ACCEPTED, "")
    # Release both first: the carers' new places never overlap their old ones in the table.
    release(mine, ReleaseReason.SWAPPED, now)
    release(theirs, ReleaseReason.SWAPPED, now)
    new_mine, new_theirs = place(y, mine.carer), place(x, theirs.carer)
    changed(
        Action.ACCEPT_SWAP,
        swap,
        actor=actor,
        shift=x,
        carers=[mine.carer, theirs.carer],
        before={"offered": mine.pk, "wanted": theirs.pk},
        after={"offered_now": new_theirs.pk, "wanted_now": new_mine.pk},
    )
    return swap


@service
def decline_swap(swap: Swap, *, actor: Person | None = None) -> Swap:
    """The colleague asked says no."""
    return _call_off(swap, SwapStatus.DECLINED, actor=actor)


@service
def withdraw_swap(swap: Swap, *, actor: Person | None = None) -> Swap:
    """The carer who asked changes their mind."""
    return _call_off(swap, SwapStatus.WITHDRAWN, actor=actor)


def _call_off(swap: Swap, status: SwapStatus, *, actor: Person | None) -> Swap:
    """An open swap that will not happen: only the colleague asked may decline it, only the
    carer who asked may withdraw it. Both places stay as they are."""
    swap = (
        Swap.objects.select_for_update(of=("self",))
        .select_related("offered__shift", "wanted")
        .get(pk=swap.pk)
    )
    if swap.status != SwapStatus.PROPOSED:
        raise Refused("swap_closed", _("This swap is no longer open."))
    declined = status == SwapStatus.DECLINED
    whose = swap.wanted if declined else swap.offered
    require_actor(actor, lambda a: a.pk == whose.carer_id)
    _close(swap, status, _("Declined.") if declined else _("Withdrawn."))
    changed(
        Action.DECLINE_SWAP if declined else Action.WITHDRAW_SWAP,
        swap,
        actor=actor,
        shift=swap.offered.shift,
        carers=[swap.offered.carer_id, swap.wanted.carer_id],
    )
    return swap


def _close(swap: Swap, status: SwapStatus, reason: str) -> None:
    swap.status, swap.closed_at, swap.closed_reason = status, timezone.now(), reason
    swap.save(update_fields=["status", "closed_at", "closed_reason"])

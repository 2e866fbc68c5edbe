"""Swaps: carer A offers their shift X for carer B's shift Y; whole or not at all."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Person
from rota.models import (
    Action,
    Assignment,
    NewFaceRequest,
    NewFaceStatus,
    ReleaseReason,
    Shift,
    Swap,
    SwapStatus,
)
from rota.rules import Refused, Rule, RuleBroken, Violation, check
from rota.services._base import (
    changed,
    held,
    lock_carers,
    lock_shifts,
    place,
    release,
    require_actor,
    require_live,
    service,
)
from rota.services.asking import asked_instead, asks_first


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
    # The proposer's side is checked now; both sides are checked again at acceptance. A
    # client who asks first about one more new carer is asked then, when the swap would
    # happen (rota.services.asking): until the colleague agrees, nothing changes hands.
    violations = check(mine.carer, y, giving_up=mine, taking_over=theirs)
    if violations and not asks_first(y.client, violations):
        raise RuleBroken(violations)
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


def accept_swap(swap: Swap, *, actor: Person | None = None) -> Swap:
    """B accepts: rechecked for both carers, then both places change hands together. Refused
    only because one of them would be a new face past a client's limit, for a client who
    asks first, the swap waits for the client's answer (rota.services.asking)."""
    try:
        return _accept_swap(swap, actor=actor)
    except NewFacePastLimit as refusal:
        raise asked_instead(
            refusal, refusal.shift, refusal.carer, actor=actor, swap=refusal.swap
        ) from None


class NewFacePastLimit(RuleBroken):
    """A swap the new-face rule alone refused, for one of its carers: who, and into which
    visit."""

    def __init__(self, violations: list[Violation], swap: Swap, shift: Shift, carer: Person):
        super().__init__(violations)
        self.swap, self.shift, self.carer = swap, shift, carer


@service
def _accept_swap(swap: Swap, *, actor: Person | None) -> Swap:
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
    theirs_side, mine_side = swap_sides(mine, theirs, x, y)
    violations = theirs_side + [_for_the_proposer(mine, v) for v in mine_side]
    if theirs_side and not mine_side and all(v.rule == Rule.NEW_FACE for v in theirs_side):
        raise NewFacePastLimit(violations, swap, x, theirs.carer)
    if mine_side and not theirs_side and all(v.rule == Rule.NEW_FACE for v in mine_side):
        raise NewFacePastLimit(violations, swap, y, mine.carer)
    if violations:
        raise RuleBroken(violations)
    new_mine, new_theirs = exchange(swap, mine, theirs, x, y)
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


def swap_sides(
    mine: Assignment, theirs: Assignment, x: Shift, y: Shift
) -> tuple[list[Violation], list[Violation]]:
    """The rules each side of a swap breaks: the colleague asked taking the proposer's visit
    `x`, and the proposer taking theirs, `y` (each leaving their own out)."""
    return (
        check(theirs.carer, x, giving_up=theirs, taking_over=mine),
        check(mine.carer, y, giving_up=mine, taking_over=theirs),
    )


def _for_the_proposer(mine: Assignment, violation: Violation) -> Violation:
    """The proposer's side, as the colleague accepting reads it."""
    return Violation(
        violation.rule,
        _("%(name)s can't take your visit: %(reason)s")
        % {"name": mine.carer.get_short_name(), "reason": violation.message},
    )


def exchange(
    swap: Swap, mine: Assignment, theirs: Assignment, x: Shift, y: Shift
) -> tuple[Assignment, Assignment]:
    """Called with both carers, both shifts and the swap locked, the rules passed: the swap is
    accepted and both places change hands together. Returns the proposer's new place and the
    colleague's."""
    now = timezone.now()
    _close(swap, SwapStatus.ACCEPTED, "")
    # Release both first: the carers' new places never overlap their old ones in the table.
    release(mine, ReleaseReason.SWAPPED, now)
    release(theirs, ReleaseReason.SWAPPED, now)
    return place(y, mine.carer), place(x, theirs.carer)


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
    if status != SwapStatus.ACCEPTED:
        # A client asked about a swap that will not happen has nothing left to answer.
        NewFaceRequest.objects.filter(swap=swap, status=NewFaceStatus.ASKED).update(
            status=NewFaceStatus.LAPSED,
            decided_at=swap.closed_at,
            closed_reason=_("The swap is no longer open."),
        )

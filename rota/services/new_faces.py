"""The client's answer about a carer new to them, when they chose to be asked first
(docs/design.md, A client's say over new faces).

The client, or their representative, says yes or no (`circles.permissions.decides_for`).
Yes places the carer, if the place is still theirs to have: the visit still planned and not
started, a place free (or offered by its holder), and every other rule still passing. The
new-face rule is the one rule the answer allows past, for this carer and this visit alone:
the client has just said so. Otherwise the question lapses and the answer says why, plainly.
No leaves the visit as it was.
"""

from datetime import datetime
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from circles.permissions import decides_for
from people.models import Person
from rota.models import (
    Action,
    NewFaceRequest,
    NewFaceStatus,
    Offer,
    OfferStatus,
    Shift,
    ShiftStatus,
    SwapStatus,
)
from rota.rules import Refused, Rule, Violation, check
from rota.services._base import (
    changed,
    has_free_place,
    lock_carers,
    lock_shifts,
    place,
    require_actor,
    service,
)
from rota.services.places import _pass_on
from rota.services.swaps import _close, exchange, swap_sides


@service
def approve_new_face(request: NewFaceRequest, *, actor: Person | None = None) -> NewFaceRequest:
    """The client says yes. Returns the question, `approved` with the carer placed (a swap
    waiting on it made), or `lapsed` with why in `closed_reason`.

    1. Lock the carers, then the visits (as every change that places a carer does), then the
       question, and refuse one already answered.
    2. Judge the place under the locks, allowing the new-face rule for this carer alone: a
       place taken meanwhile is told by `full`, so of a claim and an approval racing for the
       last place exactly one wins.
    3. Place the carer (a free place, else the oldest offered one), or make the swap.
    """
    request, shifts = _locked(request, actor)
    now = timezone.now()
    if request.swap is not None:
        return _approve_swap(request, shifts, actor=actor, now=now)
    shift = shifts[request.shift_id]
    why = _why_not(shift, now) or _reasons(_allowing(request, check(request.carer, shift, now=now)))
    if why:
        return _lapse(request, *why, actor=actor, now=now, shift=shift)
    giver = None
    if has_free_place(shift):
        assignment = place(shift, request.carer)
    else:
        offer = (
            Offer.objects.select_for_update()
            .select_related("assignment")
            .filter(assignment__shift=shift, status=OfferStatus.OPEN)
            .order_by("created_at")
            .first()
        )
        if offer is None:
            return _lapse(request, Lapse.TAKEN, "", actor=actor, now=now, shift=shift)
        giver = offer.assignment.carer_id
        assignment = _pass_on(offer, request.carer)
    _answer(request, NewFaceStatus.APPROVED, actor=actor, now=now)
    changed(
        Action.APPROVE_NEW_FACE,
        request,
        actor=actor,
        shift=shift,
        carers=[request.carer, *([giver] if giver else [])],
        before={"carer": giver} if giver else None,
        after={"shift": shift.pk, "assignment": assignment.pk},
    )
    return request


def _approve_swap(
    request: NewFaceRequest, shifts: dict[int, Shift], *, actor: Person | None, now: datetime
) -> NewFaceRequest:
    """Yes to a carer swapping into the visit: the swap happens whole if it is still open and
    both carers still pass every rule (the new-face rule allowed for this carer alone)."""
    swap = request.swap
    assert swap is not None
    mine, theirs = swap.offered, swap.wanted
    shift = shifts[request.shift_id]
    swap.refresh_from_db()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    if swap.status != SwapStatus.PROPOSED or mine.released_at or theirs.released_at:
        return _lapse(request, Lapse.SWAP_CLOSED, "", actor=actor, now=now, shift=shift)
    x, y = shifts[mine.shift_id], shifts[theirs.shift_id]
    why = _why_not(x, now) or _why_not(y, now)
    if not why:
        theirs_side, mine_side = swap_sides(mine, theirs, x, y)
        why = _reasons(_allowing(request, theirs_side, x) + _allowing(request, mine_side, y))
    if why:
        _close(swap, SwapStatus.CLOSED, str(LAPSED[why[0]]) if why[0] in LAPSED else why[1])
        return _lapse(request, *why, actor=actor, now=now, shift=shift)
    new_mine, new_theirs = exchange(swap, mine, theirs, x, y)
    _answer(request, NewFaceStatus.APPROVED, actor=actor, now=now)
    placed = new_mine if new_mine.carer_id == request.carer_id else new_theirs
    changed(
        Action.APPROVE_NEW_FACE,
        request,
        actor=actor,
        shift=shift,
        carers=[request.carer, mine.carer_id, theirs.carer_id],
        after={
            "shift": shift.pk,
            "assignment": placed.pk,
            "swap": swap.pk,
            "offered_now": new_theirs.pk,
            "wanted_now": new_mine.pk,
        },
    )
    return request


@service
def decline_new_face(request: NewFaceRequest, *, actor: Person | None = None) -> NewFaceRequest:
    """The client says no: the visit stays as it was (a swap waiting on it does not happen),
    and the carer is told."""
    request, _shifts = _locked(request, actor)
    now = timezone.now()
    if request.swap is not None and request.swap.status == SwapStatus.PROPOSED:
        _close(request.swap, SwapStatus.CLOSED, _("The client would rather someone familiar."))
    _answer(request, NewFaceStatus.DECLINED, actor=actor, now=now)
    changed(
        Action.DECLINE_NEW_FACE,
        request,
        actor=actor,
        shift=request.shift,
        carers=[request.carer],
        after={"shift": request.shift_id, "swap": request.swap_id},
    )
    return request


def _locked(
    request: NewFaceRequest, actor: Person | None
) -> tuple[NewFaceRequest, dict[int, Shift]]:
    """The question, its carers and visits locked (carers first, as every change that places
    a carer does), if it is still open and the actor answers for its client."""
    found = NewFaceRequest.objects.select_related(
        "shift__client__circle", "carer", "swap__offered__carer", "swap__wanted__carer"
    ).get(pk=request.pk)
    require_actor(actor, lambda a: decides_for(a, found.shift.client))
    swap = found.swap
    lock_carers(found.carer, *([swap.offered.carer, swap.wanted.carer] if swap else []))
    shifts = lock_shifts(
        [found.shift_id, *([swap.offered.shift_id, swap.wanted.shift_id] if swap else [])]
    )
    status = (
        NewFaceRequest.objects.select_for_update()
        .filter(pk=found.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status != NewFaceStatus.ASKED:
        raise Refused(
            "already_answered",
            _("This has already been answered (%(answer)s). Nothing has changed.")
            % {"answer": NewFaceStatus(status).label.lower()},
        )
    return found, shifts


class Lapse(StrEnum):
    """Why a yes could not be kept (kept in its event's `after`, so each reader is told in
    their own language)."""

    TAKEN = "taken"
    STARTED = "started"
    NOT_NEEDED = "not_needed"
    SWAP_CLOSED = "swap_closed"
    # Another rule refuses the carer now (time off, a check run out…): the rules' own words,
    # spoken to the carer, go in the event's `why`.
    RULES = "rules"


LAPSED = {
    Lapse.TAKEN: gettext_lazy("Someone else took the visit meanwhile."),
    Lapse.STARTED: gettext_lazy("The visit has already started."),
    Lapse.NOT_NEEDED: gettext_lazy("The visit is not needed any more."),
    Lapse.SWAP_CLOSED: gettext_lazy("The swap is no longer open."),
}


def lapse_words(code: str, carer: str) -> str:
    """Why a yes could not be kept, in words for the client and the trail (about the carer,
    never to them): in the active language."""
    if code in LAPSED:
        return str(LAPSED[Lapse(code)])
    return _("%(carer)s can no longer take it.") % {"carer": carer}


def _why_not(shift: Shift, now: datetime) -> tuple[Lapse, str] | None:
    """Why a visit can no longer be taken whoever asks; None when it still can."""
    if shift.status != ShiftStatus.PLANNED:
        return Lapse.NOT_NEEDED, ""
    if shift.start <= now:
        return Lapse.STARTED, ""
    return None


def _allowing(
    request: NewFaceRequest, violations: list[Violation], shift: Shift | None = None
) -> list[Violation]:
    """The rules still refusing once the client has said yes: the new-face rule lets through
    the carer they said yes to, for the visit they said it of."""
    if shift is not None and shift.pk != request.shift_id:
        return violations
    return [v for v in violations if v.rule != Rule.NEW_FACE]


def _reasons(violations: list[Violation]) -> tuple[Lapse, str] | None:
    """The rules still refusing, as a lapse: the place taken, or other rules in their words."""
    if not violations:
        return None
    if any(v.rule == Rule.FULL for v in violations):
        return Lapse.TAKEN, ""
    return Lapse.RULES, " ".join(v.message for v in violations)


def _lapse(
    request: NewFaceRequest,
    code: Lapse,
    rules_said: str,
    *,
    actor: Person | None,
    now: datetime,
    shift: Shift,
) -> NewFaceRequest:
    """A yes that came too late, or to a change no longer possible: the question lapses, the
    yes is kept in the trail with why, and the carer hears it (with the rules' own words when
    another rule stops them)."""
    why = lapse_words(code, request.carer.get_short_name())
    _answer(request, NewFaceStatus.LAPSED, actor=actor, now=now, why=why)
    changed(
        Action.APPROVE_NEW_FACE,
        request,
        actor=actor,
        shift=shift,
        carers=[request.carer],
        after={"shift": shift.pk, "lapsed": code, "rules": rules_said},
    )
    return request


def _answer(
    request: NewFaceRequest,
    status: NewFaceStatus,
    *,
    actor: Person | None,
    now: datetime,
    why: str = "",
) -> None:
    request.status, request.decided_by, request.decided_at = status, actor, now
    request.closed_reason = why[:200]
    request.save(update_fields=["status", "decided_by", "decided_at", "closed_reason"])

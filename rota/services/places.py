"""Taking, giving away and cancelling places on shifts."""

from django.utils import timezone
from django.utils.translation import gettext as _

from circles.permissions import leads
from people.models import Person
from rota.models import (
    CANCEL_REASON_LIMIT,
    Action,
    Assignment,
    HelpRequest,
    Offer,
    OfferStatus,
    ReleaseReason,
    Shift,
)
from rota.rules import Refused
from rota.services._base import (
    cancel,
    changed,
    held,
    lock_carers,
    lock_shift,
    place,
    release,
    require_actor,
    require_live,
    require_rules,
    service,
    shift_facts,
)


@service
def claim(shift: Shift, carer: Person, *, actor: Person | None = None) -> Assignment:
    """Take a place that needs cover: a free one, or else one its holder has offered."""
    require_actor(actor, lambda a: a == carer)
    lock_carers(carer)
    return _take_place(lock_shift(shift), carer, actor=actor, action=Action.CLAIM)


@service
def assign(shift: Shift, carer: Person, *, actor: Person | None = None) -> Assignment:
    """A team leader stepping in: puts a carer on a shift, under the same rules."""
    lock_carers(carer)
    shift = lock_shift(shift)
    require_actor(actor, lambda a: leads(a, shift.circle))
    return _take_place(shift, carer, actor=actor, action=Action.ASSIGN)


def _take_place(shift: Shift, carer: Person, *, actor: Person | None, action: Action) -> Assignment:
    """Called with the shift row locked, so places are counted by one change at a time: of
    two carers reaching for the last place, the second is told by `full` it was just taken."""
    require_live(shift)
    if HelpRequest.objects.filter(shift=shift).exists():
        raise Refused("help_request", _("Answer this visit from its help request."))
    require_rules(carer, shift)
    free = shift.assignments.filter(released_at__isnull=True).count() < shift.carers_needed
    if not free:
        offer = (
            Offer.objects.select_for_update()
            .filter(assignment__shift=shift, status=OfferStatus.OPEN)
            .order_by("created_at")
            .first()
        )
        return _hand_over(_require_open(offer, carer), carer, actor=actor, action=action)
    assignment = place(shift, carer)
    changed(action, assignment, actor=actor, shift=shift, carers=[carer], after=shift_facts(shift))
    return assignment


@service
def offer(assignment: Assignment, *, actor: Person | None = None) -> Offer:
    """Give a shift away to the circle; it stays the holder's until someone takes it."""
    shift = lock_shift(assignment.shift)
    assignment = held(assignment)
    require_actor(actor, lambda a: a == assignment.carer)
    require_live(shift)
    if shift.has_started():
        raise Refused("started", _("This visit has already started."))
    if Offer.objects.filter(assignment=assignment, status=OfferStatus.OPEN).exists():
        raise Refused("already_offered", _("You have already offered this visit."))
    new = Offer.objects.create(assignment=assignment)
    changed(
        Action.OFFER,
        new,
        actor=actor,
        shift=shift,
        carers=[assignment.carer],
        after=shift_facts(shift),
    )
    return new


@service
def take_offer(offer: Offer, carer: Person, *, actor: Person | None = None) -> Assignment:
    require_actor(actor, lambda a: a == carer)
    lock_carers(carer)
    shift = lock_shift(offer.assignment.shift)
    require_live(shift)
    offer = Offer.objects.select_for_update().select_related("assignment").get(pk=offer.pk)
    _require_open(offer, carer)
    require_rules(carer, shift)
    return _hand_over(offer, carer, actor=actor, action=Action.TAKE_OFFER)


def _require_open(offer: Offer | None, carer: Person) -> Offer:
    """The offer, if it is still open and someone else's to take."""
    if offer is None or offer.status != OfferStatus.OPEN:
        raise Refused("offer_closed", _("This visit has just been taken or withdrawn."))
    if offer.assignment.carer_id == carer.pk:
        raise Refused("own_offer", _("This is your own visit."))
    return offer


def _hand_over(offer: Offer, carer: Person, *, actor: Person | None, action: Action):
    """Called with the shift and the open offer locked: the place passes to `carer`."""
    given = offer.assignment
    now = timezone.now()
    assignment = place(given.shift, carer)
    # The offer is marked taken before the place is released, so release() leaves it be.
    Offer.objects.filter(pk=offer.pk).update(
        status=OfferStatus.TAKEN, closed_at=now, taken_as=assignment
    )
    release(given, ReleaseReason.OFFER_TAKEN, now)
    changed(
        action,
        assignment,
        actor=actor,
        shift=given.shift,
        carers=[given.carer_id, carer],
        before={"carer": given.carer_id},
        after={"carer": carer.pk, "offer": offer.pk},
    )
    return assignment


@service
def withdraw_offer(offer: Offer, *, actor: Person | None = None) -> Offer:
    offer = Offer.objects.select_for_update().select_related("assignment").get(pk=offer.pk)
    require_actor(actor, lambda a: a.pk == offer.assignment.carer_id)
    if offer.status != OfferStatus.OPEN:
        raise Refused("offer_closed", _("This offer is already closed."))
    offer.status, offer.closed_at = OfferStatus.WITHDRAWN, timezone.now()
    offer.closed_reason = _("Withdrawn.")
    offer.save(update_fields=["status", "closed_at", "closed_reason"])
    changed(
        Action.WITHDRAW_OFFER,
        offer,
        actor=actor,
        shift=offer.assignment.shift,
        carers=[offer.assignment.carer_id],
    )
    return offer


@service
def cancel_shift(shift: Shift, reason: str, *, actor: Person | None = None) -> Shift:
    shift = lock_shift(shift)
    require_actor(actor, lambda a: leads(a, shift.circle))
    reason = (reason or "").strip()
    if not reason:
        raise Refused("no_reason", _("Say why the visit is cancelled."))
    if len(reason) > CANCEL_REASON_LIMIT:
        raise Refused(
            "reason_too_long",
            _("Please keep the reason to %(limit)d characters or fewer. Nothing has changed.")
            % {"limit": CANCEL_REASON_LIMIT},
        )
    require_live(shift)
    if shift.has_started():
        raise Refused("started", _("This visit has already started."))
    before = shift_facts(shift)
    holders = cancel(shift, reason, timezone.now())
    changed(
        Action.CANCEL_SHIFT,
        shift,
        actor=actor,
        shift=shift,
        carers=[a.carer_id for a in holders],
        before=before,
        after={**shift_facts(shift), "reason": shift.cancel_reason},
    )
    return shift

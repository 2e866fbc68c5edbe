"""Taking, giving away and cancelling places on shifts."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import dateformat, timezone
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
    ShiftStatus,
)
from rota.rules import Refused, RuleBroken, check_many
from rota.services._base import (
    cancel,
    changed,
    has_free_place,
    held,
    lock_carers,
    lock_shift,
    lock_shifts,
    place,
    release,
    require_actor,
    require_live,
    require_rules,
    service,
    shift_facts,
)
from rota.services.asking import asked_instead


def claim(shift: Shift, carer: Person, *, actor: Person | None = None) -> Assignment:
    """Take a place that needs cover: a free one, or else one its holder has offered. Refused
    only by the client's new-face limit, when they chose to be asked first, the client is
    asked instead (rota.services.asking) and the carer told so (`AskedFirst`)."""
    try:
        return _claim(shift, carer, actor=actor)
    except RuleBroken as refusal:
        raise asked_instead(refusal, shift, carer, actor=actor) from None


@service
def _claim(shift: Shift, carer: Person, *, actor: Person | None) -> Assignment:
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
    if not has_free_place(shift):
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


def take_offer(offer: Offer, carer: Person, *, actor: Person | None = None) -> Assignment:
    """Take a place its holder is giving away; for a client who asks first about one more new
    carer, the client is asked instead, as for `claim`."""
    try:
        return _take_offer(offer, carer, actor=actor)
    except RuleBroken as refusal:
        raise asked_instead(refusal, offer.assignment.shift, carer, actor=actor) from None


@service
def _take_offer(offer: Offer, carer: Person, *, actor: Person | None) -> Assignment:
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
    assignment = _pass_on(offer, carer)
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


def _pass_on(offer: Offer, carer: Person) -> Assignment:
    """Called with the shift and the open offer locked: the offered place becomes `carer`'s."""
    now = timezone.now()
    assignment = place(offer.assignment.shift, carer)
    # The offer is marked taken before the place is released, so release() leaves it be.
    Offer.objects.filter(pk=offer.pk).update(
        status=OfferStatus.TAKEN, closed_at=now, taken_as=assignment
    )
    release(offer.assignment, ReleaseReason.OFFER_TAKEN, now)
    return assignment


@dataclass(frozen=True)
class EveryWeek:
    """What "take every week" came to: the places taken, in date order, and each visit it
    could not take with why, in the rules' words (`refused`: (visit, reasons))."""

    taken: list[Assignment]
    refused: list[tuple[Shift, list[str]]]

    @property
    def refused_in_words(self) -> list[str]:
        """ "Tue 14 Jul: You are off (holiday) from …": one line per visit not taken."""
        return [day_and_reason(shift, reasons) for shift, reasons in self.refused]


def day_and_reason(shift: Shift, reasons: list[str]) -> str:
    day = dateformat.format(timezone.localtime(shift.start, shift.circle.tz), "D j M")
    return _("%(day)s: %(reasons)s") % {"day": day, "reasons": " ".join(reasons)}


def every_week(shift: Shift, carer: Person, *, now: datetime) -> list[Shift]:
    """The visits "take every week" would take for `carer`, from `shift`: the visits of its
    plan still to start on the same weekday at the same local time that need cover (a place
    free, or offered by its holder) and that the carer is not on, `shift` itself included;
    in date order.

    Only the dates the rota has made so far: later weeks come with the horizon
    (docs/design.md, Plans, visits and places). A visit with no plan does not repeat: none.
    """
    if shift.plan_id is None:
        return []
    tz = shift.circle.tz
    local = timezone.localtime(shift.start, tz)
    open_offer = Offer.objects.filter(
        assignment__shift=OuterRef("pk"),
        assignment__released_at__isnull=True,
        status=OfferStatus.OPEN,
    )
    mine = Assignment.objects.filter(shift=OuterRef("pk"), carer=carer, released_at__isnull=True)
    shifts = (
        Shift.objects.filter(
            plan_id=shift.plan_id,
            status=ShiftStatus.PLANNED,
            start__gt=now,
            plan_date__iso_week_day=local.isoweekday(),
        )
        .exclude(Exists(mine))
        .annotate(
            held_count=Count("assignments", filter=Q(assignments__released_at__isnull=True)),
            has_open_offer=Exists(open_offer),
        )
        .filter(Q(held_count__lt=F("carers_needed")) | Q(has_open_offer=True))
        .select_related("circle", "client", "plan")
        .order_by("start", "pk")
    )
    return [s for s in shifts if timezone.localtime(s.start, tz).time() == local.time()]


@service
def claim_every_week(shift: Shift, carer: Person, *, actor: Person | None = None) -> EveryWeek:
    """ "Take every week": take each visit `every_week` finds, each judged by the rules; those
    that fail stay with the circle and are listed with why. One audit event for them all.

    1. Find the visits, then lock them in primary-key order, like every other change.
    2. Judge them under the locks, so a place taken meanwhile is refused by `full`. One
       judgement serves them all: the visits are a week apart, so taking one cannot break a
       rule for another (overlap, rest and weekly hours look no further than its own week).
    3. Take a free place, else the oldest open offer, as `claim` does.
    """
    require_actor(actor, lambda a: a == carer)
    now = timezone.now()
    found = every_week(shift, carer, now=now)
    if not found:
        raise Refused(
            "nothing_to_take", _("None of these visits needs a carer now. Nothing has changed.")
        )
    locked = lock_shifts(s.pk for s in found)
    shifts = sorted((s for s in locked.values() if s.is_live), key=lambda s: (s.start, s.pk))
    judged = check_many(carer, shifts, now=now)
    passing = [s for s in shifts if not judged[s.pk]]
    held_counts = dict(
        Assignment.objects.filter(shift__in=passing, released_at__isnull=True)
        .values("shift")
        .annotate(n=Count("pk"))
        .values_list("shift", "n")
    )
    taken: list[Assignment] = []
    given_by: dict[str, int] = {}
    refused = [(s, [v.message for v in judged[s.pk]]) for s in shifts if judged[s.pk]]
    for s in passing:
        if held_counts.get(s.pk, 0) < s.carers_needed:
            taken.append(place(s, carer))
            continue
        offer = (
            Offer.objects.select_for_update()
            .select_related("assignment")
            .filter(assignment__shift=s, status=OfferStatus.OPEN)
            .order_by("created_at")
            .first()
        )
        try:
            offer = _require_open(offer, carer)
        except Refused as refusal:
            refused.append((s, refusal.messages))
            continue
        taken.append(_pass_on(offer, carer))
        given_by[str(taken[-1].pk)] = offer.assignment.carer_id
    refused.sort(key=lambda item: (item[0].start, item[0].pk))
    if taken:
        first = taken[0].shift
        changed(
            Action.CLAIM_EVERY_WEEK,
            first,
            actor=actor,
            shift=first,
            carers=[carer, *given_by.values()],
            after={
                "shift": first.pk,
                "carer": carer.pk,
                "taken": [a.pk for a in taken],
                "shifts": [a.shift_id for a in taken],
                "last": taken[-1].start.isoformat(),
                "given_by": given_by,
                "refused": [s.pk for s, _reasons in refused],
            },
        )
    return EveryWeek(taken, refused)


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

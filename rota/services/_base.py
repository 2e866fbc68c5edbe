"""What every rota change shares: one transaction, locks, releasing places, the audit
event and the after-commit announcement, and turning database refusals into words."""

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import ParamSpec, TypeVar

import psycopg.errors
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.models import Circle
from people.models import Person
from rota import audit, counts, outbox
from rota.models import (
    Action,
    Assignment,
    AuditEvent,
    Offer,
    OfferStatus,
    ReleaseReason,
    Shift,
    ShiftStatus,
    Swap,
    SwapStatus,
)
from rota.outbox import ANNOUNCE_CHANGE
from rota.rules import Refused, Rule, RuleBroken, Violation, check

P = ParamSpec("P")
R = TypeVar("R")


def try_again() -> Refused:
    return Refused(
        "try_again", _("Someone else changed this at the same moment. Please try again.")
    )


def already_said() -> Refused:
    return Refused("already_said", _("You have already said you will be there then."))


def away_overlaps() -> Refused:
    return Refused("overlaps", _("Already away at some of that time."))


def service(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a rota change in one transaction; database refusals become plain words.

    A deadlock or serialisation failure is a "try again"; the exclusion and unique
    constraints that back the overlap rule are reported as that rule.
    """

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except OperationalError as error:
            if isinstance(
                error.__cause__,
                psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure,
            ):
                raise try_again() from error
            raise
        except IntegrityError as error:
            constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
            if constraint == "familyvisit_once_per_window":
                raise already_said() from error
            if constraint == "clientaway_no_overlap_per_client":
                raise away_overlaps() from error
            if constraint == "thanks_once_per_author_and_place":
                raise Refused(
                    "already_thanked", _("You have already thanked them for this visit.")
                ) from error
            if constraint == "assignment_no_overlap_per_carer":
                message = _("You have just been given another visit at that time.")
            elif constraint == "assignment_one_per_carer_and_shift":
                message = _("You are already on this visit.")
            else:
                raise
            raise RuleBroken([Violation(Rule.OVERLAP, message)]) from error

    return run


def require_aware(*moments: datetime) -> None:
    if any(timezone.is_naive(moment) for moment in moments):
        raise Refused("naive_datetime", _("Times must include their time zone."))


def require_end_after(start: datetime, end: datetime) -> None:
    if end <= start:
        raise Refused("end_before_start", _("The end must be after the start."))


def lock_shifts(ids: Iterable[int]) -> dict[int, Shift]:
    """Lock shifts in primary-key order, so two changes never wait on each other in a circle."""
    shifts = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("circle", "client", "plan")
        .filter(pk__in=set(ids))
        .order_by("pk")
    )
    return {shift.pk: shift for shift in shifts}


def lock_shift(shift: Shift) -> Shift:
    locked = lock_shifts([shift.pk]).get(shift.pk)
    if locked is None:
        raise Refused("no_such_shift", _("That visit no longer exists."))
    return locked


def held(assignment: Assignment) -> Assignment:
    """The assignment as it is now, or a refusal if its carer no longer holds it."""
    current = Assignment.objects.select_related("carer").get(pk=assignment.pk)
    if current.released_at is not None:
        raise Refused(
            "not_held", _("That place is no longer held by %(carer)s.") % {"carer": current.carer}
        )
    return current


def require_live(shift: Shift) -> None:
    if shift.status == ShiftStatus.CANCELLED:
        raise Refused(
            "cancelled", _("This visit was cancelled: %(reason)s") % {"reason": shift.cancel_reason}
        )
    if shift.status == ShiftStatus.NOT_NEEDED:
        raise Refused("not_needed", _("This visit is not needed any more."))


def set_changed(obj: Model, values: Mapping[str, object]) -> tuple[dict, dict]:
    """Set on `obj` each value that differs from what it holds. Returns the changed fields
    as they were and as they are now, for the trail: both empty when nothing changed."""
    before = {
        field: getattr(obj, field)
        for field, value in values.items()
        if getattr(obj, field) != value
    }
    after = {field: values[field] for field in before}
    for field, value in after.items():
        setattr(obj, field, value)
    return before, after


def lock_circle(circle_id: int) -> None:
    """Lock the circle's row. Generation locks it while it makes visits, so a change that
    frees the visits of a window (a family visit, a client away) either sees a visit made
    meanwhile or is seen by generation, never neither."""
    Circle.objects.select_for_update().only("pk").get(pk=circle_id)


def lock_carers(*carers: Person) -> None:
    """Lock the carers' rows, in primary-key order. A change that gives a carer a place and
    one that gives them time off both start here, so they are judged one after the other:
    time off and a claim for that day at the same moment never both hold."""
    list(
        Person.objects.select_for_update()
        .filter(pk__in={carer.pk for carer in carers})
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def require_rules(carer: Person, shift: Shift, **swap) -> None:
    """Refuse with every rule that fails; `swap` is check()'s giving_up and taking_over.
    A change that gives the carer a place has locked their row first (lock_carers), so the
    rules see their time off as it is."""
    violations = check(carer, shift, **swap)
    if violations:
        raise RuleBroken(violations)


def require_actor(actor: Person | None, allowed: Callable[[Person], bool]) -> None:
    """When a person acts, they may only make changes that are theirs to make."""
    if actor is not None and not allowed(actor):
        raise Refused("not_allowed", _("You can't make this change for someone else."))


def has_free_place(shift: Shift) -> bool:
    """Fewer carers hold the shift than it needs (a place being given away is still held)."""
    return shift.assignments.filter(released_at__isnull=True).count() < shift.carers_needed


def place(shift: Shift, carer: Person) -> Assignment:
    """Put the carer on the visit, and count its places again (rota.counts)."""
    assignment = Assignment.objects.create(
        shift=shift, carer=carer, start=shift.start, end=shift.end
    )
    counts.recount([shift.pk])
    return assignment


def release(assignment: Assignment, reason: ReleaseReason, now: datetime) -> None:
    """Take the carer off; their open offers and swap proposals for it close with the reason."""
    release_all([assignment], reason, now)


def release_all(assignments: list[Assignment], reason: ReleaseReason, now: datetime) -> None:
    """Take each carer off their place, count the visits' places again, and close the
    places' open offers and swap proposals with the reason: five statements however many
    places (a "rather not" may release dozens). If another change released one of them
    first, nothing is, and it is a "try again"."""
    if not assignments:
        return
    ids = [assignment.pk for assignment in assignments]
    changed = Assignment.objects.filter(pk__in=ids, released_at__isnull=True).update(
        released_at=now, release_reason=reason
    )
    if changed != len(set(ids)):
        raise try_again()
    for assignment in assignments:
        assignment.released_at, assignment.release_reason = now, reason
    counts.recount(assignment.shift_id for assignment in assignments)
    why = _("The place changed hands: %(reason)s.") % {"reason": reason.label}
    Offer.objects.filter(assignment__in=ids, status=OfferStatus.OPEN).update(
        status=OfferStatus.CLOSED, closed_at=now, closed_reason=why
    )
    Swap.objects.filter(Q(offered__in=ids) | Q(wanted__in=ids), status=SwapStatus.PROPOSED).update(
        status=SwapStatus.CLOSED, closed_at=now, closed_reason=why
    )


def release_holders(shift: Shift, reason: ReleaseReason, now: datetime) -> list[Assignment]:
    """Take every carer holding a place on this (locked) shift off it; returns their places."""
    holders = list(shift.assignments.filter(released_at__isnull=True))
    release_all(holders, reason, now)
    return holders


def free_shifts(
    inside: Q, reason: ReleaseReason, now: datetime
) -> tuple[list[Shift], list[Assignment]]:
    """Make the live visits matching `inside` not needed, taking their carers off them with
    `reason`: the visits locked and changed, and the places released."""
    candidates = Shift.objects.filter(inside).values_list("pk", flat=True)
    freed = [shift for shift in lock_shifts(candidates).values() if shift.is_live]
    released: list[Assignment] = []
    for shift in freed:
        released += release_holders(shift, reason, now)
        shift.status = ShiftStatus.NOT_NEEDED
        bump(shift, "status")
    return freed, released


def plan_again(
    shift_ids: Iterable[int], originals: list[Assignment]
) -> tuple[list[Shift], list[int], list[int]]:
    """Plan freed visits again, each original carer put back where the rules still allow;
    otherwise their place needs cover. The carers' rows are locked first, then the shifts,
    as every change that gives a carer a place does. Returns the visits planned again, the
    places restored and the original places not restored."""
    lock_carers(*(old.carer for old in originals))
    shifts = lock_shifts(shift_ids)
    replanned, restored, uncovered = [], [], []
    for shift in shifts.values():
        if shift.status != ShiftStatus.NOT_NEEDED:
            continue
        shift.status = ShiftStatus.PLANNED
        bump(shift, "status")
        replanned.append(shift)
        for old in (a for a in originals if a.shift_id == shift.pk):
            if check(old.carer, shift):
                uncovered.append(old.pk)
            else:
                restored.append(place(shift, old.carer).pk)
    return replanned, restored, uncovered


def cancel(shift: Shift, reason: str, now: datetime) -> list[Assignment]:
    """Cancel this (locked) shift, saying why, and take its carers off it; returns the
    places they held."""
    holders = release_holders(shift, ReleaseReason.CANCELLED, now)
    shift.status, shift.cancel_reason = ShiftStatus.CANCELLED, reason[:200]
    bump(shift, "status", "cancel_reason")
    return holders


def bump(shift: Shift, *fields: str) -> None:
    """Save a shift's changed fields and its sequence, so calendars replace their copy."""
    shift.sequence += 1
    shift.save(update_fields=[*fields, "sequence"])


def changed(
    action: Action,
    subject,
    *,
    actor: Person | None,
    shift: Shift | None = None,
    circle_id: int | None = None,
    client_id: int | None = None,
    carers: Iterable[Person | int] = (),
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Record the change in the audit trail and announce it after commit."""
    event = audit.record(
        action,
        subject,
        actor=actor,
        circle_id=circle_id if circle_id is not None else getattr(shift, "circle_id", None),
        client_id=client_id if client_id is not None else getattr(shift, "client_id", None),
        carer_ids=[c if isinstance(c, int) else c.pk for c in carers],
        before=before,
        after=after,
    )
    outbox.enqueue(ANNOUNCE_CHANGE, event_id=event.pk)
    return event


def shift_facts(shift: Shift) -> dict:
    return {
        "shift": shift.pk,
        "start": shift.start.isoformat(),
        "end": shift.end.isoformat(),
        "status": shift.status,
    }

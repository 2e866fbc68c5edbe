"""Materialising shifts from care plans over a rolling horizon.

Generation is, with rota.services, the only writer of shifts. It works in the circle's
time zone: an 08:00 visit is at 08:00 local time on both sides of a clock change. A visit
made inside a family visit said earlier, or inside a time a client is away, is freed as it is
made, as if it had been there.
"""

from datetime import UTC, date, datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from circles.models import Circle
from people.models import Person
from rota import audit, outbox
from rota.models import (
    Action,
    Assignment,
    ClientAway,
    FamilyVisit,
    FamilyVisitStatus,
    Shift,
    ShiftStatus,
    VisitPlan,
    away_frees,
    frees,
)
from rota.recurrence import aware_local, local_occurrences


def generate_shifts(circle: Circle, start: date, end: date) -> int:
    """Create the missing shifts for local dates start <= d < end; return how many.

    Idempotent: a plan never gets a second shift on a date where it already has one,
    whatever that shift's status, so a cancelled or freed visit is never brought back. A
    plan's skipped dates get no visit.
    Visits that would already have started are not created. Those lying inside an active
    family visit, or a time the client is away, are freed by it, as rota.services.family and
    rota.services.away free the visits already there.
    """
    with transaction.atomic():
        # One generation at a time per circle, so two runs cannot both create a date.
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        created = _create_missing(circle, start, end)
        if created:
            audit.record(
                Action.GENERATE_SHIFTS,
                circle,
                circle_id=circle.pk,
                after={"from": start.isoformat(), "to": end.isoformat(), "created": created},
            )
        return created


def _create_missing(circle: Circle, start: date, end: date) -> int:
    plans = list(
        VisitPlan.objects.filter(client__circle=circle, starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .select_related("client")
    )
    existing = set(
        Shift.objects.filter(plan__in=plans, plan_date__gte=start, plan_date__lt=end).values_list(
            "plan_id", "plan_date"
        )
    )
    now = timezone.now()
    new = []
    for plan in plans:
        for day in _plan_dates(plan, start, end):
            if (plan.pk, day) in existing:
                continue
            shift = Shift(circle=circle, client=plan.client, plan=plan, plan_date=day)
            _place(shift, plan, circle)
            if shift.start > now:
                new.append(shift)
    Shift.objects.bulk_create(new)
    _free_inside_windows(circle, new, now)
    return len(new)


def _free_inside_windows(circle: Circle, new: list[Shift], now: datetime) -> None:
    """The new visits an active family visit or a time the client is away covers are not
    needed: freed as recording it frees them (nobody holds a new visit, so no carer is
    released), listed among its freed visits so that withdrawing it, or coming back early,
    plans them again, and recorded as one event per window, announced like a service's
    change. A window said or ended meanwhile waits for the circle's lock, which the caller
    holds."""
    if not new:
        return
    last_end = max(shift.end for shift in new)
    family_visits = FamilyVisit.objects.filter(
        client__circle=circle, status=FamilyVisitStatus.ACTIVE, end__gt=now, start__lt=last_end
    ).order_by("start", "pk")
    aways = ClientAway.objects.filter(client__circle=circle, end__gt=now, start__lt=last_end)
    windows: list[tuple[FamilyVisit | ClientAway, Q, Action, dict]] = [
        (visit, frees(visit.start, visit.end, now), Action.FREE_FOR_FAMILY_VISIT, {})
        for visit in family_visits
    ]
    # A time away frees essential visits too.
    windows += [
        (
            away,
            away_frees(away.start, away.end, now),
            Action.FREE_FOR_CLIENT_AWAY,
            {"reason": away.reason},
        )
        for away in aways.order_by("start", "pk")
    ]
    new_ids = [shift.pk for shift in new]
    for window, inside, action, more in windows:
        freed = sorted(
            Shift.objects.filter(inside, pk__in=new_ids, client_id=window.client_id).values_list(
                "pk", flat=True
            )
        )
        if not freed:
            continue
        Shift.objects.filter(pk__in=freed).update(status=ShiftStatus.NOT_NEEDED)
        window.freed_shifts.add(*freed)
        event = audit.record(
            action,
            window,
            circle_id=circle.pk,
            client_id=window.client_id,
            after={
                "start": window.start.isoformat(),
                "end": window.end.isoformat(),
                "freed": freed,
                "released": [],
                **more,
            },
        )
        outbox.enqueue(outbox.ANNOUNCE_CHANGE, event_id=event.pk)


def _plan_dates(plan: VisitPlan, start: date, end: date, *, skipping: bool = True) -> list[date]:
    """The local dates the plan visits from start to end (end excluded), less its skipped
    dates unless `skipping` is False."""
    if plan.ends_on is not None:
        end = min(end, plan.ends_on + timedelta(days=1))
    days = local_occurrences(plan.rrule, plan.starts_on, start, end)
    if not skipping:
        return days
    skipped = set(plan.skipped_dates)
    return [day for day in days if day not in skipped]


def _plan_date(shift: Shift) -> date:
    """The date of a shift made from a plan, which is never None: the database keeps a
    shift's plan and plan date both set or both empty (constraint shift_plan_has_date), and
    generation sets both."""
    return cast(date, shift.plan_date)


def _place(shift: Shift, plan: VisitPlan, circle: Circle) -> None:
    """Set the shift's times and places from the plan, for its plan date."""
    # In UTC from here on: adding a timedelta to a datetime in a ZoneInfo zone adds wall-clock
    # time, so 01:30 BST + 1 hour on the night the clocks go back would end at 02:30 GMT,
    # two hours later. The duration is elapsed time.
    shift.start = aware_local(_plan_date(shift), plan.start_time, circle.tz).astimezone(UTC)
    shift.end = shift.start + timedelta(minutes=plan.duration_minutes)
    shift.carers_needed = plan.carers_needed


def horizon(circle: Circle) -> tuple[date, date]:
    """Today in the circle's time zone and the end of the rolling horizon."""
    today = timezone.localdate(timezone=circle.tz)
    return today, today + timedelta(weeks=settings.ROTA_HORIZON_WEEKS)


def roll_horizon(circle: Circle) -> int:
    return generate_shifts(circle, *horizon(circle))


def apply_plan_change(plan: VisitPlan, *, actor: Person | None = None) -> int:
    """After a plan is edited: rewrite its future, unassigned shifts, then fill the horizon.

    Shifts that have started, that someone holds, or that are not planned (freed by a
    family visit, cancelled) are left as they are, and a shift whose new time today has
    already passed keeps its old time. A future unassigned shift on a date the plan no
    longer visits is removed, or cancelled if it has a history of carers.
    Returns how many shifts were rewritten or removed.
    """
    with transaction.atomic():
        circle = Circle.objects.select_for_update().get(pk=plan.client.circle_id)
        today, last = horizon(circle)
        now = timezone.now()
        # 1. Lock the plan's future planned shifts; services lock a shift before taking a
        #    place on it, so nobody can claim one of them until this change commits.
        locked = list(
            Shift.objects.select_for_update()
            .filter(plan=plan, status=ShiftStatus.PLANNED, start__gt=now)
            .values_list("pk", flat=True)
        )
        # 2. Only then ask which are held, in a new statement that sees a claim committed
        #    while we waited for a lock. Not .exclude(assignments__released_at__isnull=True):
        #    its LEFT JOIN makes a shift with no assignments at all match "IS NULL" too.
        future = list(
            Shift.objects.filter(pk__in=locked)
            .exclude(Exists(Assignment.objects.filter(shift=OuterRef("pk"), released_at=None)))
            .order_by("plan_date")
        )
        # Asked over the dates these shifts are on, not only the horizon: a shift made
        # further ahead (a longer horizon then) is not "a date the plan no longer visits".
        # A skipped date is still one of the plan's days here, so its visit is not removed:
        # rota.services.plans frees it (releasing whoever holds it) before this runs, and
        # plans it again once the date is no longer skipped.
        still_visits = (
            set(
                _plan_dates(
                    plan,
                    _plan_date(future[0]),
                    _plan_date(future[-1]) + timedelta(days=1),
                    skipping=False,
                )
            )
            if future
            else set()
        )
        changed = []
        for shift in future:
            before = _times(shift)
            if shift.plan_date in still_visits:
                _place(shift, plan, circle)
                # Moved to a time already past, it would be a visit that began with nobody
                # there and that no carer could take: today's visit keeps its old time.
                if shift.start <= now:
                    shift.start, shift.end = before["start"], before["end"]
                # Compared as instants: the same time written in another offset is no change.
                if _times(shift) == before:
                    continue
                shift.sequence += 1
                shift.save(update_fields=["start", "end", "carers_needed", "sequence"])
            elif shift.assignments.exists():
                shift.status = ShiftStatus.CANCELLED
                shift.cancel_reason = "The care plan changed."
                shift.sequence += 1
                shift.save(update_fields=["status", "cancel_reason", "sequence"])
            else:
                shift.delete()
            changed.append({"plan_date": _plan_date(shift).isoformat(), **_as_json(before)})
        if changed:
            audit.record(
                Action.CHANGE_PLAN,
                plan,
                actor=actor,
                circle_id=circle.pk,
                client_id=plan.client_id,
                before={"shifts": changed},
                after={"rrule": plan.rrule, "start_time": plan.start_time.isoformat()},
            )
        generate_shifts(circle, today, last)
        return len(changed)


def _times(shift: Shift) -> dict:
    return {"start": shift.start, "end": shift.end, "carers_needed": shift.carers_needed}


def _as_json(times: dict) -> dict:
    return {
        "start": times["start"].astimezone(UTC).isoformat(),
        "end": times["end"].astimezone(UTC).isoformat(),
        "carers_needed": times["carers_needed"],
    }

"""Materialising shifts from care plans over a rolling horizon.

Generation is, with rota.services, the only writer of shifts. It works in the circle's
time zone: an 08:00 visit is at 08:00 local time on both sides of a clock change.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from circles.models import Circle
from rota import audit
from rota.models import Shift, ShiftStatus, VisitPlan
from rota.recurrence import aware_local, local_occurrences


def generate_shifts(circle: Circle, start: date, end: date) -> int:
    """Create the missing shifts for local dates start <= d < end; return how many.

    Idempotent: a plan never gets a second shift on a date where it already has one,
    whatever that shift's status, so a cancelled or freed visit is never brought back.
    Visits that would already have started are not created.
    """
    with transaction.atomic():
        # One generation at a time per circle, so two runs cannot both create a date.
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        created = _create_missing(circle, start, end)
        if created:
            audit.record(
                "generate_shifts",
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
    return len(new)


def _plan_dates(plan: VisitPlan, start: date, end: date) -> list[date]:
    if plan.ends_on is not None:
        end = min(end, plan.ends_on + timedelta(days=1))
    return local_occurrences(plan.rrule, plan.starts_on, start, end)


def _place(shift: Shift, plan: VisitPlan, circle: Circle) -> None:
    """Set the shift's times and places from the plan, for its plan date."""
    shift.start = aware_local(shift.plan_date, plan.start_time, circle.tz)
    # The duration is elapsed time: a one-hour visit lasts an hour across a clock change.
    shift.end = shift.start + timedelta(minutes=plan.duration_minutes)
    shift.carers_needed = plan.carers_needed


def horizon(circle: Circle) -> tuple[date, date]:
    """Today in the circle's time zone and the end of the rolling horizon."""
    today = timezone.localdate(timezone=circle.tz)
    return today, today + timedelta(weeks=settings.ROTA_HORIZON_WEEKS)


def roll_horizon(circle: Circle) -> int:
    return generate_shifts(circle, *horizon(circle))


def apply_plan_change(plan: VisitPlan, *, actor=None) -> int:
    """After a plan is edited: rewrite its future, unassigned shifts, then fill the horizon.

    Shifts that have started, that someone holds, or that are not planned (freed by a
    family visit, cancelled) are left as they are. A future unassigned shift on a date the
    plan no longer visits is removed, or cancelled if it has a history of carers.
    Returns how many shifts were rewritten or removed.
    """
    with transaction.atomic():
        circle = Circle.objects.select_for_update().get(pk=plan.client.circle_id)
        today, last = horizon(circle)
        future = (
            Shift.objects.select_for_update()
            .filter(plan=plan, status=ShiftStatus.PLANNED, start__gt=timezone.now())
            .exclude(assignments__released_at__isnull=True)
        )
        still_visits = set(_plan_dates(plan, today, last))
        changed = []
        for shift in future:
            before = _times(shift)
            if shift.plan_date in still_visits:
                _place(shift, plan, circle)
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
            changed.append({"plan_date": shift.plan_date.isoformat(), **before})
        if changed:
            audit.record(
                "change_plan",
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
    return {
        "start": shift.start.isoformat(),
        "end": shift.end.isoformat(),
        "carers_needed": shift.carers_needed,
    }

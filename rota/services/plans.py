"""A care plan edited: the visits on the days it now skips are freed, and those on days it no
longer skips are planned again, before its other future visits are rewritten
(rota.generation.apply_plan_change)."""

from django.db.models import F
from django.utils import timezone

from circles.models import Circle
from people.models import Person
from rota.generation import apply_plan_change
from rota.models import (
    Action,
    Assignment,
    FamilyVisitStatus,
    ReleaseReason,
    Shift,
    ShiftStatus,
    VisitPlan,
)
from rota.services._base import (
    bump,
    changed,
    lock_carers,
    lock_shifts,
    release_holders,
    service,
)


@service
def change_plan(plan: VisitPlan, *, actor: Person | None = None) -> int:
    """After a plan is saved: each future visit on a skipped date is not needed, and whoever
    held it is released (and told); each future visit freed on a date no longer skipped, and
    not freed by anything else still in force (a family visit, the client away), is planned
    again and needs cover. Then the plan's other future visits follow it (apply_plan_change).
    Returns how many visits were freed, planned again, rewritten or removed."""
    # The circle first, as generation and family visits lock it: a visit made or freed
    # meanwhile is seen here.
    Circle.objects.select_for_update().only("pk").get(pk=plan.client.circle_id)
    now = timezone.now()
    skipped = set(plan.skipped_dates)
    coming = Shift.objects.filter(plan=plan, start__gt=now)
    to_free = coming.filter(status=ShiftStatus.PLANNED, plan_date__in=skipped)
    to_restore = coming.filter(status=ShiftStatus.NOT_NEEDED).exclude(plan_date__in=skipped)
    # Carers first, then shifts, as every change that gives a carer a place locks them.
    holders = Assignment.objects.filter(shift__in=to_free, released_at__isnull=True)
    lock_carers(*Person.objects.filter(pk__in=holders.values("carer_id")))
    ids = [*to_free.values_list("pk", flat=True), *to_restore.values_list("pk", flat=True)]
    shifts = lock_shifts(ids)
    freed, released = [], []
    for shift in shifts.values():
        if shift.status == ShiftStatus.PLANNED and shift.plan_date in skipped:
            # The plan no longer asks for a visit that day.
            released += release_holders(shift, ReleaseReason.NOT_IN_PLAN, now)
            shift.status = ShiftStatus.NOT_NEEDED
            bump(shift, "status")
            freed.append(shift)
    restored = []
    freed_elsewhere = _freed_elsewhere(
        [pk for pk, shift in shifts.items() if shift.status == ShiftStatus.NOT_NEEDED]
    )
    for shift in shifts.values():
        if shift in freed or shift.pk in freed_elsewhere:
            continue
        if shift.status == ShiftStatus.NOT_NEEDED and shift.plan_date not in skipped:
            shift.status = ShiftStatus.PLANNED
            bump(shift, "status")
            restored.append(shift)
    if freed or restored:
        changed(
            Action.CHANGE_PLAN,
            plan,
            actor=actor,
            circle_id=plan.client.circle_id,
            client_id=plan.client_id,
            carers=[a.carer_id for a in released],
            after={
                "skipped": sorted(day.isoformat() for day in skipped),
                "freed": [s.pk for s in freed],
                "released": [a.pk for a in released],
                "planned_again": [s.pk for s in restored],
            },
        )
    return len(freed) + len(restored) + apply_plan_change(plan, actor=actor)


def _freed_elsewhere(ids: list[int]) -> set[int]:
    """Of these visits not needed, those freed by an active family visit or by the client
    being away at the time: not the plan's to plan again."""
    by_family = Shift.objects.filter(
        pk__in=ids, freed_by__status=FamilyVisitStatus.ACTIVE
    ).values_list("pk", flat=True)
    by_away = Shift.objects.filter(
        pk__in=ids, freed_by_away__start__lt=F("end"), freed_by_away__end__gt=F("start")
    ).values_list("pk", flat=True)
    return {*by_family, *by_away}

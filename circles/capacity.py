"""How well a circle's visits are covered over a window, and how many hours its carers have
left to give (docs/design.md, Capacity and continuity).

`capacities` does it for many circles in a fixed number of queries, whatever their number:
the dashboard, and an alert of a circle whose state changed, use it. `capacity` is the same
for one circle. `figures` is what a circle is judged on, read from the counts each visit
keeps of its places rightly held (rota.counts): the sweep and each change's check judge
from it.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from circles.models import Circle, CircleState, Membership, Role
from people.models import CarerProfile
from rota.models import Absence, Assignment, Shift, ShiftStatus
from rota.recurrence import aware_local
from rota.sql import LocalWeek


@dataclass(frozen=True)
class Figures:
    """What a circle is judged on over a window: carer places needed and filled, and when
    its first essential visit with a place nobody holds starts, if one has."""

    needed: int = 0
    filled: int = 0
    essential_gap: datetime | None = None


@dataclass(frozen=True)
class Capacity:
    slots_needed: int
    slots_filled: int
    # Visits with a place nobody (rightly) holds: essential first, then by start. Each has
    # `places_filled`, how many of its `carers_needed` places are held.
    uncovered: list[Shift]
    headroom_hours: float
    state: str

    @property
    def percent_filled(self) -> float:
        return percent_filled(self.slots_needed, self.slots_filled)


def percent_filled(needed: int, filled: int) -> float:
    """Share of carer places filled; an empty window is fully covered."""
    return 100.0 * filled / needed if needed else 100.0


def capacity(circle: Circle, start: datetime, end: datetime) -> Capacity:
    return capacities([circle], start, end)[circle.pk]


def capacities(
    circles: Iterable[Circle],
    start: datetime,
    end: datetime,
    *,
    judged_on: Mapping[int, Figures] | None = None,
) -> dict[int, Capacity]:
    """Capacity of each circle over [start, end), by circle id, in five queries (four when
    the caller has read the circles' `figures` for the window already).

    Only planned visits starting in the window count. A place held by a carer who now
    breaks a rule on it (an expired check, a client's new "rather not") is uncovered.
    """
    circles = list(circles)
    ids = [circle.pk for circle in circles]
    if judged_on is None:
        judged_on = figures(ids, start, end)
    uncovered = _uncovered(ids, start, end)
    headroom = _headroom(circles, start, end)
    now = timezone.now()
    result = {}
    for circle in circles:
        these = judged_on.get(circle.pk, Figures())
        result[circle.pk] = Capacity(
            slots_needed=these.needed,
            slots_filled=these.filled,
            uncovered=uncovered.get(circle.pk, []),
            headroom_hours=round(headroom.get(circle.pk, 0.0), 1),
            state=judge(circle, these, now),
        )
    return result


def judge(circle: Circle, figures: Figures, now: datetime) -> CircleState:
    """The circle's state by its thresholds: an essential visit without a carer soon, or too
    few places filled, is not coping; fewer than it would like is strained."""
    soon = now + timedelta(hours=circle.essential_gap_hours)
    if figures.essential_gap is not None and figures.essential_gap < soon:
        return CircleState.NOT_COPING
    percent = percent_filled(figures.needed, figures.filled)
    if percent < circle.not_coping_below_percent:
        return CircleState.NOT_COPING
    if percent < circle.strained_below_percent:
        return CircleState.STRAINED
    return CircleState.OK


# --- covered places ---------------------------------------------------------------------------

# A place held twice over (an open offer taken) still fills one place.
FILLED = Least("places_held", "carers_needed", output_field=IntegerField())
# A visit with a place nobody rightly holds (rota.counts keeps places_held).
GAP = Q(places_held__lt=F("carers_needed"))
# Shift.essential in SQL: a visit without a plan is a help request, essential.
ESSENTIAL = Q(plan__isnull=True) | Q(plan__essential=True)


def live_shifts(circle_ids: list[int], start: datetime, end: datetime) -> QuerySet[Shift]:
    """Planned visits starting in the window."""
    return Shift.objects.filter(
        circle_id__in=circle_ids, status=ShiftStatus.PLANNED, start__gte=start, start__lt=end
    )


def figures(circle_ids: list[int], start: datetime, end: datetime) -> dict[int, Figures]:
    """Each circle's figures over the window, from the visits' kept counts: one GROUP BY,
    one row a circle with visits."""
    rows = (
        live_shifts(circle_ids, start, end)
        .values("circle_id")
        .annotate(
            needed=Sum("carers_needed"),
            filled=Sum(FILLED),
            essential_gap=Min("start", filter=GAP & ESSENTIAL),
        )
        .order_by()
    )
    return {
        row["circle_id"]: Figures(row["needed"], row["filled"], row["essential_gap"])
        for row in rows
    }


def _uncovered(circle_ids: list[int], start: datetime, end: datetime) -> dict[int, list[Shift]]:
    shifts = (
        live_shifts(circle_ids, start, end)
        .filter(GAP)
        .annotate(
            places_filled=F("places_held"),
            is_essential=Coalesce("plan__essential", Value(True), output_field=BooleanField()),
        )
        .select_related("circle", "client", "plan")
        .order_by("-is_essential", "start", "pk")
    )
    by_circle: dict[int, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_circle[shift.circle_id].append(shift)
    return by_circle


# --- headroom ---------------------------------------------------------------------------------


def _headroom(circles: list[Circle], start: datetime, end: datetime) -> dict[int, float]:
    """Hours each circle's carers could still work in the window (docs/design.md, Capacity and
    continuity).

    1. The circle's carers: members during the window, with their weekly limit.
    2. Hours they hold in each week the window touches, in any circle (the limit is theirs,
       not the circle's), split into the part inside the window and the rest of the week.
    3. Their absences in the window.
    Then, per carer and week, the limit scaled to the share of the week they are in the
    window, members and not away, less what they hold in that part; never more than the
    limit less everything they hold that week, never below zero.
    """
    ids = [circle.pk for circle in circles]
    # The window's dates and a day either side, whatever the circles' time zones: each
    # member's time in the window is clipped to their own first and last day below.
    first_day, last_day = start.date() - timedelta(days=1), end.date() + timedelta(days=1)
    members = list(
        Membership.objects.during(first_day, last_day)
        .filter(circle_id__in=ids, role=Role.CARER, person__is_active=True)
        .values(
            "circle_id",
            "person_id",
            "started_on",
            "ended_on",
            "person__carer_profile__kind",
            "person__carer_profile__weekly_limit_hours",
        )
    )
    carer_ids = {member["person_id"] for member in members}
    held = _held_hours(carer_ids, start, end)
    away = _absences(carer_ids, start, end)
    tz_of = {circle.pk: circle.tz for circle in circles}
    total: dict[int, float] = defaultdict(float)
    for member in members:
        limit = _weekly_limit(member)
        if limit is None:
            continue  # an unpaid carer with no limit: how much more they can give is unknown
        tz = tz_of[member["circle_id"]]
        since = max(start, aware_local(member["started_on"], time.min, tz))
        until = end
        if member["ended_on"] is not None:
            until = min(end, aware_local(member["ended_on"], time.min, tz))
        for monday, week_start, week_end in _weeks(start, end, tz):
            total[member["circle_id"]] += _week_headroom(
                limit,
                present=(max(since, week_start), min(until, week_end)),
                away=away.get(member["person_id"], []),
                held_in=held.get((member["person_id"], monday, True), 0.0),
                held_out=held.get((member["person_id"], monday, False), 0.0),
            )
    return total


def _weekly_limit(member: Mapping[str, Any]) -> float | None:
    kind = member["person__carer_profile__kind"]
    if kind is None:
        return None  # a member without a carer profile: nothing known about their hours
    limit = member["person__carer_profile__weekly_limit_hours"]
    return CarerProfile(kind=kind, weekly_limit_hours=limit).weekly_limit


def _held_hours(
    carer_ids: set[int], start: datetime, end: datetime
) -> dict[tuple[int, date, bool], float]:
    """Hours held per (carer, Monday of the week, inside the window or not)."""
    # The weeks the window touches begin at most a week before it and end a week after.
    rows = (
        Assignment.objects.filter(
            carer_id__in=carer_ids,
            released_at__isnull=True,
            start__gte=start - timedelta(days=8),
            start__lt=end + timedelta(days=8),
        )
        .values(
            "carer_id",
            monday=LocalWeek("start", "shift__circle__timezone"),
            inside=ExpressionWrapper(
                Q(start__gte=start, start__lt=end), output_field=BooleanField()
            ),
        )
        .annotate(held=Sum(F("end") - F("start")))
        .order_by()
    )
    return {
        (row["carer_id"], row["monday"], row["inside"]): row["held"].total_seconds() / 3600
        for row in rows
    }


def _absences(
    carer_ids: set[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    away: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for carer_id, since, until in Absence.objects.filter(
        carer_id__in=carer_ids, start__lt=end, end__gt=start
    ).values_list("carer_id", "start", "end"):
        away[carer_id].append((since, until))
    return away


def _weeks(start: datetime, end: datetime, tz: ZoneInfo):
    """(Monday, week start, week end) of each local week, Monday to Sunday, touching the
    window, its start and end clipped to it."""
    monday = timezone.localtime(start, tz).date()
    monday -= timedelta(days=monday.weekday())
    while (week_start := aware_local(monday, time.min, tz)) < end:
        week_end = aware_local(monday + timedelta(days=7), time.min, tz)
        yield monday, max(week_start, start), min(week_end, end)
        monday += timedelta(days=7)


def _week_headroom(
    limit: float,
    *,
    present: tuple[datetime, datetime],
    away: list[tuple[datetime, datetime]],
    held_in: float,
    held_out: float,
) -> float:
    """One carer's spare hours in one week, `present` being the part of it in the window
    while a member; `held_in` the hours they hold in the window, `held_out` the rest."""
    lo, hi = present
    if hi <= lo:
        return 0.0
    available = (hi - lo) - _time_within(away, lo, hi)
    share = available / timedelta(days=7)
    return max(0.0, min(limit * share - held_in, limit - held_in - held_out))


def _time_within(spans: list[tuple[datetime, datetime]], lo: datetime, hi: datetime) -> timedelta:
    """How much of [lo, hi) the spans cover, counting overlapping spans once."""
    covered = timedelta(0)
    reached = lo
    for since, until in sorted(spans):
        since, until = max(since, reached), min(until, hi)
        if until > since:
            covered += until - since
            reached = until
    return covered

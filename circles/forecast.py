"""Early warning (docs/design.md, Early warning): when a circle's cover is likely to cross its
threshold, from what the last weeks show, while there is still time to do something.

A circle is judged on the next 14 days (circles.capacity.judge). The forecast asks the same
of each of the coming 14 days: when that day comes, how will its own next 14 days look? It
starts from the cover each coming day has now, and moves it by what the last weeks show:

- **Given up and picked up.** Over the last 28 days, the places carers gave up before their
  visit (given away, couldn't make it, left, a client's "rather not", taken off) against
  those of them others picked up. The share given up and not picked up again, a day, is
  carried forward: so many fewer places filled each day that passes.
- **Carers near their limits, and away.** Picking up needs carers with time: when fewer
  than half the circle's carers are neither within three hours of their weekly limit over
  the next 7 days nor booked away over the next 14, pick-ups fall in step.
- **Checks running out.** A place held by a carer whose check or training, needed by the
  visit, runs out before the visit (and is not renewed) is given up, as it were, now: it
  counts as open unless the circle picks up what is given up.
- **Essential visits.** An essential visit with nobody on it now makes the circle "not
  coping" from the day it is within the circle's essential-gap hours, unless picked up.
- **Gaps left open** for over 2 weeks on visits in the coming week are said, as a reason.

The forecast is the first coming day whose 14 days would be judged worse than the circle is
now, and the state it would be in; it says which weekday and part of the day hold most of
the places open ("mostly Saturday evenings") and why. A circle already below its threshold
has no forecast: that is the alert's to say.

Everything is read as it was known at `now` (visits made by then, places held then, the
absences booked by then), so the back-test (bench/forecast.py) asks it of past days and gets
what it would have said then. Six queries for any number of circles (`forecasts`), no
query per visit or per carer; `project` is the arithmetic alone, given the figures.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from math import floor

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from circles.capacity import ESSENTIAL, percent_filled
from circles.models import Circle, CircleState, Membership, Role
from people.models import CarerProfile, Credential
from rota.models import (
    Absence,
    Assignment,
    ReleaseReason,
    Shift,
    ShiftStatus,
    VisitPlan,
)
from rota.sql import LocalDate

# The window a circle is judged on, and how many coming days the forecast looks at.
WINDOW = 14
AHEAD = 14
# How far back the trend is read.
TREND_DAYS = 28
# A carer this close to their weekly limit over the next 7 days has no time to pick up.
NEAR_LIMIT_HOURS = 3.0
# Pick-ups go on as they did while at least this share of the carers have time; with
# fewer, they fall in step.
ENOUGH_FREE = 0.5
# A gap open this long on a visit in the coming week is "left open".
LEFT_OPEN = timedelta(days=14)
# A weekday and part of the day are "mostly" where the places open are when they hold at
# least this share of them, and at least two.
MOSTLY_SHARE = 0.4

# Places a carer gave up before the visit: each leaves a place someone must pick up. Time
# off is not among them: booked, its places are open already, and the carer away is counted
# among those without time; a holiday is a lump, not a trend.
GIVEN_UP = (
    ReleaseReason.OFFER_TAKEN,
    ReleaseReason.CANT_MAKE_IT,
    ReleaseReason.LEFT_CIRCLE,
    ReleaseReason.NOT_WANTED,
    ReleaseReason.REMOVED,
)

# Parts of the day by local start hour, as circles.fairness counts evenings and nights.
MORNING, AFTERNOON, EVENING, NIGHT = "morning", "afternoon", "evening", "night"


def part_of_day(hour: int) -> str:
    if 7 <= hour < 12:
        return MORNING
    if 12 <= hour < 18:
        return AFTERNOON
    if 18 <= hour < 22:
        return EVENING
    return NIGHT


@dataclass(frozen=True)
class DayCover:
    """One coming local day as known now: places needed and filled, places held by carers
    whose check runs out before it, its first essential visit with nobody, and the places
    open by (weekday, part of the day)."""

    date: date
    needed: int = 0
    filled: int = 0
    at_risk: int = 0
    essential_gap: datetime | None = None
    open_by_part: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Trend:
    """What the last weeks show, and who has time."""

    given_up: int = 0
    picked_up: int = 0
    carers: int = 0
    near_limit: int = 0
    away: int = 0
    left_open: int = 0

    @property
    def free_share(self) -> float:
        """The share of carers who could pick a place up: not near their limit, not away."""
        if not self.carers:
            return 0.0
        return max(0, self.carers - self.near_limit - self.away) / self.carers

    @property
    def picks_up(self) -> float:
        """The share of places given up that the circle picks up again, as far as its carers
        have time now (nothing given up lately: nothing known, none)."""
        if not self.given_up:
            return 0.0
        return min(1.0, self.picked_up / self.given_up) * min(1.0, self.free_share / ENOUGH_FREE)

    @property
    def loss_per_day(self) -> float:
        """Places lost a day: those given up that the circle does not pick up again."""
        return self.given_up * (1 - self.picks_up) / TREND_DAYS


@dataclass(frozen=True)
class Forecast:
    """When the circle's cover is likely to cross its threshold: `crossing_at` (None: not in
    the coming 14 days), the `state` it would cross into, `below` the threshold it would
    fall below (a percent), the weekday and part of the day holding most of the places open
    (`mostly`, words, or ""), and the `reasons`, in words."""

    crossing_at: date | None = None
    state: str | None = None
    reasons: list[str] = field(default_factory=list)
    below: int = 0
    mostly: str = ""
    today: date | None = None

    @property
    def days(self) -> int:
        if self.crossing_at is None or self.today is None:
            return 0
        return (self.crossing_at - self.today).days

    def said(self) -> str:
        """The forecast in a sentence, or "" when there is none."""
        if self.crossing_at is None:
            return ""
        if self.state == CircleState.NOT_COPING and not self.below:
            text = ngettext(
                "An essential visit is likely to have nobody in about %(days)s day",
                "An essential visit is likely to have nobody in about %(days)s days",
                self.days,
            )
        else:
            text = ngettext(
                "Cover is likely to fall below %(percent)s %% in about %(days)s day",
                "Cover is likely to fall below %(percent)s %% in about %(days)s days",
                self.days,
            )
        said = text % {"percent": self.below, "days": self.days}
        if self.mostly:
            said = gettext("%(forecast)s, %(mostly)s") % {"forecast": said, "mostly": self.mostly}
        return said + "."


NONE = Forecast()


def forecast(circle: Circle, now: datetime | None = None) -> Forecast:
    """The circle's forecast, as it would be said at `now` (by default, now)."""
    return forecasts([circle], now)[circle.pk]


def forecasts(circles: Iterable[Circle], now: datetime | None = None) -> dict[int, Forecast]:
    """Each circle's forecast, by id, in six queries however many circles and visits."""
    now = now or timezone.now()
    circles = list(circles)
    if not circles:
        return {}
    ids = [circle.pk for circle in circles]
    days, left_open = _days(ids, now)
    trends = _trends(circles, now)
    result = {}
    for circle in circles:
        coming = _coming(circle, days, now)
        trend = replace(trends.get(circle.pk, Trend()), left_open=left_open.get(circle.pk, 0))
        result[circle.pk] = project(circle, coming, trend, now=now, present=circle.state)
    return result


def _coming(
    circle: Circle, days: Mapping[tuple[int, date], DayCover], now: datetime
) -> list[DayCover]:
    """The circle's coming local days from today, as many as the forecast looks at and each
    judges, with those `_days` found nothing on as empty ones."""
    today = timezone.localtime(now, circle.tz).date()
    ahead = [today + timedelta(days=n) for n in range(WINDOW + AHEAD)]
    return [days.get((circle.pk, day), DayCover(day)) for day in ahead]


# A forecast crossing this many days sooner than the one warned of is a new one.
SAME_CROSSING = timedelta(days=2)


def new_crossing(
    warned_at: date | None,
    warned_state: str,
    crossing_at: date | None,
    state: str | None,
    today: date,
) -> bool:
    """Whether a forecast crossing is new against the one the leaders were last warned of:
    there was none, or its day has come and gone (a forecast that went away and came back
    later), or this one is into a worse state, or more than two days sooner. A crossing a
    day or two either way, or later than warned, is the same one: nothing new to say."""
    if crossing_at is None or state is None:
        return False
    if warned_at is None or not warned_state or warned_at < today:
        return True
    if CircleState(state).severity > CircleState(warned_state).severity:
        return True
    return crossing_at < warned_at - SAME_CROSSING


def judged_then(circles: Iterable[Circle], now: datetime) -> dict[int, CircleState]:
    """Each circle's state as it would have been judged at `now` from what was known then
    (the back-test's real crossings): two queries."""
    circles = list(circles)
    days, _left_open = _days([circle.pk for circle in circles], now)
    result = {}
    for circle in circles:
        coming = _coming(circle, days, now)
        result[circle.pk] = _state(circle, coming, 0, Trend(), now, risk=False)
    return result


def project(
    circle: Circle, days: Sequence[DayCover], trend: Trend, *, now: datetime, present: str
) -> Forecast:
    """The arithmetic of the forecast: `days` are the coming local days from today (at least
    WINDOW + AHEAD of them), `present` the state the circle is in. Reads nothing."""
    today = days[0].date
    # As the circle is judged today (circles.capacity.judge): the kept figures, nothing more.
    judged_now = _state(circle, days, 0, Trend(), now, risk=False)
    worst_now = max(CircleState(present), judged_now, key=lambda s: s.severity)
    if worst_now == CircleState.NOT_COPING:
        return Forecast(today=today)  # already below: the circle's alert says so
    for ahead in range(1, AHEAD + 1):
        at = now + timedelta(days=ahead)
        state = _state(circle, days, ahead, trend, at)
        if state.severity > worst_now.severity:
            percent_crossed = _crossed(circle, state, days, ahead, trend)
            return Forecast(
                crossing_at=today + timedelta(days=ahead),
                state=state,
                reasons=_reasons(circle, days, ahead, trend, at),
                below=percent_crossed,
                mostly=_mostly(days[ahead : ahead + WINDOW]),
                today=today,
            )
    return Forecast(today=today)


def _window(
    days: Sequence[DayCover], ahead: int, trend: Trend, *, risk: bool = True
) -> tuple[int, float]:
    """Places needed and expected filled over the 14 days from `ahead` days on (`risk`: the
    places held by carers whose check runs out first counted as open)."""
    window = days[ahead : ahead + WINDOW]
    needed = sum(day.needed for day in window)
    # Places held by carers whose check runs out are given up, as it were, in one go.
    at_risk = sum(day.at_risk for day in window) * (1 - trend.picks_up) if risk else 0
    filled = sum(day.filled for day in window) - at_risk - trend.loss_per_day * ahead
    return needed, min(float(needed), max(0.0, filled))


def _state(
    circle: Circle,
    days: Sequence[DayCover],
    ahead: int,
    trend: Trend,
    at: datetime,
    *,
    risk: bool = True,
) -> CircleState:
    if _essential_gap(circle, days, ahead, at):
        return CircleState.NOT_COPING
    needed, filled = _window(days, ahead, trend, risk=risk)
    percent = 100.0 * filled / needed if needed else 100.0
    if percent < circle.not_coping_below_percent:
        return CircleState.NOT_COPING
    if percent < circle.strained_below_percent:
        return CircleState.STRAINED
    return CircleState.OK


def _essential_gap(circle: Circle, days: Sequence[DayCover], ahead: int, at: datetime) -> bool:
    """An essential visit with nobody now that comes within the essential-gap hours during
    the day from `at`, and not before it: unless picked up, it makes the circle not coping
    that day."""
    soon = at + timedelta(days=1 if ahead else 0, hours=circle.essential_gap_hours)
    return any(
        day.essential_gap is not None and at <= day.essential_gap < soon
        for day in days[ahead : ahead + WINDOW]
    )


def _crossed(
    circle: Circle, state: CircleState, days: Sequence[DayCover], ahead: int, trend: Trend
) -> int:
    """The threshold the cover falls below (0: it is an essential visit, not the cover)."""
    needed, filled = _window(days, ahead, trend)
    percent = percent_filled(needed, floor(filled))
    if percent < circle.not_coping_below_percent:
        return circle.not_coping_below_percent
    if percent < circle.strained_below_percent and state == CircleState.STRAINED:
        return circle.strained_below_percent
    return 0


def _mostly(window: Sequence[DayCover]) -> str:
    """The weekday and part of the day holding most of the window's places open."""
    open_by: Counter[tuple[int, str]] = Counter()
    for day in window:
        for part, places in day.open_by_part.items():
            open_by[day.date.isoweekday(), part] += places
    total = sum(open_by.values())
    if not total:
        return ""
    (weekday, part), most = open_by.most_common(1)[0]
    if most < 2 or most < MOSTLY_SHARE * total:
        return ""
    # A date of that weekday, for its name in the page's language.
    name = date_format(date(2024, 1, weekday), "l")
    return {
        MORNING: gettext("mostly %(day)s mornings"),
        AFTERNOON: gettext("mostly %(day)s afternoons"),
        EVENING: gettext("mostly %(day)s evenings"),
        NIGHT: gettext("mostly %(day)s nights"),
    }[part] % {"day": name}


def _reasons(
    circle: Circle, days: Sequence[DayCover], ahead: int, trend: Trend, at: datetime
) -> list[str]:
    reasons = []
    if trend.given_up > trend.picked_up:
        reasons.append(
            gettext("In the last 4 weeks, places given up: %(given)s; picked up: %(picked)s.")
            % {"given": trend.given_up, "picked": trend.picked_up}
        )
    at_risk = sum(day.at_risk for day in days)
    if at_risk:
        reasons.append(
            gettext("Visits held by carers whose checks run out before them: %(count)s.")
            % {"count": at_risk}
        )
    if trend.near_limit:
        reasons.append(
            gettext("Carers near their weekly hours: %(count)s of %(carers)s.")
            % {"count": trend.near_limit, "carers": trend.carers}
        )
    if trend.away:
        reasons.append(
            gettext("Carers away in the next 2 weeks: %(count)s of %(carers)s.")
            % {"count": trend.away, "carers": trend.carers}
        )
    if trend.left_open:
        reasons.append(
            gettext("Places open for over 2 weeks on visits this week: %(count)s.")
            % {"count": trend.left_open}
        )
    if _essential_gap(circle, days, ahead, at):
        reasons.append(gettext("An essential visit has nobody yet."))
    if not reasons:
        needed = sum(day.needed for day in days[ahead : ahead + WINDOW])
        filled = sum(day.filled for day in days[ahead : ahead + WINDOW])
        reasons.append(
            gettext("Places filled so far in the weeks ahead: %(filled)s of %(needed)s.")
            % {"filled": filled, "needed": needed}
        )
    return reasons


# --- reading what was known at `now` -----------------------------------------------------------


class LocalHour(Func):
    """The local hour of a moment, in a time zone named by a column."""

    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(HOUR FROM (%(expressions)s))::integer",
            arg_joiner=" AT TIME ZONE ",
        )

    def as_sqlite(self, compiler, connection, **extra):
        # As rota.sql.LocalDate on SQLite: the demo's hours in UTC (the zone is not read).
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime('%%H', {sql}) AS INTEGER)", params


def held_at(now: datetime) -> Q:
    """A place held at `now`: taken by then and not yet given up."""
    return Q(created_at__lte=now) & (Q(released_at__isnull=True) | Q(released_at__gt=now))


def _days(
    circle_ids: list[int], now: datetime
) -> tuple[dict[tuple[int, date], DayCover], dict[int, int]]:
    """Each circle's coming days as known at `now`, and its places left open on visits this
    week: two queries (the places, and those held by carers whose check runs out first)."""
    end = now + timedelta(days=WINDOW + AHEAD + 1)
    held = (
        Assignment.objects.filter(held_at(now), shift=OuterRef("pk"))
        .values("shift")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Shift.objects.filter(
            circle_id__in=circle_ids,
            status=ShiftStatus.PLANNED,
            created_at__lte=now,
            start__gte=now,
            start__lt=end,
        )
        .annotate(
            filled_here=Least(
                Coalesce(Subquery(held, output_field=IntegerField()), 0),
                "carers_needed",
                output_field=IntegerField(),
            )
        )
        .annotate(
            day=LocalDate("start", "circle__timezone"),
            hour=LocalHour("start", "circle__timezone"),
        )
        .values("circle_id", "day", "hour")
        .annotate(
            needed=Sum("carers_needed"),
            filled=Sum("filled_here"),
            essential_gap=Min("start", filter=Q(filled_here__lt=F("carers_needed")) & ESSENTIAL),
            left_open=Sum(
                F("carers_needed") - F("filled_here"),
                filter=Q(created_at__lt=now - LEFT_OPEN, start__lt=now + timedelta(days=7)),
            ),
        )
        .order_by()
    )
    at_risk = _at_risk(circle_ids, now, end)
    found: dict[tuple[int, date], dict] = defaultdict(
        lambda: {"needed": 0, "filled": 0, "gap": None, "open": Counter(), "left_open": 0}
    )
    for row in rows:
        day = found[row["circle_id"], row["day"]]
        day["needed"] += row["needed"]
        day["filled"] += row["filled"]
        day["left_open"] += row["left_open"] or 0
        if row["needed"] > row["filled"]:
            day["open"][part_of_day(row["hour"])] += row["needed"] - row["filled"]
        if row["essential_gap"] is not None:
            day["gap"] = min(filter(None, (day["gap"], row["essential_gap"])))
    left_open: Counter[int] = Counter()
    for (circle_id, _day), day in found.items():
        left_open[circle_id] += day["left_open"]
    days = {
        key: DayCover(
            date=key[1],
            needed=day["needed"],
            filled=day["filled"],
            at_risk=min(at_risk.get(key, 0), day["filled"]),
            essential_gap=day["gap"],
            open_by_part=dict(day["open"]),
        )
        for key, day in found.items()
    }
    return days, dict(left_open)


def _at_risk(circle_ids: list[int], now: datetime, end: datetime) -> dict[tuple[int, date], int]:
    """Places held at `now` on coming visits by carers whose check or training, needed by
    the visit, still counts today but runs out before the visit's day: one query."""
    today = timezone.localdate(now)
    best = (
        Credential.objects.filter(
            person_id=OuterRef(OuterRef("carer_id")), type_id=OuterRef("credentialtype_id")
        )
        .order_by("-valid_until")
        .values("valid_until")[:1]
    )
    lapsing = (
        VisitPlan.credentials_needed.through.objects.filter(visitplan_id=OuterRef("shift__plan_id"))
        .annotate(best=Subquery(best))
        .filter(Q(best__gte=today, best__lt=OuterRef("day")))
    )
    # Only carers with a check running out before the end are looked into, visit by visit.
    running_out = Credential.objects.filter(
        valid_until__gte=today, valid_until__lt=end.date()
    ).values("person_id")
    rows = (
        Assignment.objects.filter(
            held_at(now),
            carer_id__in=running_out,
            shift__circle_id__in=circle_ids,
            shift__status=ShiftStatus.PLANNED,
            start__gte=now,
            start__lt=end,
        )
        .annotate(day=LocalDate("start", "shift__circle__timezone"))
        .filter(Exists(lapsing))
        .values("shift__circle_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["shift__circle_id"], row["day"]): row["n"] for row in rows}


def _trends(circles: list[Circle], now: datetime) -> dict[int, Trend]:
    """Each circle's last 28 days and its carers' time: three queries (given up and picked
    up; the carers with their limits and hours over the next 7 days; their absences)."""
    ids = [circle.pk for circle in circles]
    since = now - timedelta(days=TREND_DAYS)
    someone_came_off = (
        Assignment.objects.filter(
            shift=OuterRef("shift_id"), released_at__lte=OuterRef("created_at")
        )
        .exclude(carer=OuterRef("carer_id"))
        .filter(release_reason__in=GIVEN_UP)
    )
    flows = (
        # Given up or taken before the visit, in the last 28 days: the visit starts after.
        Assignment.objects.filter(shift__circle_id__in=ids, start__gt=since)
        .filter(
            Q(released_at__gte=since, released_at__lte=now)
            | Q(created_at__gte=since, created_at__lte=now)
        )
        .values("shift__circle_id")
        .annotate(
            given=Count(
                "pk",
                filter=Q(
                    released_at__gte=since,
                    released_at__lte=now,
                    released_at__lt=F("start"),
                    release_reason__in=GIVEN_UP,
                ),
            ),
            picked=Count(
                "pk",
                # The cheap tests first, so that only places taken lately are looked into.
                filter=Q(created_at__gte=since, created_at__lte=now, created_at__lt=F("start"))
                & Q(Exists(someone_came_off)),
            ),
        )
        .order_by()
    )
    trend: dict[int, dict[str, int]] = defaultdict(Counter)
    for row in flows:
        trend[row["shift__circle_id"]].update(given=row["given"], picked=row["picked"])
    today = timezone.localdate(now)
    members = list(
        Membership.objects.current(today)
        .filter(circle_id__in=ids, role=Role.CARER, person__is_active=True)
        .values_list(
            "circle_id",
            "person_id",
            "person__carer_profile__kind",
            "person__carer_profile__weekly_limit_hours",
        )
    )
    carer_ids = {person for _, person, _, _ in members}
    week = (
        Assignment.objects.filter(
            held_at(now), carer_id__in=carer_ids, start__gte=now, start__lt=now + timedelta(days=7)
        )
        .values("carer_id")
        .annotate(held=Sum(F("end") - F("start")))
        .order_by()
    )
    hours = {row["carer_id"]: _hours(row["held"]) for row in week}
    away = set(
        Absence.objects.filter(
            carer_id__in=carer_ids,
            created_at__lte=now,
            end__gt=now,
            start__lt=now + timedelta(days=WINDOW),
        ).values_list("carer_id", flat=True)
    )
    for circle_id, person_id, kind, limit_hours in members:
        counts = trend[circle_id]
        counts["carers"] += 1
        if person_id in away:
            counts["away"] += 1
            continue
        # A member without a carer profile: nothing is known about their hours.
        limit = (
            CarerProfile(kind=kind, weekly_limit_hours=limit_hours).weekly_limit if kind else None
        )
        if limit is not None and hours.get(person_id, 0.0) > limit - NEAR_LIMIT_HOURS:
            counts["near"] += 1
    return {
        pk: Trend(
            given_up=counts["given"],
            picked_up=counts["picked"],
            carers=counts["carers"],
            near_limit=counts["near"],
            away=counts["away"],
        )
        for pk, counts in trend.items()
    }


def _hours(held: object) -> float:
    return held.total_seconds() / 3600 if isinstance(held, timedelta) else 0.0

"""Fair shares (docs/design.md, Capacity and continuity): what each carer of a circle gives it
over a window, so the circle can see that evenings, nights and weekends are shared and that
nobody quietly carries them all. Paid and unpaid carers are counted alike, and nothing here
ranks anyone: it is for the circle to read, carer by carer.

What counts, for a visit of the circle's that starts in the window:

- A visit **counts** for a carer when they did it (it is over, they held their place until it
  ended and it was not marked missed: circles.payroll.visits_done, as continuity counts one) or
  still hold their place on it (it is not over yet). Only planned visits count, never one that
  was cancelled or not needed.
- **Hours** are the time worked as payroll reckons it: from arrival to leaving where the carer
  gave both, from the planned start to the planned end otherwise.
- An **evening** is a visit starting from 18:00 to before 22:00, a **night** one starting from
  22:00 to before 07:00, a **weekend** one starting on a Saturday or a Sunday, all in the
  circle's own time zone. A Saturday evening is an evening and a weekend.
- **Given away**: a place of theirs they offered to the circle that someone took.
- **Picked up**: a place that counts for them on a visit another carer had been taken off
  before they took it (an offer they took, or a gap left by someone's time off, leaving, a
  visit they could not make, a client's "rather not"). A place that came by a swap is neither
  given nor picked up: a swap is an exchange.
- **Help answered**: calls for help (their ad-hoc visits) they went to, or are going to.

Three queries whatever the number of carers and visits: the carers, one GROUP BY of the places
that count, one of the places given away.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from circles.models import Circle, Membership, Role
from circles.payroll import WORKED, done
from people.models import CarerProfile, Person
from rota.models import (
    Assignment,
    ReleaseReason,
    RunningLow,
    Shift,
    ShiftStatus,
    Swap,
    SwapStatus,
)
from rota.rules import enough

# One definition of evenings, nights and weekends, which a carer's own "enough" limits too.
from rota.times_of_day import EVENING_FROM, NIGHT_FROM, NIGHT_UNTIL, WEEKEND


@dataclass(frozen=True)
class Share:
    """What one carer gave the circle over a window (the module's docstring says what each
    figure counts). Two windows' shares of one carer add up: `past + ahead`."""

    carer_id: int
    visits: int = 0
    hours: float = 0.0
    evenings: int = 0
    nights: int = 0
    weekends: int = 0
    given: int = 0
    taken: int = 0
    help_answered: int = 0

    def __add__(self, other: "Share") -> "Share":
        if other.carer_id != self.carer_id:
            raise ValueError("Shares of two carers do not add up.")
        return Share(
            carer_id=self.carer_id,
            visits=self.visits + other.visits,
            hours=self.hours + other.hours,
            evenings=self.evenings + other.evenings,
            nights=self.nights + other.nights,
            weekends=self.weekends + other.weekends,
            given=self.given + other.given,
            taken=self.taken + other.taken,
            help_answered=self.help_answered + other.help_answered,
        )


def shares(circle: Circle, start: datetime, end: datetime) -> dict[int, Share]:
    """Each carer's share of the circle's visits starting in [start, end), by carer id: every
    carer who was a member of the circle on some day of the window, with nothing to show or
    not."""
    now = timezone.now()
    carer_ids = _carers(circle, start, end)
    if not carer_ids:
        return {}
    tz = circle.tz
    in_window = Q(
        shift__circle=circle,
        shift__status=ShiftStatus.PLANNED,
        start__gte=start,
        start__lt=end,
        carer_id__in=carer_ids,
    )
    # Done, or still held on a visit that is not over.
    counts = done(now) | Q(end__gt=now, released_at__isnull=True)
    rows = (
        Assignment.objects.filter(in_window, counts)
        .annotate(
            hour=ExtractHour("start", tzinfo=tz),
            weekday=ExtractIsoWeekDay("start", tzinfo=tz),
            someone_came_off=Exists(_someone_came_off()),
            swapped_in=Exists(_swapped_in()),
        )
        .values("carer_id")
        .annotate(
            visits=Count("pk"),
            worked=Sum(WORKED),
            evenings=Count("pk", filter=Q(hour__gte=EVENING_FROM, hour__lt=NIGHT_FROM)),
            nights=Count("pk", filter=Q(hour__gte=NIGHT_FROM) | Q(hour__lt=NIGHT_UNTIL)),
            weekends=Count("pk", filter=Q(weekday__in=WEEKEND)),
            taken=Count("pk", filter=Q(someone_came_off=True, swapped_in=False)),
            help_answered=Count("pk", filter=Q(shift__help_request__isnull=False)),
        )
        .order_by()
    )
    given = dict(
        Assignment.objects.filter(in_window, release_reason=ReleaseReason.OFFER_TAKEN)
        .values("carer_id")
        .annotate(given=Count("pk"))
        .values_list("carer_id", "given")
        .order_by()
    )
    figures = {row["carer_id"]: row for row in rows}
    result = {}
    for carer_id in carer_ids:
        row = figures.get(carer_id)
        if row is None:
            result[carer_id] = Share(carer_id=carer_id, given=given.get(carer_id, 0))
            continue
        result[carer_id] = Share(
            carer_id=carer_id,
            visits=row["visits"],
            hours=(row["worked"] or timedelta(0)).total_seconds() / 3600,
            evenings=row["evenings"],
            nights=row["nights"],
            weekends=row["weekends"],
            given=given.get(carer_id, 0),
            taken=row["taken"],
            help_answered=row["help_answered"],
        )
    return result


def _carers(circle: Circle, start: datetime, end: datetime) -> list[int]:
    """Ids of the circle's carers on some local day of the window."""
    first_day = timezone.localdate(start, circle.tz)
    last_day = timezone.localdate(end - timedelta(microseconds=1), circle.tz)
    members = Membership.objects.during(first_day, last_day).filter(circle=circle, role=Role.CARER)
    return sorted(set(members.values_list("person_id", flat=True)))


def _someone_came_off() -> QuerySet[Assignment]:
    """Another carer taken off the place's visit before the place was taken, for any reason
    but a swap: the place was picked up from them."""
    return (
        Assignment.objects.filter(
            shift=OuterRef("shift_id"), released_at__lte=OuterRef("created_at")
        )
        .exclude(carer=OuterRef("carer_id"))
        .exclude(release_reason=ReleaseReason.SWAPPED)
    )


def _swapped_in() -> QuerySet[Swap]:
    """The swap the place came by, if it did: each carer gave one visit and took the other's,
    so neither picked anything up."""
    return Swap.objects.filter(status=SwapStatus.ACCEPTED).filter(
        Q(offered__carer=OuterRef("carer_id"), wanted__shift=OuterRef("shift_id"))
        | Q(wanted__carer=OuterRef("carer_id"), offered__shift=OuterRef("shift_id"))
    )


# A place picked up this close to its visit's start is cover at short notice.
SHORT_NOTICE = timedelta(hours=24)


def covered_at_short_notice(circle: Circle, since: datetime, now: datetime) -> QuerySet[Assignment]:
    """The places of the circle's visits begun from `since` to `now` that a carer picked up
    less than a day before the visit (as fair shares count a place picked up), or took by
    answering a call for help, and did not give back or miss: the cover a team leader may
    want to thank someone for. Earliest visit first, with the carer, visit and client."""
    picked_up = Q(someone_came_off=True, swapped_in=False, created_at__gt=F("start") - SHORT_NOTICE)
    return (
        Assignment.objects.filter(
            shift__circle=circle,
            shift__status=ShiftStatus.PLANNED,
            start__gte=since,
            start__lte=now,
            missed=False,
        )
        .filter(Q(released_at__isnull=True) | Q(released_at__gte=F("end")))
        .annotate(someone_came_off=Exists(_someone_came_off()), swapped_in=Exists(_swapped_in()))
        .filter(picked_up | Q(shift__help_request__isnull=False))
        .select_related("carer", "shift__client", "shift__circle")
        .order_by("start", "pk")
    )


# --- who is asked first ------------------------------------------------------------------------

# Below their share: fewer hours than the circle's median over this many days before now.
SHARE_DAYS = 28
# Rested: none of their visits ends within this long before the visit asked about.
RESTED = timedelta(hours=10)


def waves(
    circle: Circle,
    asked: Mapping[Person, Iterable[Shift]],
    *,
    now: datetime | None = None,
) -> list[list[Person]]:
    """The carers of `circle` to ask, each about the visits of theirs in `asked` (those they
    could take), in waves: the first wave is asked at once, each next one a few minutes
    later (circles.alerts and circles.fanout say how many), so those who have given least
    lately and are rested hear first, and nobody running low is leaned on first.

    1. **First**: below their share (their hours over the last four weeks, as `shares`
       counts them, under the median of the circle's carers) and, for every visit asked
       about, rested (none of their places ends within RESTED before it starts) and not
       brought up to their own "enough" by it (rota.rules.enough).
    2. **Then** everyone else,
    3. **last** those who said they are running low on the day of any of those visits
       (rota.models.RunningLow).

    Empty waves are left out, so whoever is first to be asked is asked at once. Each wave in
    carer id order. A fixed number of queries: the shares (three), the carers' places
    around the visits, their profiles, and their running-low days.
    """
    asked = {carer: list(shifts) for carer, shifts in asked.items() if shifts}
    if not asked:
        return []
    now = now or timezone.now()
    ids = [carer.pk for carer in asked]
    hours = {
        pk: share.hours for pk, share in shares(circle, now - timedelta(SHARE_DAYS), now).items()
    }
    median = statistics.median(hours.values()) if hours else 0.0
    tz = circle.tz
    every = [shift for shifts in asked.values() for shift in shifts]
    lo = min(_monday(shift, tz) for shift in every)
    lo = min(lo, min(shift.start for shift in every) - RESTED)
    hi = max(_monday(shift, tz) + timedelta(days=8) for shift in every)
    held: dict[int, list[Assignment]] = defaultdict(list)
    for place in Assignment.objects.filter(
        carer_id__in=ids, released_at__isnull=True, start__lt=hi, end__gt=lo
    ).order_by():
        held[place.carer_id].append(place)
    profiles = {p.person_id: p for p in CarerProfile.objects.filter(person_id__in=ids)}
    days = {timezone.localdate(shift.start, tz) for shift in every}
    low: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for carer_id, first, last in RunningLow.objects.filter(
        carer_id__in=ids, first_day__lte=max(days), last_day__gte=min(days)
    ).values_list("carer_id", "first_day", "last_day"):
        low[carer_id].append((first, last))

    first_wave, then, last_wave = [], [], []
    for carer in sorted(asked, key=lambda person: person.pk):
        shifts = asked[carer]
        mine = held[carer.pk]
        if any(
            first <= timezone.localdate(shift.start, tz) <= last
            for shift in shifts
            for first, last in low[carer.pk]
        ):
            last_wave.append(carer)
        elif hours.get(carer.pk, 0.0) < median and all(
            _rested(shift, mine) and not _near_enough(shift, mine, profiles.get(carer.pk))
            for shift in shifts
        ):
            first_wave.append(carer)
        else:
            then.append(carer)
    return [wave for wave in (first_wave, then, last_wave) if wave]


def _monday(shift: Shift, tz) -> datetime:
    """Local midnight starting the week (Monday to Sunday) the shift starts in."""
    day = timezone.localdate(shift.start, tz)
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday, datetime.min.time(), tzinfo=tz)


def _rested(shift: Shift, held: list[Assignment]) -> bool:
    return not any(
        place.shift_id != shift.pk and shift.start - RESTED < place.end <= shift.start
        for place in held
    )


def _near_enough(shift: Shift, held: list[Assignment], profile: CarerProfile | None) -> bool:
    """Taking the shift would bring the carer to (or past) one of their own limits."""
    return any(limit.with_it >= limit.limit for limit in enough(shift, held, profile))

"""Reads for the team leaders' pages: every circle at a glance, a circle's visits that need
cover with who could take them, and a client's continuity.

The dashboard reads a fixed number of queries however many circles it shows
(tests/web/test_leader_dashboard_queries.py pins it); so does a circle's page however many
carers and visits needing cover it has (tests/web/test_leader_circle_page_queries.py). The
circle page asks rota.rules.check_each of all its carers for all its visits that need cover
at once: the rules' own answer, not a copy of it.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from math import floor

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from circles.alerts import HORIZON
from circles.capacity import (
    ESSENTIAL,
    FILLED,
    GAP,
    Capacity,
    Figures,
    capacities,
    live_shifts,
)
from circles.continuity import Continuity, Period, continuity
from circles.forecast import NONE as NO_FORECAST
from circles.forecast import Forecast, forecasts
from circles.models import Circle, CircleState, Notification, StateChange
from people.models import CarerPreference, Client, Person, Preference
from rota.bank_holidays import bank_holiday
from rota.familiarity import familiar_pairs
from rota.models import (
    Assignment,
    HelpRequest,
    HelpStatus,
    LateStep,
    LateVisitStep,
    Offer,
    OfferStatus,
    Shift,
)
from rota.rules import Rule, check_each
from rota.services.help import OPEN
from rota.sql import LocalDate

DAYS = HORIZON.days
# The rules a held place can come to break after it was taken: the holder should hand on.
LASTING = (Rule.MEMBERSHIP, Rule.NOT_WANTED, Rule.CREDENTIAL)
# Carers who could take a visit shown at once; the rest one click away.
SHOWN = 3


# --- the dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DayName:
    """How a day of the strips is written, in the language of the page: the same in every
    circle's row, so made once a date rather than once a row."""

    letter: str  # the weekday's first letter, under the bar
    spoken: str  # "Mon 7 Dec", for screen readers
    holiday: str  # the bank holiday's name, or ""

    @classmethod
    def of(cls, day: date) -> "DayName":
        return cls(
            letter=date_format(day, "D")[:1],
            spoken=date_format(day, "D j M"),
            holiday=bank_holiday(day) or "",
        )


@dataclass(frozen=True)
class Day:
    """One local day of a circle's strip: carer places needed and filled."""

    date: date
    needed: int
    filled: int
    level: str  # "none" (no visits), or the state this day alone would be: ok, strained...
    name: DayName

    @property
    def open(self) -> int:
        return self.needed - self.filled

    @property
    def percent(self) -> int:
        return floor(100 * self.filled / self.needed) if self.needed else 100

    @property
    def unfilled_percent(self) -> int:
        return 100 - self.percent

    @property
    def said(self) -> str:
        """The day's cover in words, for screen readers. Written here, not in the template:
        a strip of 25 circles has 350 days, and the template's translating and number
        formatting of each was a third of the dashboard's time."""
        if not self.needed:
            return gettext("no visits")
        figures = {"filled": self.filled, "needed": self.needed, "open": self.open}
        if self.open:
            return (
                ngettext(
                    "%(filled)s of %(needed)s places filled, %(open)s open",
                    "%(filled)s of %(needed)s places filled, %(open)s open",
                    self.open,
                )
                % figures
            )
        return (
            ngettext("%(needed)s place, filled", "all %(needed)s places filled", self.needed)
            % figures
        )


@dataclass(frozen=True)
class CircleRow:
    circle: Circle
    capacity: Capacity
    days: list[Day]
    # Essential visits with a place nobody holds, soonest first.
    essential: list[Shift]
    # The circle's clients together: visits by familiar carers, last 28 days against before.
    continuity: Continuity
    # The state the circle's last alert said it became, and when (None: never alerted).
    last_alert: str | None
    last_alert_at: datetime | None
    # Calls for help of its clients that no carer has said yes to yet, oldest first: shown
    # on the row whatever its cover figures say.
    waiting: list[HelpRequest] = field(default_factory=list)
    # Visits nobody came to in the last MISSED_DAYS days.
    missed: int = 0
    # When its cover is likely to cross its threshold, if it is (circles.forecast).
    forecast: Forecast = NO_FORECAST

    @property
    def percent(self) -> int:
        # Rounded down, so 99.6 % never reads as "100 %" while a place is open.
        return floor(self.capacity.percent_filled)

    @property
    def state(self) -> CircleState:
        return CircleState(self.capacity.state)


# A screenful of circles: past it the dashboard is paged, worst first, and costs the same for
# 500 circles as for 25.
PAGE_SIZE = 25


def page_of_circles(
    circles: QuerySet[Circle], now: datetime, number: str | None
) -> tuple[Page[int], list[HelpRequest]]:
    """The ids of one page of the circles, in the dashboard's order: a client waiting for
    help first, then by the state each circle was last judged in (stored by the check after
    every change and by the sweep), then by name; and the calls for help waiting in any of
    them. Two queries, whatever the number of circles; a page number that is no page gives
    the nearest page there is."""
    found = list(circles.values_list("pk", "name", "state"))
    calls = waiting_for_help([pk for pk, _, _ in found], now)
    waiting = {call.client.circle_id for call in calls}
    found.sort(key=lambda c: (c[0] not in waiting, -CircleState(c[2]).severity, c[1], c[0]))
    return Paginator([pk for pk, _, _ in found], PAGE_SIZE).get_page(number), calls


def circles_at_a_glance(
    circles: QuerySet[Circle],
    now: datetime,
    *,
    clients: Sequence[Client] | None = None,
    by_client: Mapping[int, Continuity] | None = None,
    missed: Sequence["MissedVisit"] | None = None,
) -> list[CircleRow]:
    """Each circle's next 14 days, continuity, calls for help waiting, visits missed lately
    and forecast, in no particular order (the dashboard orders its page, page_of_circles):
    six queries plus those of capacities(), continuity() and forecasts().

    A page that has read the circles' clients with their continuity (`clients`,
    `by_client`), or their visits missed lately (`missed`), passes them instead of their
    being read again."""
    last = StateChange.objects.filter(circle=OuterRef("pk")).order_by("-at", "-pk")
    found = list(
        circles.annotate(
            last_from=Subquery(last.values("from_state")[:1]),
            last_to=Subquery(last.values("to_state")[:1]),
            last_at=Subquery(last.values("at")[:1]),
        ).select_related("organisation")
    )
    end = now + HORIZON
    by_day = _coverage_by_day([c.pk for c in found], now, end)
    judged = capacities(found, now, end, judged_on=_whole_window(by_day))
    if clients is not None and by_client is not None:
        kept = _add_up(found, {c.pk: c.circle_id for c in clients}, by_client)
    else:
        kept = _continuity_by_circle(found, now)
    waiting: dict[int, list[HelpRequest]] = {}
    for request in waiting_for_help([c.pk for c in found], now):
        waiting.setdefault(request.client.circle_id, []).append(request)
    if missed is not None:
        missed_by_circle = dict(Counter(visit.shift.circle_id for visit in missed))
    else:
        missed_by_circle = _missed_by_circle([c.pk for c in found], now)
    forecast = forecasts(found, now)
    rows = []
    names: dict[date, DayName] = {}
    for circle in found:
        capacity = judged[circle.pk]
        today = timezone.localtime(now, circle.tz).date()
        days = []
        for offset in range(DAYS):
            day = today + timedelta(days=offset)
            these = by_day.get((circle.pk, day), Figures())
            if day not in names:
                names[day] = DayName.of(day)
            days.append(
                Day(
                    day,
                    these.needed,
                    these.filled,
                    _level(circle, these.needed, these.filled),
                    names[day],
                )
            )
        rows.append(
            CircleRow(
                circle=circle,
                capacity=capacity,
                days=days,
                essential=sorted(
                    (s for s in capacity.uncovered if s.essential), key=lambda s: s.start
                ),
                continuity=kept[circle.pk],
                last_alert=circle.last_to,
                last_alert_at=circle.last_at,
                waiting=waiting.get(circle.pk, []),
                missed=missed_by_circle.get(circle.pk, 0),
                forecast=forecast[circle.pk],
            )
        )
    return rows


# --- calls for help -----------------------------------------------------------------------------


def waiting_for_help(circle_ids: Sequence[int], now: datetime) -> list[HelpRequest]:
    """Calls for help of these circles' clients no carer has said yes to, their visit not
    over, oldest first: one query."""
    return list(
        HelpRequest.objects.filter(
            client__circle_id__in=circle_ids, status__in=OPEN, shift__end__gt=now
        )
        .select_related("client__circle", "raised_by", "acknowledged_by", "shift")
        .order_by("raised_at", "pk")
    )


def escalated_calls(waiting: Iterable[HelpRequest]) -> list[HelpRequest]:
    """The calls waiting that went to the team leaders, oldest first: what the leaders'
    pages pin at the top."""
    escalated = (HelpStatus.ESCALATED, HelpStatus.ACKNOWLEDGED)
    return sorted(
        (call for call in waiting if call.status in escalated), key=lambda r: (r.raised_at, r.pk)
    )


def _continuity_by_circle(circles: Sequence[Circle], now: datetime) -> dict[int, Continuity]:
    """Each circle's clients' continuity added up, in one query plus continuity's."""
    circle_of = dict(Client.objects.filter(circle__in=circles).values_list("pk", "circle_id"))
    return _add_up(circles, circle_of, continuity(circle_of, now=now))


def _add_up(
    circles: Sequence[Circle], circle_of: Mapping[int, int], by_client: Mapping[int, Continuity]
) -> dict[int, Continuity]:
    """Each circle's clients' continuity added up (`circle_of`: each client's circle)."""
    totals = {c.pk: [0, 0, 0, 0] for c in circles}  # recent, familiar; before, familiar
    for client_id, figures in by_client.items():
        total = totals[circle_of[client_id]]
        total[0] += figures.recent.visits
        total[1] += figures.recent.familiar_visits
        total[2] += figures.before.visits
        total[3] += figures.before.familiar_visits
    return {
        pk: Continuity(
            client_id=0,
            recent=Period(visits=t[0], familiar_visits=t[1]),
            before=Period(visits=t[2], familiar_visits=t[3]),
        )
        for pk, t in totals.items()
    }


def _coverage_by_day(
    circle_ids: list[int], start: datetime, end: datetime
) -> dict[tuple[int, date], Figures]:
    """Each circle's figures per local day, in one query: the same count as capacity's
    (circles.capacity.figures), grouped by day."""
    rows = (
        live_shifts(circle_ids, start, end)
        .values("circle_id", day=LocalDate("start", "circle__timezone"))
        .annotate(
            needed=Sum("carers_needed"),
            filled=Sum(FILLED),
            essential_gap=Min("start", filter=GAP & ESSENTIAL),
        )
        .order_by()
    )
    return {
        (row["circle_id"], row["day"]): Figures(row["needed"], row["filled"], row["essential_gap"])
        for row in rows
    }


def _whole_window(by_day: Mapping[tuple[int, date], Figures]) -> dict[int, Figures]:
    """Each circle's figures over the whole window, added up from its days."""
    totals: dict[int, Figures] = {}
    for (circle_id, _day), day in by_day.items():
        total = totals.get(circle_id, Figures())
        gaps = [g for g in (total.essential_gap, day.essential_gap) if g is not None]
        totals[circle_id] = Figures(
            total.needed + day.needed, total.filled + day.filled, min(gaps, default=None)
        )
    return totals


def _level(circle: Circle, needed: int, filled: int) -> str:
    if not needed:
        return "none"
    percent = 100 * filled / needed
    if percent < circle.not_coping_below_percent:
        return CircleState.NOT_COPING
    if percent < circle.strained_below_percent:
        return CircleState.STRAINED
    return CircleState.OK


# --- a client's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientCarer:
    """A carer on a client's page: their visits in the last 28 days and the 28 before, whether
    the client knows them, and what the client said about them."""

    person: Person
    recent: int
    before: int
    familiar: bool
    preferred: bool
    not_wanted: bool


def client_carers(client: Client, figures: Continuity) -> list[ClientCarer]:
    """Who came in either period, or whom the client has a wish about, most visits first: two
    queries."""
    wishes = dict(
        CarerPreference.objects.filter(client=client).values_list("carer_id", "preference")
    )
    carer_ids = set(figures.recent.by_carer) | set(figures.before.by_carer) | set(wishes)
    people = Person.objects.filter(pk__in=carer_ids).order_by("full_name", "pk")
    carers = [
        ClientCarer(
            person=person,
            recent=figures.recent.by_carer.get(person.pk, 0),
            before=figures.before.by_carer.get(person.pk, 0),
            familiar=person.pk in figures.recent.familiar,
            preferred=wishes.get(person.pk) == Preference.PREFERRED,
            not_wanted=wishes.get(person.pk) == Preference.NOT_WANTED,
        )
        for person in people
    ]
    carers.sort(key=lambda c: (-c.recent, -c.before, c.person.full_name))
    return carers


# --- a circle's visits that need cover ---------------------------------------------------------


@dataclass
class Holder:
    carer: Person
    # Why they can no longer do it (a check that ran out, a client's "rather not").
    problems: list[str]


@dataclass
class GapCard:
    """One visit that needs cover, and who could step in."""

    shift: Shift
    holders: list[Holder] = field(default_factory=list)
    can: list[Person] = field(default_factory=list)
    # (carer, the rules' reasons, in the rules' words)
    cannot: list[tuple[Person, list[str]]] = field(default_factory=list)
    # Carers already asked to take it, and carers familiar to the client.
    asked: set[int] = field(default_factory=set)
    familiar: set[int] = field(default_factory=set)

    @property
    def first_choices(self) -> list[Person]:
        """Who to offer first: familiar faces, for the client's sake, then by name."""
        return self.can[:SHOWN]

    @property
    def more_choices(self) -> list[Person]:
        return self.can[SHOWN:]

    @property
    def open(self) -> int:
        rightly = sum(1 for holder in self.holders if not holder.problems)
        return max(self.shift.carers_needed - rightly, 0)


def ask_key(shift: Shift) -> str:
    """The key of "can you take it?" for a visit: each carer is asked once."""
    return f"ask-cover:{shift.pk}"


def gap_cards(shifts: list[Shift], carers: list[Person], *, now: datetime) -> list[GapCard]:
    """Each visit with its holders and the circle's carers who can, or can't, take a place.

    Every carer is pre-checked with the rules (rota.rules.check_each), so the page offers
    only what the service will allow, and says why not in the rules' own words. The same
    number of queries whatever the number of visits and carers: the rules' facts are read
    once for all of them, the visits' places with their offers once (given to the rules as
    `held`), and the carers' profiles come with them when selected (current_carers does).
    """
    if not shifts:
        return []
    open_offer = Offer.objects.filter(assignment=OuterRef("pk"), status=OfferStatus.OPEN)
    held = list(
        Assignment.objects.filter(shift__in=shifts, released_at__isnull=True)
        .annotate(is_offered=Exists(open_offer))
        .select_related("carer__carer_profile")
        .order_by("created_at", "pk")
    )
    for shift in shifts:
        shift.held = [a for a in held if a.shift_id == shift.pk]  # type: ignore[attr-defined]
    asked = set(
        Notification.objects.filter(
            key__in=[ask_key(s) for s in shifts], person__in=carers
        ).values_list("key", "person_id")
    )
    familiar = familiar_pairs(
        [(shift.client_id, carer.pk) for shift in shifts for carer in carers], now=now
    )
    people = {person.pk: person for person in [*carers, *(a.carer for a in held)]}
    judged = check_each(people.values(), shifts, now=now)
    cards = []
    for shift in shifts:
        card = GapCard(shift)
        card.familiar = {carer.pk for carer in carers if (shift.client_id, carer.pk) in familiar}
        holders = [a.carer for a in shift.held]  # type: ignore[attr-defined]
        for holder in holders:
            problems = [v.message for v in judged[holder.pk][shift.pk] if v.rule in LASTING]
            card.holders.append(Holder(holder, problems))
        for carer in carers:
            if carer in holders:
                continue
            violations = judged[carer.pk][shift.pk]
            if violations:
                card.cannot.append((carer, [v.message for v in violations]))
            else:
                card.can.append(carer)
            if (ask_key(shift), carer.pk) in asked:
                card.asked.add(carer.pk)
        card.can.sort(key=lambda carer: carer.pk not in card.familiar)
        cards.append(card)
    return cards


def uncovered_soon(circle: Circle, now: datetime) -> list[Shift]:
    """The circle's visits over the next 14 days with a place nobody rightly holds: essential
    first, then by start (capacity's order)."""
    return capacities([circle], now, now + HORIZON)[circle.pk].uncovered


# --- missed visits -----------------------------------------------------------------------------

# How far back a circle's page lists the visits nobody came to.
MISSED_DAYS = 7


def _missed_by_circle(circle_ids: Sequence[int], now: datetime) -> dict[int, int]:
    """How many visits of each circle nobody came to in the last MISSED_DAYS days: one query."""
    missed = LateVisitStep.objects.filter(
        step=LateStep.MISSED,
        shift__circle_id__in=circle_ids,
        shift__start__gte=now - timedelta(days=MISSED_DAYS),
    )
    counted = missed.values("shift__circle_id").annotate(n=Count("pk"))
    return {row["shift__circle_id"]: row["n"] for row in counted}


@dataclass(frozen=True)
class MissedVisit:
    shift: Shift
    # Who was on it and did not arrive (none: nobody held it).
    carers: list[Person]


def missed_visits(circle: Circle, now: datetime) -> list[MissedVisit]:
    """The circle's visits missed in the last MISSED_DAYS days, the latest first: two queries."""
    shifts = list(
        Shift.objects.filter(
            circle=circle,
            late_steps__step=LateStep.MISSED,
            start__gte=now - timedelta(days=MISSED_DAYS),
        )
        .select_related("client")
        .order_by("-start", "-pk")
    )
    carers: dict[int, list[Person]] = {shift.pk: [] for shift in shifts}
    for place in Assignment.objects.filter(shift__in=shifts, missed=True).select_related("carer"):
        carers[place.shift_id].append(place.carer)
    return [MissedVisit(shift, carers[shift.pk]) for shift in shifts]

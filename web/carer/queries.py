"""Reads the carers' pages share: my shifts, what needs cover (and why I can't take it), the
circle board, the swaps waiting on me, and each carer's fair share of the circle.

Each runs a fixed number of queries, however many shifts it returns: the pages' tests pin
those counts. Writes never happen here; they go through rota.services. Why a carer may not
take a visit is in web.carer.reasons.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.fairness import Share, shares
from circles.models import Circle, Role
from circles.permissions import circles_of, members
from people.models import Person
from rota.familiarity import familiar_pairs
from rota.models import (
    Absence,
    Assignment,
    HelpRequest,
    HelpStatus,
    NewFaceRequest,
    NewFaceStatus,
    Offer,
    OfferStatus,
    Shift,
    ShiftStatus,
    Swap,
    SwapStatus,
    VisitRecord,
)
from rota.rules import Rule, check_many
from rota.services.help import OPEN
from rota.services.visits import ARRIVE_AFTER_END, ARRIVE_BEFORE
from web.carer.reasons import (  # first_reasons: what Needs cover says, read by its tests here
    cover_reasons,
    first_reasons,  # noqa: F401
    lasting_reasons,
    swap_reasons,
)
from web.queries import held_places, open_offers

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from web.queries import CoverShift, HeldPlace, HeldShift

# Everything a place's card shows about its visit.
PLACE_FIELDS = ("carer", "shift__circle", "shift__client", "shift__plan")
# A carer at a visit may ask for a second pair of hands from this long before it starts.
HELP_BEFORE_VISIT = timedelta(minutes=30)
# Pages look this far ahead: a fortnight is what a circle plans its cover over (docs/design.md,
# Capacity and continuity).
AHEAD = timedelta(days=14)


# --- the shapes pages get ---------------------------------------------------------------------

T = TypeVar("T")


@dataclass
class Day(Generic[T]):
    """One local day of a list, with its items in time order."""

    date: date
    is_today: bool
    is_tomorrow: bool
    items: list[T] = field(default_factory=list)


@dataclass
class CoverItem:
    """A visit with a place to take, as one carer sees it.

    `reason` is the first rule that stops them taking it, in words (None: they may);
    `mine` says they now hold a place on it; `repeats`: other weeks of its plan at the same
    time need cover too, so they may take it every week; `ask_first`: only the client's
    new-face limit stops them, and asking to take it asks the client; `asked`: they have
    asked, and the client has not answered yet.
    """

    shift: "CoverShift"
    reason: str | None = None
    mine: bool = False
    repeats: bool = False
    ask_first: bool = False
    asked: bool = False

    @property
    def holders(self) -> "list[HeldPlace]":
        return self.shift.held

    @property
    def offered_by(self) -> list[Person]:
        return [a.carer for a in self.shift.held if a.is_offered]


@dataclass(frozen=True)
class BoardVisit:
    """A visit on the circle board, everyone on it in `shift.held`: its `free_places`, and
    whether it `is_gap`: not started, with a free place or one being given away."""

    shift: "CoverShift"
    free_places: int
    is_gap: bool


@dataclass(frozen=True)
class MyPlace:
    """One of the carer's places as My shifts shows it.

    `others` are the colleagues on the same visit (a double-up); `is_today`: on the day
    itself the card shows how to get in; `problem` is why the carer may no longer do it (a
    check that runs out by then), so they can hand it on in time; `giving_away`: they have
    offered it to the circle; `may_arrive`: “I've arrived” is open (rota.services.visits),
    then `may_leave`. A place no longer theirs is shown with none of these.
    """

    place: Assignment
    others: list[Person] = field(default_factory=list)
    is_today: bool = False
    problem: str | None = None
    giving_away: bool = False
    may_ask_help: bool = False
    # What happened at the visit so far (“I've arrived” made it), and which tap the card offers.
    record: VisitRecord | None = None
    may_arrive: bool = False

    @property
    def may_leave(self) -> bool:
        return self.record is not None and self.record.left_at is None


@dataclass(frozen=True)
class SwapChoice:
    """A colleague's place the carer could ask for in exchange for theirs: `proposed` says
    they already asked, `reason` why they may not have it (the rule's words), or None."""

    place: Assignment
    proposed: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class TimeOff:
    """The carer's time off, with when it runs in words."""

    absence: Absence
    words: str


@dataclass(frozen=True)
class ReleasedPlace:
    """A place the carer's time off gave to the circle for cover; `was_under_way`: the visit
    had already started when they said so; `back`: it is theirs again (they came back early);
    `why`: why it did not come back, in words."""

    place: Assignment
    was_under_way: bool
    back: bool = False
    why: str | None = None


@dataclass(frozen=True)
class HelpCall:
    """A call for help as one carer sees it.

    `going` is the carer who said yes (None: nobody yet); `reason` is why this carer may not
    go, the first rule other than `started` that fails (a call for help is under way by
    nature), or None when they may.
    """

    request: HelpRequest
    now: datetime
    going: Person | None = None
    reason: str | None = None

    @property
    def state(self) -> str:
        """ "open" (nobody has said yes), "going" (someone has), "cancelled", or "over" (its
        visit has ended)."""
        if self.request.status == HelpStatus.CANCELLED:
            return "cancelled"
        if self.request.shift.end <= self.now:
            return "over"
        return "open" if self.request.status in OPEN else "going"

    @property
    def may_go(self) -> bool:
        return self.state == "open" and self.reason is None


def help_calls(carer: Person, *, now: datetime, leave_out: int | None = None) -> list[HelpCall]:
    """The calls for help pinned at the top of every carer page: those still waiting that the
    carer may go to, and those someone has said yes to, until their visit ends; oldest first.

    One query (two when there are any), plus the rules' own when some wait for a carer.
    `leave_out` is a call the page shows already.
    """
    requests = _help_requests(carer).filter(
        Q(status__in=OPEN) | Q(status=HelpStatus.ACCEPTED), shift__end__gt=now
    )
    if leave_out is not None:
        requests = requests.exclude(pk=leave_out)
    calls = _shape_calls(carer, list(requests.order_by("raised_at", "pk")), now)
    return [call for call in calls if call.state == "going" or call.may_go]


def one_help_call(carer: Person, request_id: int, *, now: datetime) -> HelpCall | None:
    """One call for help of the carer's circles, whatever became of it (None: not theirs)."""
    found = _help_requests(carer).filter(pk=request_id).first()
    return _shape_calls(carer, [found], now)[0] if found else None


def _help_requests(carer: Person) -> QuerySet[HelpRequest]:
    """Calls for help of the circles the carer is a carer of today, with what their cards
    show and the places on their visits (`held` on the shift, as the rules read them)."""
    return (
        HelpRequest.objects.filter(client__circle__in=circles_of(carer, Role.CARER).values("pk"))
        .select_related("client", "raised_by", "acknowledged_by", "shift__circle", "shift__client")
        .prefetch_related(held_places("shift__assignments", offered=True))
    )


def _shape_calls(carer: Person, requests: list[HelpRequest], now: datetime) -> list[HelpCall]:
    waiting = [r.shift for r in requests if r.status in OPEN and r.shift.end > now]
    violations = check_many(carer, waiting, now=now)
    calls = []
    for request in requests:
        # _help_requests fetched the places held on the visit as `held` on its shift.
        held = cast("HeldShift", request.shift).held
        reasons = [
            v.message for v in violations.get(request.shift_id, []) if v.rule != Rule.STARTED
        ]
        going = held[0].carer if held and request.status == HelpStatus.ACCEPTED else None
        calls.append(HelpCall(request, now, going, reasons[0] if reasons else None))
    return calls


def home_tz(person: Person) -> ZoneInfo:
    """The time zone a person's own days are in: their first circle's, else the site's."""
    circle = circles_of(person, Role.CARER).first()
    return circle.tz if circle is not None else ZoneInfo(settings.TIME_ZONE)


def by_day(
    items: Iterable[T], start_of: Callable[[T], tuple[datetime, ZoneInfo]], now: datetime
) -> list[Day[T]]:
    """Group items (already in time order) by the local day `start_of(item)` falls on."""
    days: dict[date, Day[T]] = {}
    for item in items:
        moment, tz = start_of(item)
        local = timezone.localtime(moment, tz).date()
        today = timezone.localtime(now, tz).date()
        if local not in days:
            days[local] = Day(local, local == today, local == today + timedelta(days=1))
        days[local].items.append(item)
    return sorted(days.values(), key=lambda d: d.date)


# --- querysets ----------------------------------------------------------------------------------


def shifts_needing_cover(
    circle_ids: QuerySet[Circle, Any], start: datetime, end: datetime
) -> "QuerySet[CoverShift]":
    """Planned visits starting in [start, end) with a free place or an offered one.

    Visits made for a help request are left out: they are answered from the request.
    """
    open_offer = Offer.objects.filter(
        assignment__shift=OuterRef("pk"),
        assignment__released_at__isnull=True,
        status=OfferStatus.OPEN,
    )
    return (
        Shift.objects.filter(
            circle_id__in=circle_ids, status=ShiftStatus.PLANNED, start__gte=start, start__lt=end
        )
        .exclude(Exists(HelpRequest.objects.filter(shift=OuterRef("pk"))))
        .annotate(
            held_count=Count("assignments", filter=Q(assignments__released_at__isnull=True)),
            has_open_offer=Exists(open_offer),
        )
        .filter(Q(held_count__lt=F("carers_needed")) | Q(has_open_offer=True))
        .select_related("circle", "client", "plan")
        .prefetch_related(held_places(offered=True))
        .order_by("start", "pk")
    )


# --- my shifts ----------------------------------------------------------------------------------


class OpenOffer(TypedDict):
    """What _places_held_by adds to each place: its open offer, while it is being given away."""

    open_offer_id: int | None


def _places_held_by(
    carer: Person, *, now: datetime, ahead: timedelta
) -> "QuerySet[WithAnnotations[Assignment, OpenOffer]]":
    """The places the carer holds from now (a visit under way included, and one they arrived
    at and have not yet said they left, a while after its end) over `ahead`.

    Each has `shift.held` (everyone on the visit), its `record` once they arrived, and
    `open_offer_id` when they are giving it away.
    """
    still_there = Q(
        record__isnull=False, record__left_at__isnull=True, end__gt=now - ARRIVE_AFTER_END
    )
    return (
        Assignment.objects.filter(carer=carer, released_at__isnull=True, start__lt=now + ahead)
        .filter(Q(end__gt=now) | still_there)
        .select_related("shift__circle", "shift__client", "shift__plan", "record")
        .prefetch_related(held_places("shift__assignments"))
        .annotate(open_offer_id=Subquery(open_offers().values("pk")[:1]))
        .order_by("start", "pk")
    )


def my_places(carer: Person, *, now: datetime, ahead: timedelta = AHEAD) -> list[MyPlace]:
    """The places the carer holds from now (a visit under way included) over `ahead`, as My
    shifts shows them."""
    return _shape_places(carer, list(_places_held_by(carer, now=now, ahead=ahead)), now)


def one_place(carer: Person, assignment_id: int, *, now: datetime) -> MyPlace | None:
    """One of the carer's places as my_places shapes it (None once it is no longer held),
    however far ahead it is."""
    places = _places_held_by(carer, now=now, ahead=timedelta(days=3660))
    found = places.filter(pk=assignment_id).first()
    return _shape_places(carer, [found], now)[0] if found else None


def swaps_of(carer: Person) -> QuerySet[Swap]:
    """Every swap the carer proposed or was asked for, with both places as their cards show
    them."""
    both_sides = [f"{side}__{path}" for side in ("offered", "wanted") for path in PLACE_FIELDS]
    return Swap.objects.filter(Q(offered__carer=carer) | Q(wanted__carer=carer)).select_related(
        *both_sides
    )


def my_swaps(carer: Person, *, now: datetime) -> tuple[list[Swap], list[Swap]]:
    """Open swaps not yet lapsed: (offered to the carer, proposed by the carer)."""
    swaps = (
        swaps_of(carer)
        .filter(status=SwapStatus.PROPOSED, offered__start__gt=now, wanted__start__gt=now)
        .order_by("offered__start", "pk")
    )
    to_me: list[Swap] = []
    by_me: list[Swap] = []
    for swap in swaps:
        (to_me if swap.wanted.carer_id == carer.pk else by_me).append(swap)
    return to_me, by_me


def swap_choices(mine: Assignment, *, now: datetime, ahead: timedelta = AHEAD) -> list[SwapChoice]:
    """Colleagues' places in the same circle the carer could ask to swap `mine` for, each
    saying whether they asked already and why they may not have it."""
    return _shape_choices(mine, list(_colleagues_places(mine, now=now, ahead=ahead)), now)


def one_choice(mine: Assignment, place_id: int, *, now: datetime) -> SwapChoice | None:
    """One colleague's place as swap_choices shapes it (None once it is not one of them)."""
    found = _colleagues_places(mine, now=now, ahead=AHEAD).filter(pk=place_id).first()
    return _shape_choices(mine, [found], now)[0] if found else None


class Proposed(TypedDict):
    """What _colleagues_places adds to each place: the carer already asked for it, or someone
    else has (one open proposal per visit)."""

    proposed: bool
    asked_by_other: bool


def _colleagues_places(
    mine: Assignment, *, now: datetime, ahead: timedelta
) -> "QuerySet[WithAnnotations[Assignment, Proposed]]":
    """Colleagues' places in the same circle the carer could ask to swap `mine` for.

    Visits the carer is already on are left out. Each has `proposed`: the carer has already
    asked for it in exchange for `mine`.
    """
    already_on = Assignment.objects.filter(carer_id=mine.carer_id, released_at__isnull=True)
    return (
        Assignment.objects.filter(
            released_at__isnull=True,
            shift__circle_id=mine.shift.circle_id,
            shift__status=ShiftStatus.PLANNED,
            start__gt=now,
            start__lt=now + ahead,
        )
        .exclude(carer_id=mine.carer_id)
        .exclude(shift_id__in=already_on.values("shift_id"))
        .select_related("carer", "shift__client", "shift__circle", "shift__plan")
        .annotate(
            proposed=Exists(
                Swap.objects.filter(offered=mine, wanted=OuterRef("pk"), status=SwapStatus.PROPOSED)
            ),
            asked_by_other=Exists(
                Swap.objects.filter(wanted=OuterRef("pk"), status=SwapStatus.PROPOSED).exclude(
                    offered=mine
                )
            ),
        )
        .order_by("start", "pk")
    )


# --- needs cover --------------------------------------------------------------------------------


def cover_for(carer: Person, shifts: "Iterable[CoverShift]", *, now: datetime) -> list[CoverItem]:
    """The shifts as the carer sees them: theirs, or else the first reason they can't take
    it (None when they can)."""
    shifts = list(shifts)
    mine = {s.pk for s in shifts if any(a.carer_id == carer.pk for a in s.held)}
    reasons, askable = cover_reasons(carer, [s for s in shifts if s.pk not in mine], now=now)
    # Only when a client of these visits asks first: the questions already put to them.
    asked = (
        set(
            NewFaceRequest.objects.filter(
                carer=carer, shift_id__in=askable, status=NewFaceStatus.ASKED
            ).values_list("shift_id", flat=True)
        )
        if askable
        else set()
    )
    return [
        CoverItem(
            s, reasons.get(s.pk), s.pk in mine, ask_first=s.pk in askable, asked=s.pk in asked
        )
        for s in shifts
    ]


def needs_cover(carer: Person, *, now: datetime, ahead: timedelta = AHEAD) -> list[CoverItem]:
    """Visits in the carer's circles over `ahead` with a place to take, not counting their
    own: each says whether they may take it, and if not, why, and whether it `repeats`."""
    circle_ids = circles_of(carer, Role.CARER).values("pk")
    mine = Exists(
        Assignment.objects.filter(shift=OuterRef("pk"), carer=carer, released_at__isnull=True)
    )
    items = cover_for(
        carer, shifts_needing_cover(circle_ids, now, now + ahead).exclude(mine), now=now
    )
    # Every visit to come that needs cover, as far as the rota is made, counted by plan,
    # weekday and local time: one query.
    weekly: Counter[tuple[int, int, time]] = Counter()
    later = (
        shifts_needing_cover(circle_ids, now, now + timedelta(days=3660))
        .exclude(mine)
        .filter(plan__isnull=False)
        .prefetch_related(None)
        .values_list("plan_id", "start", "circle__timezone")
    )
    for plan_id, start, tzname in later:
        weekly[_every_week_key(plan_id, start, ZoneInfo(tzname))] += 1
    for item in items:
        shift = item.shift
        if shift.plan_id is not None:
            item.repeats = weekly[_every_week_key(shift.plan_id, shift.start, shift.circle.tz)] > 1
    return items


def _every_week_key(plan_id: int, start: datetime, tz: ZoneInfo) -> tuple[int, int, time]:
    """Visits "take every week" takes together (rota.services.places.every_week): the same
    plan, weekday and local time."""
    local = timezone.localtime(start, tz)
    return plan_id, local.isoweekday(), local.time()


# --- the circle board ---------------------------------------------------------------------------


def board(circle: Circle, *, now: datetime, ahead: timedelta = AHEAD) -> list[BoardVisit]:
    """The circle's planned visits over `ahead` (those under way included), as the board
    shows them."""
    shifts = (
        Shift.objects.filter(
            circle=circle, status=ShiftStatus.PLANNED, end__gt=now, start__lt=now + ahead
        )
        .select_related("circle", "client", "plan")
        .prefetch_related(held_places(offered=True))
        .order_by("start", "pk")
    )
    visits = []
    for shift in shifts:
        free_places = max(shift.carers_needed - len(shift.held), 0)
        is_offered = any(a.is_offered for a in shift.held)
        is_gap = shift.start > now and (free_places > 0 or is_offered)
        visits.append(BoardVisit(shift, free_places, is_gap))
    return visits


def familiar_faces(
    circle: Circle, shifts: "Sequence[Shift]", *, now: datetime
) -> dict[int, list[Person]]:
    """For each visit needing cover, the circle's carers the client knows (familiar: preferred,
    or two of their visits in 28 days), by name: whom the circle looks to first, for the
    client's sake. Two queries (none without visits)."""
    if not shifts:
        return {}
    carers = list(members(circle, Role.CARER).order_by("full_name", "pk"))
    known = familiar_pairs([(s.client_id, c.pk) for s in shifts for c in carers], now=now)
    return {s.pk: [c for c in carers if (s.client_id, c.pk) in known] for s in shifts}


def one_visit(carer: Person, shift_id: int, *, now: datetime) -> CoverItem:
    """One visit as the needs-cover card shows it, after the carer acted on it."""
    shifts = (
        Shift.objects.filter(pk=shift_id)
        .select_related("circle", "client", "plan")
        .prefetch_related(held_places(offered=True))
    )
    return cover_for(carer, shifts, now=now)[0]


def _shape_places(
    carer: Person, places: "list[WithAnnotations[Assignment, OpenOffer]]", now: datetime
) -> list[MyPlace]:
    """Each place with what its card says beyond the place itself (see MyPlace)."""
    problems = lasting_reasons(carer, [place.shift for place in places])
    shaped = []
    for place in places:
        # _places_held_by fetched everyone on the visit as `held` on the place's shift.
        shift = cast("HeldShift", place.shift)
        tz = shift.circle.tz
        record = getattr(place, "record", None)
        shaped.append(
            MyPlace(
                place,
                others=[a.carer for a in shift.held if a.carer_id != carer.pk],
                is_today=(
                    timezone.localtime(place.start, tz).date() == timezone.localtime(now, tz).date()
                ),
                problem=problems.get(place.shift_id),
                giving_away=place.open_offer_id is not None,
                may_ask_help=place.start <= now + HELP_BEFORE_VISIT and place.end > now,
                record=record,
                may_arrive=record is None
                and shift.status == ShiftStatus.PLANNED
                and place.start - ARRIVE_BEFORE <= now <= place.end + ARRIVE_AFTER_END,
            )
        )
    return shaped


def _shape_choices(
    mine: Assignment, choices: "list[WithAnnotations[Assignment, Proposed]]", now: datetime
) -> list[SwapChoice]:
    """Each choice with why the carer may not have it in exchange for `mine` (the rule's
    words), or None."""
    reasons = swap_reasons(mine, choices, now=now)
    asked = _("Someone else has asked for this visit already.")
    return [
        SwapChoice(
            choice,
            choice.proposed,
            reasons.get(choice.pk) or (asked if choice.asked_by_other else None),
        )
        for choice in choices
    ]


# --- fair shares ------------------------------------------------------------------------------

# The fair-shares page looks back four weeks and ahead two.
SHARES_BEFORE = timedelta(weeks=4)
SHARES_AHEAD = timedelta(weeks=2)


@dataclass(frozen=True)
class Figure:
    """One carer's figure beside the circle's `total`, and the `even` share each carer would
    have were the total shared equally: for the sentence and its bar."""

    mine: float
    total: float
    even: float

    @property
    def percent(self) -> int:
        return round(100 * self.mine / self.total) if self.total else 0

    @property
    def even_percent(self) -> int:
        return round(100 * self.even / self.total) if self.total else 0


@dataclass(frozen=True)
class ShareLine:
    """One carer's line on the fair-shares page: what they did in the last four weeks (`done`)
    and have `ahead` in the next two, and over the six weeks together their evenings, nights,
    weekends and hours beside the circle's, and what they gave away, picked up and answered
    (`whole`). `is_you`: the line of the person reading."""

    carer: Person
    is_you: bool
    done: Share
    ahead: Share
    whole: Share
    evenings: Figure
    nights: Figure
    weekends: Figure
    hours: Figure


def fair_shares(circle: Circle, reader: Person, *, now: datetime) -> list[ShareLine]:
    """Each carer's share of the circle over the last four weeks and the next two: the
    reader's own line first, then everyone else's by name, never by how much they did. Seven
    queries however many carers and visits (circles.fairness, twice, and the carers)."""
    done = shares(circle, now - SHARES_BEFORE, now)
    ahead = shares(circle, now, now + SHARES_AHEAD)
    carers = list(
        Person.objects.filter(pk__in=done.keys() | ahead.keys()).order_by("full_name", "pk")
    )
    if not carers:
        return []
    parts = {
        carer.pk: (
            done.get(carer.pk, Share(carer.pk)),
            ahead.get(carer.pk, Share(carer.pk)),
        )
        for carer in carers
    }
    whole = {pk: before + after for pk, (before, after) in parts.items()}

    def figure(mine: Share, measure: str) -> Figure:
        total = sum(getattr(share, measure) for share in whole.values())
        return Figure(getattr(mine, measure), total, total / len(whole))

    lines = [
        ShareLine(
            carer=carer,
            is_you=carer.pk == reader.pk,
            done=parts[carer.pk][0],
            ahead=parts[carer.pk][1],
            whole=whole[carer.pk],
            evenings=figure(whole[carer.pk], "evenings"),
            nights=figure(whole[carer.pk], "nights"),
            weekends=figure(whole[carer.pk], "weekends"),
            hours=figure(whole[carer.pk], "hours"),
        )
        for carer in carers
    ]
    return sorted(lines, key=lambda line: not line.is_you)

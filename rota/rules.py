"""May this carer take a place on this shift, and if not, why, in words
(docs/design.md, Rules every rota change obeys).

`check` returns every rule that fails, in the rules' order; `check_many` the same for many
shifts, and `check_each` for many carers and many shifts, in a fixed number of queries (all
three judge with `_judge`, from facts read once by `_read_facts`). Views, forms, page
queries and services all ask them; none re-implements a rule. The database backs the rules
it can (rota.models).
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import CharField, DateField, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from circles.models import Membership, Role
from people.models import (
    CarerPreference,
    CarerProfile,
    Client,
    Credential,
    CredentialType,
    NewFaces,
    Person,
)
from rota.familiarity import approved_pairs, first_visits, month_of
from rota.models import (
    Absence,
    Assignment,
    HelpRequest,
    Offer,
    OfferStatus,
    Shift,
    VisitPlan,
)
from rota.times_of_day import is_evening, is_weekend

MIN_REST = timedelta(hours=11)


class Rule(StrEnum):
    """The rules (docs/design.md, Rules every rota change obeys), in the order they are checked and
    reported."""

    MEMBERSHIP = "membership"
    NOT_WANTED = "not_wanted"
    CREDENTIAL = "credential"
    OVERLAP = "overlap"
    ABSENT = "absent"
    REST = "rest"
    WEEKLY_HOURS = "weekly_hours"
    STARTED = "started"
    FULL = "full"
    ENOUGH = "enough"
    NEW_FACE = "new_face"


@dataclass(frozen=True)
class Violation:
    rule: Rule
    message: str


class Refusal(Exception):
    """A change that was not made, and why: `messages`, in the words a person reads."""

    messages: list[str]


class RuleBroken(Refusal):
    """A change refused by one or more rules every rota change obeys."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        self.messages = [v.message for v in violations]
        super().__init__(" ".join(self.messages))


class Refused(Refusal):
    """Any other refusal: not your assignment, the offer already closed, a naive datetime..."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        self.messages = [message]
        super().__init__(message)


class AskedFirst(Refused):
    """A claim the new-face rule alone stopped, for a client who chose to be asked first: it
    was not made, and the client was asked instead (rota.services.asking). `request` is the
    open question (a rota.models.NewFaceRequest); `message` tells the carer so."""

    def __init__(self, request: Any, message: str) -> None:
        super().__init__("asked_first", message)
        self.request = request


def check(
    carer: Person,
    shift: Shift,
    *,
    giving_up: Assignment | None = None,
    taking_over: Assignment | None = None,
    now: datetime | None = None,
) -> list[Violation]:
    """Every rule that stops `carer` taking a place on `shift`, in the rules' order.

    `giving_up` is an assignment the carer leaves in the same change (their half of a
    swap): it is left out of every rule. `taking_over` is the place on `shift` its holder
    hands to the carer in the same change (the other half): it counts as free.
    """
    now = now or timezone.now()
    facts = _read_facts([carer], [shift], now=now, giving_up=giving_up)[carer.pk]
    return _judge(shift, facts, now, taking_over=taking_over)


def check_many(
    carer: Person,
    shifts: Iterable[Shift],
    *,
    giving_up: Assignment | None = None,
    taking_over: Assignment | Iterable[Assignment] | None = None,
    now: datetime | None = None,
    lasting_only: bool = False,
) -> dict[int, list[Violation]]:
    """`check` for many shifts at once, in a fixed number of queries: keyed by shift id, each
    with every rule that fails, in order (an empty list: the carer may take it).

    The carer's facts are read once for all the shifts. `taking_over` may be one place per
    shift (a swap page's choices). A shift's places are read unless `held` is prefetched on
    it with `is_offered` (web.carer.queries does). With `lasting_only`, just the rules a change
    of record can break (membership, "rather not", checks and training): for places held.
    """
    shifts = list(shifts)
    if not shifts:
        return {}
    now = now or timezone.now()
    if isinstance(taking_over, Assignment):
        taking_over = [taking_over]
    taken = {place.shift_id: place for place in taking_over or ()}
    facts = _read_facts(
        [carer], shifts, now=now, giving_up=giving_up, lasting_only=lasting_only, prefetched=True
    )[carer.pk]
    return {
        shift.pk: _judge(shift, facts, now, taking_over=taken.get(shift.pk)) for shift in shifts
    }


def check_each(
    carers: Iterable[Person], shifts: Iterable[Shift], *, now: datetime | None = None
) -> dict[int, dict[int, list[Violation]]]:
    """`check` for every carer and every shift, keyed by carer id then shift id, in the same
    fixed number of queries whatever the number of carers and shifts: each fact (checks and
    training, time off, memberships, "rather not", places held, weekly hours) is read once
    for all of them. A team leader's page of visits needing cover asks it.

    A shift's places are read unless `held` is prefetched on it with `is_offered`; a carer's
    profile is read unless `carer_profile` is (select_related).
    """
    carers, shifts = list(carers), list(shifts)
    if not carers or not shifts:
        return {carer.pk: {} for carer in carers}
    now = now or timezone.now()
    facts = _read_facts(carers, shifts, now=now, prefetched=True, selected_profiles=True)
    return {
        carer.pk: {shift.pk: _judge(shift, facts[carer.pk], now) for shift in shifts}
        for carer in carers
    }


class _Facts:
    """What the rules read about one carer, for many shifts (read by `_read_facts`).

    The shifts' own facts (the checks each needs, their places, the rules' windows) are the
    same objects for every carer read together. With `lasting_only`, only what the rules a
    change of record can break need is read.
    """

    def __init__(self, pk: int, shared: "_ShiftFacts", *, lasting_only: bool) -> None:
        self.pk = pk
        self.lasting_only = lasting_only
        self.memberships: list[tuple[int, date, date | None]] = []
        self.not_wanted: set[int] = set()
        self.preferred_by: set[int] = set()
        self.latest: dict[int, date] = {}
        self.profile: CarerProfile | None = None
        self.held: list[Assignment] = []
        self.absences: list[Absence] = []
        self.needs = shared.needs
        self.windows = shared.windows
        self.help_shifts = shared.help_shifts
        self.holders = shared.holders
        self.shared = shared

    @property
    def faces(self) -> "_NewFaceFacts | None":
        return self.shared.faces


@dataclass
class _NewFaceFacts:
    """What the new-face rule reads about the clients with a limit (none read when no client
    of the shifts has one)."""

    # Client id -> (their limit, asked first past it).
    limits: dict[int, tuple[int, bool]]
    # (client id, carer id) -> when the carer's first visit of the client (done or held)
    # starts, for every carer the client does not prefer.
    first: dict[tuple[int, int], datetime]
    # Client id -> those first visits, in order: how many new carers came in a month.
    firsts: dict[int, list[datetime]]
    # (client id, carer id): new carers the client has said are welcome.
    approved: set[tuple[int, int]]


@dataclass
class _ShiftFacts:
    # The checks each visit needs (Shift.credentials_needed), in name order.
    needs: dict[tuple[str, int], list[CredentialType]]
    windows: dict[int, tuple[datetime, datetime]]
    # Started visits made by a help request (they may still be taken).
    help_shifts: set[int]
    # Each shift's held places: (id, offered by its holder).
    holders: dict[int, list[tuple[int, bool]]]
    faces: _NewFaceFacts | None = None


def _read_facts(
    carers: list[Person],
    shifts: list[Shift],
    *,
    now: datetime,
    giving_up: Assignment | None = None,
    lasting_only: bool = False,
    prefetched: bool = False,
    selected_profiles: bool = False,
) -> dict[int, _Facts]:
    """Each carer's facts for these shifts, by carer id, each fact read once for all of them.

    `giving_up` is a place a carer leaves in the same change (a swap): it is left out. With
    `prefetched`, a shift's places are taken from its prefetched `held` when it has one; with
    `selected_profiles`, a carer's profile from their `carer_profile` when every carer was
    read with it (a person kept for longer may hold one that has changed since).
    """
    ids = [carer.pk for carer in carers]
    needs: dict[tuple[str, int], list[CredentialType]] = defaultdict(list)
    plans = {s.plan_id for s in shifts if s.plan_id}
    adhoc = {s.client_id for s in shifts if not s.plan_id}
    if plans:
        through = VisitPlan.credentials_needed.through.objects.filter(visitplan_id__in=plans)
        for row in through.select_related("credentialtype").order_by("credentialtype__name"):
            needs["plan", row.visitplan_id].append(row.credentialtype)
    if adhoc:
        emergency = Client.emergency_credentials.through.objects.filter(client_id__in=adhoc)
        for need in emergency.select_related("credentialtype").order_by("credentialtype__name"):
            needs["client", need.client_id].append(need.credentialtype)
    shared = _ShiftFacts(needs=needs, windows={}, help_shifts=set(), holders={})
    facts = {pk: _Facts(pk, shared, lasting_only=lasting_only) for pk in ids}

    clients = {s.client_id for s in shifts}
    limits: dict[int, tuple[int, bool]] = {}
    for person_id, fact, about, since, until in _records(
        ids, credentials=bool(needs), clients=clients
    ):
        if fact == _MEMBER:
            facts[person_id].memberships.append((about, since, until))
        elif fact == _NOT_WANTED:
            facts[person_id].not_wanted.add(about)
        elif fact == _PREFERRED:
            facts[person_id].preferred_by.add(about)
        elif fact.startswith(_LIMIT):
            # A client's row: its id, how past the limit is handled, and the limit.
            limits[person_id] = (about, fact == _LIMIT + NewFaces.ASK_FIRST)
        else:
            latest = facts[person_id].latest
            latest[about] = max(since, latest.get(about, since))
    if lasting_only:
        return facts

    selected = [carer._state.fields_cache for carer in carers]
    if selected_profiles and all("carer_profile" in cache for cache in selected):
        for carer, cache in zip(carers, selected, strict=True):
            facts[carer.pk].profile = cache["carer_profile"]
    else:
        for profile in CarerProfile.objects.filter(person_id__in=ids):
            facts[profile.person_id].profile = profile
    shared.windows.update({s.pk: _window(s) for s in shifts})
    lo = min(w[0] for w in shared.windows.values())
    hi = max(w[1] for w in shared.windows.values())
    held = Assignment.objects.filter(
        carer_id__in=ids, released_at__isnull=True, start__lt=hi, end__gt=lo
    ).select_related("shift__client")
    if giving_up is not None:
        held = held.exclude(pk=giving_up.pk)
    for place in held:
        facts[place.carer_id].held.append(place)
    for absence in Absence.objects.filter(
        carer_id__in=ids,
        start__lt=max(s.end for s in shifts),
        end__gt=min(s.start for s in shifts),
    ):
        facts[absence.carer_id].absences.append(absence)
    # Only help requests make shifts without a plan; it matters once they have started.
    started_adhoc = [s.pk for s in shifts if not s.plan_id and s.start <= now]
    if started_adhoc:
        shared.help_shifts.update(
            HelpRequest.objects.filter(shift_id__in=started_adhoc).values_list(
                "shift_id", flat=True
            )
        )
    unread = []
    for s in shifts:
        places = getattr(s, "held", None) if prefetched else None
        if places is not None and all(hasattr(a, "is_offered") for a in places):
            shared.holders[s.pk] = [(a.pk, a.is_offered) for a in places]
        else:
            shared.holders[s.pk] = []
            unread.append(s.pk)
    if unread:
        open_offer = Offer.objects.filter(assignment=OuterRef("pk"), status=OfferStatus.OPEN)
        for shift_id, pk, offered in (
            Assignment.objects.filter(shift_id__in=unread, released_at__isnull=True)
            .annotate(offered=Exists(open_offer))
            .values_list("shift_id", "pk", "offered")
        ):
            shared.holders[shift_id].append((pk, offered))
    if limits:
        shared.faces = _new_face_facts(limits, shifts, giving_up)
    return facts


def _new_face_facts(
    limits: dict[int, tuple[int, bool]], shifts: list[Shift], giving_up: Assignment | None
) -> _NewFaceFacts:
    """Two queries, for the clients with a limit: when each carer they do not prefer first
    visited them (rota.familiarity.first_visits), and the new carers they have said are
    welcome."""
    limited = [s for s in shifts if s.client_id in limits]
    until = max(_month(s)[1] for s in limited)
    first = first_visits(limits, before=until, leaving_out=giving_up.pk if giving_up else None)
    firsts: dict[int, list[datetime]] = defaultdict(list)
    for (client_id, _carer_id), start in first.items():
        firsts[client_id].append(start)
    for starts in firsts.values():
        starts.sort()
    return _NewFaceFacts(limits, first, firsts, approved_pairs(limits))


# What the carers' records say, read in one query: (carer id, fact, about, date, date).
_MEMBER = "member"  # about a circle: the membership's first day and the day it ends
_NOT_WANTED = "not_wanted"  # about a client who would rather not have the carer
_HOLDS = "holds"  # about a check or training: the day it runs out
_PREFERRED = "preferred"  # about a client who would rather have the carer
# A client's new-face limit, in place of a carer: (client id, "limit:" and how one more is
# handled, the limit).
_LIMIT = "limit:"


def _records(
    ids: list[int], *, credentials: bool, clients: Iterable[int] = ()
) -> QuerySet[Membership, tuple]:
    """The carers' memberships, the clients who would rather (not) have them, (with
    `credentials`) their checks and training and the new-face limits of `clients` that
    have one, as one union of rows of the same shape: the facts every rule check reads,
    whatever else it reads."""
    no_date = Value(None, output_field=DateField())
    facts = Membership.objects.filter(person_id__in=ids, role=Role.CARER).values_list(
        "person_id", Value(_MEMBER), "circle_id", "started_on", "ended_on"
    )
    wishes = CarerPreference.objects.filter(carer_id__in=ids).values_list(
        "carer_id", "preference", "client_id", no_date, no_date
    )
    parts: list[QuerySet[Any, tuple]] = [wishes.order_by()]
    clients = list(clients)
    if clients:
        limits = Client.objects.filter(pk__in=clients, new_face_limit__isnull=False).values_list(
            "pk",
            Concat(Value(_LIMIT), F("new_faces_past_limit"), output_field=CharField()),
            "new_face_limit",
            no_date,
            no_date,
        )
        parts.append(limits.order_by())
    if credentials:
        held = Credential.objects.filter(person_id__in=ids).values_list(
            "person_id", Value(_HOLDS), "type_id", "valid_until", no_date
        )
        parts.append(held.order_by())
    return facts.order_by().union(*parts, all=True)


def _judge(
    shift: Shift, facts: _Facts, now: datetime, *, taking_over: Assignment | None = None
) -> list[Violation]:
    """Every rule that fails for this shift, in the rules' order, from facts read once."""
    tz = shift.circle.tz
    day = timezone.localtime(shift.start, tz).date()
    violations: list[Violation] = []

    def fail(rule: Rule, message: str) -> None:
        violations.append(Violation(rule, message))

    if not any(
        circle_id == shift.circle_id and Membership.in_force(day, started, ended)
        for circle_id, started, ended in facts.memberships
    ):
        fail(Rule.MEMBERSHIP, _("You are not a carer in %(circle)s.") % {"circle": shift.circle})
    if shift.client_id in facts.not_wanted:
        fail(
            Rule.NOT_WANTED,
            _("%(client)s would rather not have you visit.")
            % {"client": shift.client.preferred_name},
        )
    key = ("plan", shift.plan_id) if shift.plan_id else ("client", shift.client_id)
    for kind in facts.needs.get(key, []):
        if kind.pk not in facts.latest:
            fail(
                Rule.CREDENTIAL,
                _("This visit needs %(check)s, which you don't have.") % {"check": kind},
            )
        elif facts.latest[kind.pk] < day:
            fail(
                Rule.CREDENTIAL,
                _("This visit needs %(check)s; yours expired on %(date)s.")
                % {"check": kind, "date": dateformat.format(facts.latest[kind.pk], "j M Y")},
            )
    if facts.lasting_only:
        return violations

    lo, hi = facts.windows[shift.pk]
    held = [a for a in facts.held if a.start < hi and a.end > lo]
    for other in held:
        if other.start < shift.end and shift.start < other.end:
            fail(Rule.OVERLAP, _overlap_message(other, shift, tz))
    for absence in facts.absences:
        if absence.start < shift.end and absence.end > shift.start:
            fail(
                Rule.ABSENT,
                _("You are off (%(kind)s) from %(start)s to %(end)s.")
                % {
                    "kind": absence.get_kind_display().lower(),
                    "start": _when(absence.start, tz),
                    "end": _when(absence.end, tz),
                },
            )
    profile = facts.profile
    if profile is not None and profile.is_paid:
        message = _rest_message(shift, held, tz, day)
        if message:
            fail(Rule.REST, message)
    limit = profile.weekly_limit if profile is not None else None
    if limit is not None:
        message = _weekly_hours_message(shift, held, tz, day, limit)
        if message:
            fail(Rule.WEEKLY_HOURS, message)

    if shift.start <= now and shift.pk not in facts.help_shifts:
        fail(Rule.STARTED, _("This visit has already started."))
    if _is_full(shift, facts.holders[shift.pk], taking_over):
        fail(Rule.FULL, _("This visit has just been taken: no place is free."))
    message = _enough_message(shift, held, profile)
    if message:
        fail(Rule.ENOUGH, message)
    message = _new_face_message(shift, facts)
    if message:
        fail(Rule.NEW_FACE, message)
    return violations


def _month(shift: Shift) -> tuple[datetime, datetime]:
    """The calendar month the shift starts in, in its circle's time."""
    return month_of(shift.start, shift.circle.tz)


def _new_face_message(shift: Shift, facts: _Facts) -> str | None:
    """Within the client's new-face limit for the month (docs/design.md, Rules every rota
    change obeys: `new_face`).

    A carer is new to the client when the client does not prefer them and their first visit
    of the client (done or held) is not before the end of this shift's month. Taking the
    shift would make them one more new carer that month; the client's limit counts the
    carers whose first visit falls in the month. A new carer the client said is welcome is
    let through.
    """
    faces = facts.faces
    if faces is None or shift.client_id not in faces.limits:
        return None
    pair = (shift.client_id, facts.pk)
    if shift.client_id in facts.preferred_by or pair in faces.approved:
        return None
    start, end = _month(shift)
    first = faces.first.get(pair)
    if first is not None and first < end:
        return None
    limit, ask_first = faces.limits[shift.client_id]
    starts = faces.firsts.get(shift.client_id, [])
    met = bisect_left(starts, end) - bisect_left(starts, start)
    if met < limit:
        return None
    words = {
        "client": shift.client.preferred_name,
        "limit": limit,
        "count": met,
        "month": dateformat.format(timezone.localtime(shift.start, shift.circle.tz), "F"),
    }
    said = (
        ngettext(
            "%(client)s has asked to meet at most %(limit)s new carer a month, and %(month)s has "
            "had %(count)s already.",
            "%(client)s has asked to meet at most %(limit)s new carers a month, and %(month)s has "
            "had %(count)s already.",
            limit,
        )
        % words
    )
    if ask_first:
        # The client chose to be asked rather than have the carer turned away: asking to take
        # the visit asks them (rota.services.asking), and their yes places the carer.
        return (
            said
            + " "
            + _(
                "%(client)s would like to be asked first: ask to take it, and you'll hear as "
                "soon as they answer."
            )
            % words
        )
    return said


def _window(shift: Shift) -> tuple[datetime, datetime]:
    """The span of the carer's places the rules read for this shift: from the day before the
    shift's week to the day after it. That covers overlap (the shift itself), rest
    (neighbouring days) and the week's hours."""

    tz = shift.circle.tz
    day = timezone.localtime(shift.start, tz).date()
    week_start = day - timedelta(days=day.weekday())
    start = _local_midnight(week_start - timedelta(days=1), tz)
    end = _local_midnight(week_start + timedelta(days=8), tz)
    return min(start, shift.start - timedelta(days=1)), max(end, shift.end + timedelta(days=1))


def _overlap_message(other: Assignment, shift: Shift, tz) -> str:
    if other.shift_id == shift.pk:
        return _("You are already on this visit.")
    return _("It overlaps your visit to %(client)s, %(start)s to %(end)s.") % {
        "client": other.shift.client.preferred_name,
        "start": _when(other.start, tz),
        "end": dateformat.format(timezone.localtime(other.end, tz), "H:i"),
    }


def _rest_message(shift: Shift, held: list[Assignment], tz, day: date) -> str | None:
    """At least 11 hours between the last visit of one local day and the first of the next.

    A visit belongs to the day it starts. Only the two nights this shift could shorten are
    checked: before it, if it would be the day's first visit; after it, if the day's last.
    """
    by_day: dict[date, list[Assignment]] = {}
    for other in held:
        by_day.setdefault(timezone.localtime(other.start, tz).date(), []).append(other)
    today = by_day.get(day, [])
    if all(shift.start <= other.start for other in today):
        before = by_day.get(day - timedelta(days=1), [])
        if before:
            last = max(before, key=lambda a: a.end)
            if shift.start - last.end < MIN_REST:
                return _rest_wording(shift.start - last.end, last, tz, after=True)
    if all(shift.end >= other.end for other in today):
        after = by_day.get(day + timedelta(days=1), [])
        if after:
            first = min(after, key=lambda a: a.start)
            if first.start - shift.end < MIN_REST:
                return _rest_wording(first.start - shift.end, first, tz, after=False)
    return None


def _rest_wording(gap: timedelta, other: Assignment, tz, *, after: bool) -> str:
    hours = _hours(max(gap, timedelta(0)))
    if after:
        return _(
            "That would leave you %(hours)s hours' rest after your visit ending %(when)s "
            "(at least 11 are needed)."
        ) % {"hours": hours, "when": _when(other.end, tz)}
    return _(
        "That would leave you %(hours)s hours' rest before your visit at %(when)s "
        "(at least 11 are needed)."
    ) % {"hours": hours, "when": _when(other.start, tz)}


def _weekly_hours_message(
    shift: Shift, held: list[Assignment], tz, day: date, limit: float
) -> str | None:
    """No more than the weekly limit; weeks run Monday to Sunday, a visit counts in the week
    it starts in."""
    week_start = day - timedelta(days=day.weekday())
    in_week = [
        other
        for other in held
        if other.shift_id != shift.pk
        and week_start <= timezone.localtime(other.start, tz).date() < week_start + timedelta(7)
    ]
    total = sum((other.end - other.start for other in in_week), shift.end - shift.start)
    if total.total_seconds() / 3600 <= limit:
        return None
    return ngettext(
        "That would bring your week from %(monday)s to %(hours)s hours; your limit is "
        "%(limit)s hour.",
        "That would bring your week from %(monday)s to %(hours)s hours; your limit is "
        "%(limit)s hours.",
        int(limit),
    ) % {
        "monday": dateformat.format(week_start, "D j M"),
        "hours": _hours(total),
        "limit": _number(limit),
    }


@dataclass(frozen=True)
class Enough:
    """One of a carer's own limits a visit comes under: `what` ("evenings" or "weekends"),
    how many the week would have with the visit, and the carer's `limit`."""

    what: str
    with_it: int
    limit: int

    @property
    def over(self) -> bool:
        return self.with_it > self.limit


def enough(shift: Shift, held: Iterable[Assignment], profile: CarerProfile | None) -> list[Enough]:
    """The carer's own limits (`CarerProfile.enough_evenings`, `enough_weekends`) this shift
    comes under, with what its week would count with it: the rule `enough` refuses one that
    would be over, and the calls for cover ask those it would bring to their limit later
    (circles.fairness.waves).

    Weeks run Monday to Sunday in the circle's time, a visit counting in the week it starts,
    as for the weekly hours. Evenings are counted as evenings (two visits on one evening are
    one evening), weekends as visits. `held` are the carer's places around the shift.
    """
    if profile is None or (profile.enough_evenings is None and profile.enough_weekends is None):
        return []
    tz = shift.circle.tz
    start = timezone.localtime(shift.start, tz)
    monday = start.date() - timedelta(days=start.weekday())
    week = [
        local
        for local in (
            timezone.localtime(other.start, tz) for other in held if other.shift_id != shift.pk
        )
        if monday <= local.date() < monday + timedelta(days=7)
    ]
    limits = []
    if profile.enough_evenings is not None and is_evening(start):
        evenings = {local.date() for local in week if is_evening(local)} | {start.date()}
        limits.append(Enough("evenings", len(evenings), profile.enough_evenings))
    if profile.enough_weekends is not None and is_weekend(start):
        weekends = sum(1 for local in week if is_weekend(local)) + 1
        limits.append(Enough("weekends", weekends, profile.enough_weekends))
    return limits


def _enough_message(
    shift: Shift, held: list[Assignment], profile: CarerProfile | None
) -> str | None:
    """Within the carer's own "enough" (docs/design.md, Rules every rota change obeys:
    `enough`), told back to them in their own terms."""
    over = next((limit for limit in enough(shift, held, profile) if limit.over), None)
    if over is None:
        return None
    start = timezone.localtime(shift.start, shift.circle.tz)
    words = {
        "limit": over.limit,
        "count": over.with_it,
        "monday": dateformat.format(start.date() - timedelta(days=start.weekday()), "j M"),
    }
    if over.what == "evenings":
        if over.limit == 0:
            return _(
                "You said you would rather have no evenings for now; this visit is in the evening."
            )
        return (
            ngettext(
                "You said %(limit)s evening a week is enough for you; this would make "
                "%(count)s that week (week of %(monday)s).",
                "You said %(limit)s evenings a week are enough for you; this would make "
                "%(count)s that week (week of %(monday)s).",
                over.limit,
            )
            % words
        )
    if over.limit == 0:
        return _(
            "You said you would rather have no weekend visits for now; this visit is at the "
            "weekend."
        )
    return (
        ngettext(
            "You said %(limit)s weekend visit a week is enough for you; this would make "
            "%(count)s that week (week of %(monday)s).",
            "You said %(limit)s weekend visits a week are enough for you; this would make "
            "%(count)s that week (week of %(monday)s).",
            over.limit,
        )
        % words
    )


def _is_full(shift: Shift, holders: list[tuple[int, bool]], taking_over: Assignment | None) -> bool:
    """No place free, and no holder offering theirs."""
    if taking_over is not None:
        holders = [(pk, offered) for pk, offered in holders if pk != taking_over.pk]
    if len(holders) < shift.carers_needed:
        return False
    return not any(offered for _pk, offered in holders)


def _local_midnight(day: date, tz) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz)


def _when(moment: datetime, tz) -> str:
    return dateformat.format(timezone.localtime(moment, tz), "D j M H:i")


def _hours(span: timedelta) -> str:
    return _number(span.total_seconds() / 3600)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")

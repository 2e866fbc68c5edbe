"""May this carer take a place on this shift, and if not, why, in words
(docs/design.md, Rules every rota change obeys).

`check` returns every rule that fails, in the rules' order; `check_many` the same for many
shifts in a fixed number of queries (both judge with `_judge`, from the carer's facts read
once). Views, forms, page queries and services all ask them; none re-implements a rule. The
database backs the rules it can (rota.models).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.db.models import Exists, OuterRef
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
    Person,
    Preference,
)
from rota.models import Absence, Assignment, HelpRequest, Offer, OfferStatus, Shift, VisitPlan

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
    facts = _Facts(carer, [shift], now=now, giving_up=giving_up)
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
    facts = _Facts(
        carer, shifts, now=now, giving_up=giving_up, lasting_only=lasting_only, prefetched=True
    )
    return {
        shift.pk: _judge(shift, facts, now, taking_over=taken.get(shift.pk)) for shift in shifts
    }


class _Facts:
    """What the rules read about one carer, read once for many shifts.

    With `lasting_only`, just what the rules a change of record can break need. `giving_up`
    is a place the carer leaves in the same change (a swap): it is left out. With
    `prefetched`, a shift's places are taken from its prefetched `held` when it has one.
    """

    def __init__(
        self,
        carer: Person,
        shifts: list[Shift],
        *,
        now: datetime,
        giving_up: Assignment | None = None,
        lasting_only: bool = False,
        prefetched: bool = False,
    ) -> None:
        self.lasting_only = lasting_only
        self.memberships = list(
            Membership.objects.filter(person=carer, role=Role.CARER).values_list(
                "circle_id", "started_on", "ended_on"
            )
        )
        self.not_wanted = set(
            CarerPreference.objects.filter(
                carer=carer, preference=Preference.NOT_WANTED
            ).values_list("client_id", flat=True)
        )
        # The checks each visit needs (Shift.credentials_needed), in name order.
        self.needs: dict[tuple[str, int], list[CredentialType]] = defaultdict(list)
        plans = {s.plan_id for s in shifts if s.plan_id}
        adhoc = {s.client_id for s in shifts if not s.plan_id}
        if plans:
            through = VisitPlan.credentials_needed.through.objects.filter(visitplan_id__in=plans)
            for row in through.select_related("credentialtype").order_by("credentialtype__name"):
                self.needs["plan", row.visitplan_id].append(row.credentialtype)
        if adhoc:
            emergency = Client.emergency_credentials.through.objects.filter(client_id__in=adhoc)
            for need in emergency.select_related("credentialtype").order_by("credentialtype__name"):
                self.needs["client", need.client_id].append(need.credentialtype)
        self.latest: dict[int, date] = {}
        if self.needs:
            for type_id, valid_until in Credential.objects.filter(person=carer).values_list(
                "type_id", "valid_until"
            ):
                self.latest[type_id] = max(valid_until, self.latest.get(type_id, valid_until))
        if lasting_only:
            return
        self.profile = CarerProfile.objects.filter(person=carer).first()
        self.windows = {s.pk: _window(s) for s in shifts}
        lo = min(w[0] for w in self.windows.values())
        hi = max(w[1] for w in self.windows.values())
        held = Assignment.objects.filter(
            carer=carer, released_at__isnull=True, start__lt=hi, end__gt=lo
        ).select_related("shift__client")
        if giving_up is not None:
            held = held.exclude(pk=giving_up.pk)
        self.held = list(held)
        self.absences = list(
            Absence.objects.filter(
                carer=carer,
                start__lt=max(s.end for s in shifts),
                end__gt=min(s.start for s in shifts),
            )
        )
        # Only help requests make shifts without a plan; it matters once they have started.
        started_adhoc = [s.pk for s in shifts if not s.plan_id and s.start <= now]
        self.help_shifts: set[int] = set()
        if started_adhoc:
            self.help_shifts = set(
                HelpRequest.objects.filter(shift_id__in=started_adhoc).values_list(
                    "shift_id", flat=True
                )
            )
        # Each shift's held places: (id, offered by its holder).
        self.holders: dict[int, list[tuple[int, bool]]] = {}
        unread = []
        for s in shifts:
            places = getattr(s, "held", None) if prefetched else None
            if places is not None and all(hasattr(a, "is_offered") for a in places):
                self.holders[s.pk] = [(a.pk, a.is_offered) for a in places]
            else:
                self.holders[s.pk] = []
                unread.append(s.pk)
        if unread:
            open_offer = Offer.objects.filter(assignment=OuterRef("pk"), status=OfferStatus.OPEN)
            for shift_id, pk, offered in (
                Assignment.objects.filter(shift_id__in=unread, released_at__isnull=True)
                .annotate(offered=Exists(open_offer))
                .values_list("shift_id", "pk", "offered")
            ):
                self.holders[shift_id].append((pk, offered))


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
    return violations


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

"""May this carer take a place on this shift, and if not, why, in words (DESIGN §4).

`check` returns every rule that fails, in the order of DESIGN §4. Views, forms and services
all ask it; none re-implements a rule. The database backs the rules it can (rota.models).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from circles.models import Membership, Role
from people.models import CarerProfile, Credential, Person, Preference
from rota.models import Absence, Assignment, HelpRequest, OfferStatus, Shift

MIN_REST = timedelta(hours=11)


class Rule(StrEnum):
    """The rules of DESIGN §4, in the order they are checked and reported."""

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


class RuleBroken(Exception):
    """A change refused by one or more rules of DESIGN §4."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__(" ".join(v.message for v in violations))


class Refused(Exception):
    """Any other refusal: not your assignment, the offer already closed, a naive datetime..."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def check(
    carer: Person,
    shift: Shift,
    *,
    giving_up: Assignment | None = None,
    taking_over: Assignment | None = None,
    now: datetime | None = None,
) -> list[Violation]:
    """Every rule that stops `carer` taking a place on `shift`, in the order of DESIGN §4.

    `giving_up` is an assignment the carer leaves in the same change (their half of a
    swap): it is left out of every rule. `taking_over` is the place on `shift` its holder
    hands to the carer in the same change (the other half): it counts as free.
    """
    now = now or timezone.now()
    tz = shift.circle.tz
    day = timezone.localtime(shift.start, tz).date()
    violations: list[Violation] = []

    def fail(rule: Rule, message: str) -> None:
        violations.append(Violation(rule, message))

    if not _is_member(carer, shift, day):
        fail(Rule.MEMBERSHIP, _("You are not a carer in %(circle)s.") % {"circle": shift.circle})
    if _not_wanted(carer, shift):
        fail(
            Rule.NOT_WANTED,
            _("%(client)s would rather not have you visit.")
            % {"client": shift.client.preferred_name},
        )
    for message in _missing_credentials(carer, shift, day):
        fail(Rule.CREDENTIAL, message)

    profile = CarerProfile.objects.filter(person=carer).first()
    held = _held_around(carer, shift, giving_up, tz, day)
    for other in held:
        if other.start < shift.end and shift.start < other.end:
            fail(Rule.OVERLAP, _overlap_message(other, shift, tz))
    for absence in Absence.objects.filter(carer=carer, start__lt=shift.end, end__gt=shift.start):
        fail(
            Rule.ABSENT,
            _("You are off (%(kind)s) from %(start)s to %(end)s.")
            % {
                "kind": absence.get_kind_display().lower(),
                "start": _when(absence.start, tz),
                "end": _when(absence.end, tz),
            },
        )
    if profile is not None and profile.is_paid:
        message = _rest_message(shift, held, tz, day)
        if message:
            fail(Rule.REST, message)
    limit = profile.weekly_limit if profile is not None else None
    if limit is not None:
        message = _weekly_hours_message(shift, held, tz, day, limit)
        if message:
            fail(Rule.WEEKLY_HOURS, message)

    if shift.start <= now and not _is_help_request(shift):
        fail(Rule.STARTED, _("This visit has already started."))
    if _is_full(shift, taking_over):
        fail(Rule.FULL, _("This visit has just been taken: no place is free."))
    return violations


def _is_member(carer: Person, shift: Shift, day: date) -> bool:
    return (
        Membership.objects.filter(
            person=carer, circle_id=shift.circle_id, role=Role.CARER, started_on__lte=day
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .exists()
    )


def _not_wanted(carer: Person, shift: Shift) -> bool:
    return shift.client.carer_preferences.filter(
        carer=carer, preference=Preference.NOT_WANTED
    ).exists()


def _missing_credentials(carer: Person, shift: Shift, day: date) -> list[str]:
    needed = list(shift.credentials_needed())
    if not needed:
        return []
    latest: dict[int, date] = {}
    for type_id, valid_until in Credential.objects.filter(
        person=carer, type__in=needed
    ).values_list("type_id", "valid_until"):
        latest[type_id] = max(valid_until, latest.get(type_id, valid_until))
    messages = []
    for kind in needed:
        if kind.pk not in latest:
            messages.append(
                _("This visit needs %(check)s, which you don't have.") % {"check": kind}
            )
        elif latest[kind.pk] < day:
            messages.append(
                _("This visit needs %(check)s; yours expired on %(date)s.")
                % {"check": kind, "date": dateformat.format(latest[kind.pk], "j M Y")}
            )
    return messages


def _held_around(
    carer: Person, shift: Shift, giving_up: Assignment | None, tz, day: date
) -> list[Assignment]:
    """The carer's held places from the day before the shift's week to the day after it.

    That covers overlap (the shift itself), rest (neighbouring days) and the week's hours.
    """
    week_start = day - timedelta(days=day.weekday())
    window_start = _local_midnight(week_start - timedelta(days=1), tz)
    window_end = _local_midnight(week_start + timedelta(days=8), tz)
    window_start = min(window_start, shift.start - timedelta(days=1))
    window_end = max(window_end, shift.end + timedelta(days=1))
    held = Assignment.objects.filter(
        carer=carer, released_at__isnull=True, start__lt=window_end, end__gt=window_start
    ).select_related("shift__client")
    if giving_up is not None:
        held = held.exclude(pk=giving_up.pk)
    return list(held)


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


def _is_help_request(shift: Shift) -> bool:
    # Only help requests make shifts without a plan.
    return shift.plan_id is None and HelpRequest.objects.filter(shift_id=shift.pk).exists()


def _is_full(shift: Shift, taking_over: Assignment | None) -> bool:
    """No place free, and no holder offering theirs."""
    holders = Assignment.objects.filter(shift_id=shift.pk, released_at__isnull=True)
    if taking_over is not None:
        holders = holders.exclude(pk=taking_over.pk)
    taken = holders.count()
    if taken < shift.carers_needed:
        return False
    return not holders.filter(offers__status=OfferStatus.OPEN).exists()


def _local_midnight(day: date, tz) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz)


def _when(moment: datetime, tz) -> str:
    return dateformat.format(timezone.localtime(moment, tz), "D j M H:i")


def _hours(span: timedelta) -> str:
    return _number(span.total_seconds() / 3600)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")

"""Why a carer may not take a visit, for many visits at once.

rota.rules.check answers it for one visit in about ten queries; a page listing thirty
visits would pay three hundred. These ask the same rules, in the same order and with the
same words, of a whole list in a fixed number of queries: the carer's facts are read once
(rest and weekly hours are judged by rules.py's own functions, given the places read here).
tests/web/test_carer_reasons_match_the_rules.py holds the two in step, and the change itself
is always decided by rules.check inside the service.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from circles.models import Membership, Role
from people.models import CarerPreference, CarerProfile, Client, Credential, Person, Preference
from rota import rules
from rota.models import Absence, Assignment, HelpRequest, Shift, VisitPlan


def first_reasons(carer: Person, shifts: list[Shift], *, now: datetime) -> dict[int, str]:
    """For each shift the carer may not take, the message of the first rule that fails
    (rules.check's first violation). Shifts need `circle`, `client` and `plan` loaded and
    `held` prefetched, each held place with `is_offered` (shifts_needing_cover does both).
    """
    if not shifts:
        return {}
    facts = _Facts(carer, shifts)
    reasons = {}
    for shift in shifts:
        reason = _first_reason(carer, shift, facts, now)
        if reason:
            reasons[shift.pk] = reason
    return reasons


def swap_reasons(mine: Assignment, theirs: list[Assignment], *, now: datetime) -> dict[int, str]:
    """For each colleague's place the carer may not have in exchange for `mine`, the first
    rule that fails: rules.check(carer, their shift, giving_up=mine, taking_over=theirs),
    the proposer's side that propose_swap checks. Keyed by their place's id."""
    if not theirs:
        return {}
    shifts = [place.shift for place in theirs]
    facts = _Facts(mine.carer, shifts, giving_up=mine)
    reasons = {}
    for place in theirs:
        # Their place passes to the carer in the same change, so the visit is never full.
        reason = _first_reason(mine.carer, place.shift, facts, now, taking_over=True)
        if reason:
            reasons[place.pk] = reason
    return reasons


class _Facts:
    """What rules.check reads about one carer, read once for many shifts.

    With `lasting_only`, just what the rules a change of record can break need (membership,
    "rather not", checks and training): enough to judge places already held. `giving_up`
    is a place the carer leaves in the same change (a swap): it is left out, as check does.
    """

    def __init__(
        self,
        carer: Person,
        shifts: list[Shift],
        *,
        lasting_only: bool = False,
        giving_up: Assignment | None = None,
    ) -> None:
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
        # The checks each visit needs, in name order as rules.check lists them.
        self.needs: dict[tuple[str, int], list] = defaultdict(list)
        plans = {s.plan_id for s in shifts if s.plan_id}
        adhoc = {s.client_id for s in shifts if not s.plan_id}
        through = VisitPlan.credentials_needed.through.objects.filter(visitplan_id__in=plans)
        for row in through.select_related("credentialtype").order_by("credentialtype__name"):
            self.needs["plan", row.visitplan_id].append(row.credentialtype)
        if adhoc:
            emergency = Client.emergency_credentials.through.objects.filter(client_id__in=adhoc)
            for row in emergency.select_related("credentialtype").order_by("credentialtype__name"):
                self.needs["client", row.client_id].append(row.credentialtype)
        self.latest: dict[int, date] = {}
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
        self.help_shifts = set()
        if adhoc:
            self.help_shifts = set(
                HelpRequest.objects.filter(
                    shift_id__in=[s.pk for s in shifts if not s.plan_id]
                ).values_list("shift_id", flat=True)
            )


def _window(shift: Shift) -> tuple[datetime, datetime]:
    """The span rules._held_around reads the carer's places from, for this shift."""
    tz = shift.circle.tz
    day = timezone.localtime(shift.start, tz).date()
    week_start = day - timedelta(days=day.weekday())
    start = rules._local_midnight(week_start - timedelta(days=1), tz)
    end = rules._local_midnight(week_start + timedelta(days=8), tz)
    return min(start, shift.start - timedelta(days=1)), max(end, shift.end + timedelta(days=1))


def _lasting_reason(shift: Shift, facts: _Facts) -> str | None:
    """The first of the rules a change of record can break: membership, "rather not",
    checks and training (rules.check's first three, in its order and words)."""
    day = timezone.localtime(shift.start, shift.circle.tz).date()
    if not any(
        circle_id == shift.circle_id and started <= day and (ended is None or ended > day)
        for circle_id, started, ended in facts.memberships
    ):
        return _("You are not a carer in %(circle)s.") % {"circle": shift.circle}
    if shift.client_id in facts.not_wanted:
        return _("%(client)s would rather not have you visit.") % {
            "client": shift.client.preferred_name
        }
    key = ("plan", shift.plan_id) if shift.plan_id else ("client", shift.client_id)
    for kind in facts.needs.get(key, []):
        if kind.pk not in facts.latest:
            return _("This visit needs %(check)s, which you don't have.") % {"check": kind}
        if facts.latest[kind.pk] < day:
            return _("This visit needs %(check)s; yours expired on %(date)s.") % {
                "check": kind,
                "date": dateformat.format(facts.latest[kind.pk], "j M Y"),
            }
    return None


def _first_reason(
    carer: Person, shift: Shift, facts: _Facts, now: datetime, *, taking_over: bool = False
) -> str | None:
    """rules.check's first violation for this shift, from facts read once (same order)."""
    lasting = _lasting_reason(shift, facts)
    if lasting:
        return lasting
    tz = shift.circle.tz
    day = timezone.localtime(shift.start, tz).date()
    lo, hi = facts.windows[shift.pk]
    held = [a for a in facts.held if a.start < hi and a.end > lo]
    for other in held:
        if other.start < shift.end and shift.start < other.end:
            return rules._overlap_message(other, shift, tz)
    absences = sorted(
        (a for a in facts.absences if a.start < shift.end and a.end > shift.start),
        key=lambda a: a.start,
        reverse=True,
    )
    for absence in absences:
        return _("You are off (%(kind)s) from %(start)s to %(end)s.") % {
            "kind": absence.get_kind_display().lower(),
            "start": rules._when(absence.start, tz),
            "end": rules._when(absence.end, tz),
        }
    profile = facts.profile
    if profile is not None and profile.is_paid:
        message = rules._rest_message(shift, held, tz, day)
        if message:
            return message
    limit = profile.weekly_limit if profile is not None else None
    if limit is not None:
        message = rules._weekly_hours_message(shift, held, tz, day, limit)
        if message:
            return message
    if shift.start <= now and shift.pk not in facts.help_shifts:
        return _("This visit has already started.")
    if taking_over:
        return None
    if len(shift.held) >= shift.carers_needed and not any(a.is_offered for a in shift.held):
        return _("This visit has just been taken: no place is free.")
    return None


def lasting_reasons(carer: Person, shifts: list[Shift]) -> dict[int, str]:
    """For visits the carer already holds, why they may no longer do them: the rules a change
    of record can break (they left the circle by then, the client would rather not, a check
    runs out before the day). Shifts need `circle`, `client` and `plan` loaded."""
    if not shifts:
        return {}
    facts = _Facts(carer, shifts, lasting_only=True)
    reasons = {}
    for shift in shifts:
        reason = _lasting_reason(shift, facts)
        if reason:
            reasons[shift.pk] = reason
    return reasons

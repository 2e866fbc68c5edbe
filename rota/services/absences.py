"""A carer off, leaving, or not wanted: their places go back to the circle for cover."""

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from circles.models import Membership, Role
from circles.permissions import cares_anywhere, circles_of, decides_for, leads
from people.models import CarerPreference, Client, Person, Preference
from rota.models import Absence, AbsenceKind, Action, Assignment, ReleaseReason
from rota.recurrence import aware_local
from rota.rules import Refused, check
from rota.services._base import (
    changed,
    has_free_place,
    lock_carers,
    lock_shifts,
    place,
    release_all,
    require_actor,
    require_aware,
    require_end_after,
    service,
)
from rota.services.help import open_help_request


def _leads_any_circle_of(actor: Person, carer: Person) -> bool:
    """A team leader (or coordinator) of a circle the carer cares in today."""
    return any(leads(actor, circle) for circle in circles_of(carer, Role.CARER))


def _release_all(
    places: QuerySet[Assignment], reason: ReleaseReason, now: datetime
) -> list[Assignment]:
    """Release these places, their shifts locked in primary-key order first."""
    shift_ids = list(places.values_list("shift_id", flat=True))
    lock_shifts(shift_ids)
    released = list(places.filter(released_at__isnull=True).select_related("shift"))
    release_all(released, reason, now)
    return released


def releases(carer: Person, start: datetime, end: datetime, now: datetime) -> QuerySet[Assignment]:
    """The places time off from start to end releases: held, in the period, not finished by
    now (a visit already over counts as done). The page that asks first shows the same."""
    return Assignment.objects.filter(
        carer=carer, released_at__isnull=True, start__lt=end, end__gt=max(start, now)
    )


@service
def record_absence(
    carer: Person, kind: str, start: datetime, end: datetime, *, actor: Person | None = None
) -> Absence:
    """The carer is off: their places in the period that have not started need cover; one
    already under way goes to the circle as a help request instead."""
    require_aware(start, end)
    require_actor(actor, lambda a: a == carer or _leads_any_circle_of(a, carer))
    if not cares_anywhere(carer):
        # Time off frees a carer's visits; a client or a relative has none to free.
        raise Refused("not_a_carer", _("Only a carer in a circle can record time off."))
    if kind not in AbsenceKind.values:
        raise Refused("bad_kind", _("Choose holiday, sick, training or other."))
    require_end_after(start, end)
    lock_carers(carer)
    now = timezone.now()
    absence = Absence.objects.create(carer=carer, kind=kind, start=start, end=end)
    released = _release_all(releases(carer, start, end, now), ReleaseReason.ABSENCE, now)
    absence.released.set(released)
    for assignment in released:
        if assignment.shift.has_started(now) and assignment.shift.end > now:
            open_help_request(assignment.shift.client, end=assignment.shift.end, raised_by=actor)
    changed(
        Action.RECORD_ABSENCE,
        absence,
        actor=actor,
        carers=[carer],
        circle_id=_circle_of(carer, released),
        after={
            "kind": kind,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "released": [a.pk for a in released],
        },
    )
    return absence


@service
def end_absence(absence: Absence, end: datetime, *, actor: Person | None = None) -> Absence:
    """The carer is back sooner (or later): the absence now ends at `end`."""
    require_aware(end)
    lock_carers(absence.carer)
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    carer = absence.carer
    require_actor(actor, lambda a: a == carer or _leads_any_circle_of(a, carer))
    require_end_after(absence.start, end)
    before = absence.end
    absence.end = end
    absence.save(update_fields=["end"])
    released: list[Assignment] = []
    if end > before:
        # Longer than first said: places in the added time need cover too.
        places = Assignment.objects.filter(
            carer=carer,
            released_at__isnull=True,
            start__lt=end,
            end__gt=before,
            start__gt=timezone.now(),
        )
        released = _release_all(places, ReleaseReason.ABSENCE, timezone.now())
        absence.released.add(*released)
    changed(
        Action.END_ABSENCE,
        absence,
        actor=actor,
        circle_id=_circle_of(carer, released),
        carers=[carer],
        before={"end": before.isoformat()},
        after={"end": end.isoformat()},
    )
    return absence


def declined_places(client: Client, carer: Person, now: datetime) -> QuerySet[Assignment]:
    """The carer's places on the client's visits still to come: what a "rather not" releases
    (the page asking "are you sure?" shows the same)."""
    return Assignment.objects.filter(
        carer=carer, shift__client=client, released_at__isnull=True, start__gt=now
    )


@service
def end_absence_early(absence: Absence, *, actor: Person | None = None) -> Absence:
    """“I'm better”: time off under way ends now, and the visits it released that nobody has
    taken since come back to the carer, each only where the rules still allow (the visit may
    have started, been cancelled or been taken meanwhile); the others stay with the circle."""
    lock_carers(absence.carer)
    absence = Absence.objects.select_for_update().select_related("carer").get(pk=absence.pk)
    carer = absence.carer
    require_actor(actor, lambda a: a == carer or _leads_any_circle_of(a, carer))
    now = timezone.now()
    if absence.end <= now:
        raise Refused("already_over", _("This time off is already over."))
    if absence.start >= now:
        raise Refused("not_started", _("This time off has not started yet."))
    before = absence.end
    # Ended first, so the rules no longer see the carer as off when each visit is judged.
    absence.end = now
    absence.save(update_fields=["end"])
    originals = list(
        absence.released.filter(release_reason=ReleaseReason.ABSENCE).order_by("start", "pk")
    )
    shifts = lock_shifts(old.shift_id for old in originals)
    restored: list[Assignment] = []
    not_restored: list[Assignment] = []
    for old in originals:
        shift = shifts[old.shift_id]
        # Only a free place comes back: one someone is giving away is theirs to hand on.
        if shift.is_live and has_free_place(shift) and not check(carer, shift, now=now):
            restored.append(place(shift, carer))
        else:
            not_restored.append(old)
    changed(
        Action.END_ABSENCE_EARLY,
        absence,
        actor=actor,
        circle_id=_circle_of(carer, originals),
        carers=[carer],
        before={"end": before.isoformat()},
        after={
            "end": now.isoformat(),
            "restored": [a.pk for a in restored],
            "not_restored": [a.pk for a in not_restored],
        },
    )
    return absence


@service
def decline_carer(client: Client, carer: Person, *, actor: Person | None = None) -> Client:
    """The client would rather not have this carer: recorded, and their future visits to the
    client need cover."""
    # The client or their representative decides (or a team leader records what the
    # client said); a relative may suggest it, not do it.
    require_actor(actor, lambda a: decides_for(a, client))
    now = timezone.now()
    preference, _created = CarerPreference.objects.update_or_create(
        client=client,
        carer=carer,
        defaults={"preference": Preference.NOT_WANTED, "recorded_at": now},
    )
    released = _release_all(declined_places(client, carer, now), ReleaseReason.NOT_WANTED, now)
    changed(
        Action.DECLINE_CARER,
        preference,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        carers=[carer],
        after={"preference": Preference.NOT_WANTED, "released": [a.pk for a in released]},
    )
    return client


def leaving_places(membership: Membership, end: date, now: datetime) -> QuerySet[Assignment]:
    """The places a carer leaving the circle on `end` (the first day they no longer visit)
    gives up: theirs in that circle, held, starting from that day, or from now when that day
    is today (a visit under way is finished by its carer). The page that asks first shows the
    same."""
    from_moment = max(aware_local(end, datetime.min.time(), membership.circle.tz), now)
    return Assignment.objects.filter(
        carer=membership.person,
        shift__circle=membership.circle,
        released_at__isnull=True,
        start__gte=from_moment,
    )


@service
def end_membership(membership: Membership, end: date, *, actor: Person | None = None) -> Membership:
    """A member leaving on `end`, the first day they are no longer one: as a carer, their
    places from that day need cover. A day already past, someone who has left, or a later
    day than the one they already leave on is refused: what is done stays done."""
    # The carer first, as a claim locks them: a visit taken at the same moment is either
    # seen here and released, or refused by the membership rule.
    lock_carers(membership.person)
    membership = (
        Membership.objects.select_for_update()
        .select_related("circle", "person")
        .get(pk=membership.pk)
    )
    require_actor(actor, lambda a: a == membership.person or leads(a, membership.circle))
    today = timezone.localdate(timezone=membership.circle.tz)
    before = membership.ended_on
    words = {"person": membership.person.full_name, "circle": membership.circle.name}
    if before is not None and before <= today:
        raise Refused("already_left", _("%(person)s has already left %(circle)s.") % words)
    if end < membership.started_on:
        raise Refused("end_before_start", _("A membership can't end before it started."))
    if end < today:
        raise Refused(
            "in_the_past", _("Choose today or a later day: a day already past can't change.")
        )
    if before is not None and end >= before:
        raise Refused(
            "already_leaving",
            _("%(person)s already leaves %(circle)s on %(day)s.")
            % {**words, "day": formats.date_format(before, "D j M")},
        )
    membership.ended_on = end
    membership.save(update_fields=["ended_on"])
    released: list[Assignment] = []
    if membership.role == Role.CARER:
        now = timezone.now()
        released = _release_all(
            leaving_places(membership, end, now), ReleaseReason.LEFT_CIRCLE, now
        )
    changed(
        Action.END_MEMBERSHIP,
        membership,
        actor=actor,
        circle_id=membership.circle_id,
        carers=[membership.person],
        before={"ended_on": before.isoformat() if before else None},
        after={"ended_on": end.isoformat(), "released": [a.pk for a in released]},
    )
    return membership


def _circle_of(carer: Person, released: list[Assignment]) -> int | None:
    """The one circle an absence concerns: where it released places, or else the carer's
    circle; None when that is several."""
    circles = {a.shift.circle_id for a in released} or set(
        circles_of(carer, Role.CARER).values_list("pk", flat=True)
    )
    return circles.pop() if len(circles) == 1 else None

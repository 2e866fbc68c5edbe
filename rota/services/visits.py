"""A carer at a visit: “I've arrived”, then “I've left” with what was done.

A tap made offline reaches the server later, with the phone's time (`at`) and an id made on
the phone (`tap`): the rules judge the time the carer tapped, not the time it was sent, and a
tap sent twice finds the record it made the first time and changes nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Person
from rota.models import (
    LINE_LIMIT,
    VISIT_NOTE_LIMIT,
    Action,
    Assignment,
    MedicationOutcome,
    MedicationRound,
    Shift,
    VisitRecord,
)
from rota.rules import Refused
from rota.services._base import (
    changed,
    lock_shift,
    require_actor,
    require_aware,
    require_live,
    service,
)

# "I've arrived" is there from this long before the visit starts (a carer early at the door).
ARRIVE_BEFORE = timedelta(minutes=30)
# And until this long after the visit was due to end: a carer who was held up and stays on,
# or who forgot to tap on the way in and does it on the way out, can still say they came.
# Later than that, nobody arriving is what the rota records (a missed visit), not a late tap.
ARRIVE_AFTER_END = timedelta(hours=1)
# A phone's clock may run this far ahead of the server's; further, the time is not believed.
CLOCK_SKEW = timedelta(minutes=2)


@dataclass(frozen=True)
class MedicineRound:
    """What happened to one of the plan's medicines at the visit; `reason` says why one was
    not given (needed then)."""

    medicine: str
    outcome: MedicationOutcome | str
    reason: str = ""


@service
def arrive(
    assignment: Assignment,
    *,
    at: datetime | None = None,
    tap: UUID | None = None,
    actor: Person | None = None,
) -> VisitRecord:
    """The carer arrived at the visit (`at`: when, the phone's time for an offline tap)."""
    shift, assignment = _lock(assignment, actor)
    if tap is not None:
        replayed = _replayed(VisitRecord.objects.filter(arrival_tap=tap), assignment)
        if replayed is not None:
            return replayed
    now = timezone.now()
    at = _believed(at or now, now)
    if assignment.released_at is not None:
        raise Refused("not_held", _("This visit is no longer yours."))
    require_live(shift)
    existing = VisitRecord.objects.filter(assignment=assignment).first()
    if existing is not None:
        raise Refused(
            "already_arrived",
            _("You already said you arrived, at %(time)s.")
            % {"time": _clock(existing.arrived_at, shift)},
        )
    if at < assignment.start - ARRIVE_BEFORE:
        raise Refused(
            "too_early",
            _("You can say you've arrived from %(time)s, 30 minutes before the visit.")
            % {"time": _clock(assignment.start - ARRIVE_BEFORE, shift)},
        )
    if at > assignment.end + ARRIVE_AFTER_END:
        raise Refused(
            "too_late",
            _("This visit ended at %(time)s: it is too late to say you arrived.")
            % {"time": _clock(assignment.end, shift)},
        )
    record = VisitRecord.objects.create(assignment=assignment, arrived_at=at, arrival_tap=tap)
    after = {"shift": shift.pk, "arrived_at": at.isoformat()}
    if assignment.missed:
        # Marked missed as the visit ended with no tap: the carer came and tapped late (within
        # the grace, or sent from a phone that was offline), so the visit was done after all.
        Assignment.objects.filter(pk=assignment.pk).update(missed=False)
        after["was_missed"] = True
    changed(
        Action.ARRIVE, record, actor=actor, shift=shift, carers=[assignment.carer_id], after=after
    )
    return record


@service
def leave(
    assignment: Assignment,
    *,
    at: datetime | None = None,
    tap: UUID | None = None,
    tasks_done: Iterable[str] = (),
    medication: Iterable[MedicineRound] = (),
    note: str = "",
    actor: Person | None = None,
) -> VisitRecord:
    """The carer left the visit, saying which of the plan's tasks they did, what happened to
    each medicine and how the client was."""
    shift, assignment = _lock(assignment, actor)
    if tap is not None:
        replayed = _replayed(VisitRecord.objects.filter(leaving_tap=tap), assignment)
        if replayed is not None:
            return replayed
    now = timezone.now()
    at = _believed(at or now, now)
    record = VisitRecord.objects.select_for_update().filter(assignment=assignment).first()
    if record is None:
        raise Refused("not_arrived", _("Say you've arrived first."))
    if record.left_at is not None:
        raise Refused(
            "already_left",
            _("You already said you left, at %(time)s.") % {"time": _clock(record.left_at, shift)},
        )
    if at <= record.arrived_at:
        raise Refused(
            "left_before_arriving",
            _("You arrived at %(time)s: the time you left must be after that.")
            % {"time": _clock(record.arrived_at, shift)},
        )
    tasks = _tasks(shift, tasks_done)
    rounds = _rounds(shift, medication)
    note = note.strip()
    if len(note) > VISIT_NOTE_LIMIT:
        raise Refused(
            "note_too_long",
            _("Keep the note to %(limit)d characters or fewer.") % {"limit": VISIT_NOTE_LIMIT},
        )
    record.left_at, record.leaving_tap, record.tasks_done, record.note = at, tap, tasks, note
    record.save(update_fields=["left_at", "leaving_tap", "tasks_done", "note"])
    MedicationRound.objects.bulk_create(
        MedicationRound(record=record, medicine=r.medicine, outcome=r.outcome, reason=r.reason)
        for r in rounds
    )
    changed(
        Action.LEAVE,
        record,
        actor=actor,
        shift=shift,
        carers=[assignment.carer_id],
        after={"shift": shift.pk, "left_at": at.isoformat()},
    )
    return record


def _lock(assignment: Assignment, actor: Person | None) -> tuple[Shift, Assignment]:
    """The visit locked (two taps at once, or both carers of a double-up, are judged one
    after the other) and the place as it is now; only its carer may tap for it."""
    shift = lock_shift(assignment.shift)
    current = Assignment.objects.get(pk=assignment.pk)
    require_actor(actor, lambda a: a.pk == current.carer_id)
    return shift, current


def _replayed(records, assignment: Assignment) -> VisitRecord | None:
    """The record a tap with this id made already (the phone sent it again), if any."""
    found = records.first()
    if found is not None and found.assignment_id != assignment.pk:
        raise Refused("tap_elsewhere", _("That tap was for another visit."))
    return found


def _believed(at: datetime, now: datetime) -> datetime:
    require_aware(at)
    at = at.astimezone(UTC)  # stored and shown in the trail as every other time is
    if at > now + CLOCK_SKEW:
        raise Refused(
            "in_the_future",
            _("That time is still to come. Check the clock on your phone."),
        )
    return at


def _tasks(shift: Shift, tasks_done: Iterable[str]) -> list[str]:
    """The tasks ticked, each once, in the plan's order; each must be one of the plan's."""
    planned = shift.plan.tasks if shift.plan is not None else []
    ticked = set(tasks_done)
    for task in ticked:
        if task not in planned:
            raise Refused(
                "not_a_task",
                _("“%(task)s” is not one of this visit's tasks.") % {"task": task[:LINE_LIMIT]},
            )
    return [task for task in planned if task in ticked]


def _rounds(shift: Shift, medication: Iterable[MedicineRound]) -> list[MedicineRound]:
    """Each medicine's outcome, checked against the plan: once each, one of the outcomes,
    and a reason when it was not given."""
    rounds = [MedicineRound(r.medicine, r.outcome, r.reason.strip()) for r in medication]
    if rounds and not shift.needs_medication:
        raise Refused("no_medication", _("This visit has no medicines to give."))
    planned = shift.plan.medicines if shift.plan is not None else []
    seen: set[str] = set()
    for item in rounds:
        words = {"medicine": item.medicine[:LINE_LIMIT]}
        if item.medicine not in planned:
            raise Refused(
                "not_a_medicine", _("“%(medicine)s” is not one of this visit's medicines.") % words
            )
        if item.medicine in seen:
            raise Refused("medicine_twice", _("Say once what happened to %(medicine)s.") % words)
        seen.add(item.medicine)
        if item.outcome not in MedicationOutcome.values:
            raise Refused(
                "no_outcome",
                _("Say whether %(medicine)s was given, refused or not given.") % words,
            )
        if item.outcome == MedicationOutcome.NOT_GIVEN and not item.reason:
            raise Refused("no_reason", _("Say why %(medicine)s was not given.") % words)
        if len(item.reason) > LINE_LIMIT:
            raise Refused(
                "reason_too_long",
                _("Keep the reason %(medicine)s was not given to %(limit)d characters or fewer.")
                % {**words, "limit": LINE_LIMIT},
            )
    return rounds


def _clock(moment: datetime, shift: Shift) -> str:
    return timezone.localtime(moment, shift.circle.tz).strftime("%H:%M")

"""Reads that more than one audience's pages share."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING, Literal, TypedDict, overload

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from people.models import Client, Person
from rota.models import (
    Assignment,
    LateStep,
    LateVisitStep,
    MedicationRound,
    Offer,
    OfferStatus,
    Shift,
    VisitRecord,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Offered(TypedDict):
    """What held_places(offered=True) adds to each place: is its holder giving it away."""

    is_offered: bool


class Held(TypedDict):
    """What held_places adds to a shift: its places held now, carers fetched."""

    held: list[Assignment]


class HeldOffered(TypedDict):
    """What held_places(offered=True) adds to a shift: the same, each place with `is_offered`
    (what rota.rules.check_many reads instead of asking again)."""

    held: "list[HeldPlace]"


if TYPE_CHECKING:
    HeldPlace = WithAnnotations[Assignment, Offered]
    HeldShift = WithAnnotations[Shift, Held]
    CoverShift = WithAnnotations[Shift, HeldOffered]


def open_offers() -> QuerySet[Offer]:
    """The open offer of the place in the outer query, if its holder is giving it away."""
    return Offer.objects.filter(assignment=OuterRef("pk"), status=OfferStatus.OPEN)


# Typed so that django-stubs knows the shifts of a query with held_places() have `held` (each
# place with `is_offered` when offered=True). From a related path the places land on the
# related shift, which it cannot follow: held_places("shift__assignments") is a plain
# Prefetch, and the code reading it says what it holds.
@overload
def held_places(
    *, offered: Literal[False] = False
) -> "Prefetch[str, QuerySet[Assignment], Literal['held']]": ...
@overload
def held_places(
    *, offered: Literal[True]
) -> "Prefetch[str, QuerySet[HeldPlace], Literal['held']]": ...
@overload
def held_places(path: str, *, offered: bool = False) -> Prefetch: ...
def held_places(path: str = "assignments", *, offered: bool = False) -> Prefetch:
    """A shift's places held now, with their carers, as `held` on the shift at `path` (e.g.
    "shift__assignments" from a place); with `offered`, each says whether its holder is
    giving it away (`is_offered`)."""
    # With each carer's photo and lines about themselves, which the family pages show.
    places = Assignment.objects.filter(released_at__isnull=True).select_related(
        "carer__carer_profile"
    )
    if offered:
        places = places.annotate(is_offered=Exists(open_offers()))
    return Prefetch(path, queryset=places.order_by("created_at", "pk"), to_attr="held")


# "What happened" looks this far back.
LAST_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class CarerAtVisit:
    """One carer on a visit, and what they recorded: their arrival and leaving beside the
    planned times, or nothing (not arrived yet, or missed)."""

    carer: Person
    record: VisitRecord | None
    missed: bool
    # The carer's place, which a thank-you is for.
    place_id: int


@dataclass(frozen=True)
class VisitDone:
    """One visit of the last week, as its client and the people who speak for them see it."""

    shift: Shift
    carers: list[CarerAtVisit]
    # Nobody arrived, and the visit was marked missed (a carer's place, or the visit itself
    # when nobody was on it).
    missed: bool
    # Whether the visit is still going on at the moment asked about.
    under_way: bool
    # What the carers said as they left: known once one of them has left.
    left: bool
    tasks_done: list[str]
    tasks_not_done: list[str]
    medication: list[MedicationRound]
    medicines_not_recorded: list[str]
    # Each carer's note, with who wrote it.
    notes: list[tuple[Person, str]]


def visits_done(client: Client, now: datetime) -> list[tuple[date, list[VisitDone]]]:
    """The client's visits that started in the last 7 days, latest first, by local day: who
    came, when they arrived and left, what was done, each medicine round and the notes.

    Four queries however many visits: the visits with their plans, the places (carers and
    records), the medicine rounds, and the missed marks.
    """
    places = (
        Assignment.objects.filter(
            # Who held the place when the visit happened: a place given up before it is
            # someone else's story; a carer who arrived or was missed stays on it.
            Q(released_at__isnull=True) | Q(record__isnull=False) | Q(missed=True)
        )
        .select_related("carer", "record")
        .prefetch_related("record__medication")
        .order_by("created_at", "pk")
    )
    shifts = (
        Shift.objects.filter(client=client, start__gt=now - LAST_WEEK, start__lte=now)
        .select_related("plan")
        .prefetch_related(
            Prefetch("assignments", queryset=places, to_attr="places"),
            Prefetch(
                "late_steps",
                queryset=LateVisitStep.objects.filter(step=LateStep.MISSED),
                to_attr="missed_steps",
            ),
        )
        .order_by("-start", "-pk")
    )
    tz = client.circle.tz
    visits = [_visit_done(shift, now) for shift in shifts]
    return [
        (day, list(group))
        for day, group in groupby(
            visits, key=lambda v: timezone.localtime(v.shift.start, tz).date()
        )
    ]


def _visit_done(shift: Shift, now: datetime) -> VisitDone:
    # Set by the prefetches of visits_done.
    places: list[Assignment] = shift.places  # type: ignore[attr-defined]
    missed_steps: list[LateVisitStep] = shift.missed_steps  # type: ignore[attr-defined]
    records = [place.record for place in places if _record_of(place) is not None]
    left = [record for record in records if record.left_at is not None]
    plan_tasks = list(shift.plan.tasks) if shift.plan else []
    plan_medicines = list(shift.plan.medicines) if shift.plan else []
    done = list(dict.fromkeys(task for record in left for task in record.tasks_done))
    medication = [round_ for record in left for round_ in record.medication.all()]
    recorded = {round_.medicine for round_ in medication}
    return VisitDone(
        shift=shift,
        carers=[
            CarerAtVisit(place.carer, _record_of(place), missed=place.missed, place_id=place.pk)
            for place in places
        ],
        missed=not records and (any(place.missed for place in places) or bool(missed_steps)),
        under_way=shift.end > now,
        left=bool(left),
        # The plan's tasks in its order, then any done that the plan no longer lists.
        tasks_done=[task for task in plan_tasks if task in done]
        + [task for task in done if task not in plan_tasks],
        tasks_not_done=[task for task in plan_tasks if task not in done] if left else [],
        medication=medication,
        medicines_not_recorded=[m for m in plan_medicines if m not in recorded] if left else [],
        notes=[(place.carer, place.record.note) for place in places if _note_of(place)],
    )


def _record_of(place: Assignment) -> VisitRecord | None:
    try:
        return place.record
    except VisitRecord.DoesNotExist:
        return None


def _note_of(place: Assignment) -> str:
    record = _record_of(place)
    return record.note.strip() if record is not None else ""

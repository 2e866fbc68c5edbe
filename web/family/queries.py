"""What the family and client pages read: each a fixed number of queries, however many
visits there are."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from circles.models import Membership, Role
from people.models import Client, Person, Preference
from rota.familiarity import familiar_pairs, visited_pairs
from rota.generation import horizon
from rota.models import (
    Action,
    Assignment,
    AuditEvent,
    FamilyVisit,
    FamilyVisitStatus,
    HelpRequest,
    HelpStatus,
    NewFaceRequest,
    NewFaceStatus,
    Shift,
    ShiftStatus,
    SwapStatus,
    frees,
)
from rota.recurrence import aware_local
from rota.services.help import OPEN
from web.queries import held_places

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class CarerComing:
    person: Person
    familiar: bool
    # Has never done a visit of the client's: "new to you".
    first_time: bool


@dataclass(frozen=True)
class ComingVisit:
    shift: Shift
    carers: list[CarerComing]
    places_to_find: int
    freed_by: FamilyVisit | None


def coming_visits(client: Client, now: datetime) -> list[tuple[date, list[ComingVisit]]]:
    """The client's visits over the next 7 days (and one under way), by local day.

    Five queries: shifts, their carers (with their photo and lines about themselves), the
    family visits that freed them, familiarity, and who has visited before.
    """
    shifts = list(
        Shift.objects.filter(client=client, end__gt=now, start__lt=now + WEEK)
        .select_related("plan")
        .prefetch_related(
            held_places(),
            Prefetch(
                "freed_by",
                queryset=FamilyVisit.objects.filter(status=FamilyVisitStatus.ACTIVE).select_related(
                    "family_member"
                ),
                to_attr="freeing",
            ),
        )
    )
    pairs = {(client.pk, a.carer_id) for shift in shifts for a in shift.held}
    familiar = familiar_pairs(pairs, now=now)
    visited = visited_pairs(pairs, now=now)
    visits = [
        ComingVisit(
            shift=shift,
            carers=[
                CarerComing(
                    a.carer,
                    familiar=(client.pk, a.carer_id) in familiar,
                    first_time=(client.pk, a.carer_id) not in visited,
                )
                for a in shift.held
            ],
            places_to_find=max(shift.carers_needed - len(shift.held), 0)
            if shift.status == ShiftStatus.PLANNED
            else 0,
            freed_by=shift.freeing[0] if shift.freeing else None,
        )
        for shift in shifts
    ]
    tz = client.circle.tz
    return [
        (day, list(group))
        for day, group in groupby(
            visits, key=lambda v: timezone.localtime(v.shift.start, tz).date()
        )
    ]


def current_help_request(client: Client, now: datetime) -> HelpRequest | None:
    """A call for help that is still open, or answered and its visit not over yet."""
    return (
        HelpRequest.objects.filter(client=client, shift__end__gt=now)
        .exclude(status=HelpStatus.CANCELLED)
        .order_by("-raised_at")
        .first()
    )


def open_help_request(client: Client) -> HelpRequest | None:
    """A call for help still waiting for a carer: asking again finds this one."""
    return HelpRequest.objects.filter(client=client, status__in=OPEN).first()


@dataclass(frozen=True)
class WindowPreview:
    freed: list[Shift]
    # Each with why it still happens: "essential", "partly" (only partly inside) or "started".
    still_happen: list[tuple[Shift, str]]
    # The last day the rota is made to, when the window runs past it; else None.
    made_until: date | None


def window_preview(client: Client, start: datetime, end: datetime, now: datetime) -> WindowPreview:
    """What saying "I'll be with them from start to end" would free, and what still happens."""
    touching = Shift.objects.filter(
        client=client, status=ShiftStatus.PLANNED, start__lt=end, end__gt=max(start, now)
    ).select_related("plan")
    freed = list(touching.filter(frees(start, end, now)))
    freed_ids = {shift.pk for shift in freed}
    still = []
    for shift in touching:
        if shift.pk in freed_ids:
            continue
        if shift.essential:
            why = "essential"
        elif shift.start <= now:
            why = "started"
        else:
            why = "partly"
        still.append((shift, why))
    return WindowPreview(freed, still, not_made_after(client, end))


def not_made_after(client: Client, end: datetime) -> date | None:
    """The last day of the rota's horizon (rota.generation) when a window ending at `end`
    runs past it: the visits after it are made later, and a family visit frees them then."""
    _, first_not_made = horizon(client.circle)
    if end <= aware_local(first_not_made, time(0), client.circle.tz):
        return None
    return first_not_made - timedelta(days=1)


def upcoming_family_visits(client: Client, now: datetime) -> QuerySet[FamilyVisit]:
    """Family visits not over yet, with how many visits each freed."""
    return (
        FamilyVisit.objects.filter(client=client, status=FamilyVisitStatus.ACTIVE, end__gt=now)
        .select_related("family_member")
        .annotate(freed=Count("freed_shifts"))
        .order_by("start")
    )


@dataclass(frozen=True)
class NewFace:
    carer: Person
    first_visit: Shift
    visits: int
    # Has never done a visit of the client's: "new to you".
    first_time: bool


def new_faces(client: Client, now: datetime) -> list[NewFace]:
    """Carers due in the next 7 days who are not familiar to the client and whom the client
    has not yet said are fine: five queries (places, familiarity, approvals, visits before)."""
    places = list(
        Assignment.objects.filter(
            shift__client=client,
            shift__status=ShiftStatus.PLANNED,
            released_at__isnull=True,
            start__gt=now,
            start__lt=now + WEEK,
        )
        .select_related("carer__carer_profile", "shift")
        .order_by("start", "id")
    )
    if not places:
        return []
    pairs = {(client.pk, place.carer_id) for place in places}
    known = familiar_pairs(pairs, now=now) | _welcomed(client)
    visited = visited_pairs(pairs, now=now)
    faces: dict[int, NewFace] = {}
    for place in places:
        if (client.pk, place.carer_id) in known:
            continue
        face = faces.get(place.carer_id)
        faces[place.carer_id] = NewFace(
            place.carer,
            face.first_visit if face else place.shift,
            face.visits + 1 if face else 1,
            first_time=(client.pk, place.carer_id) not in visited,
        )
    return list(faces.values())


def carer_wishes(client: Client) -> dict[str, list[Person]]:
    """The carers the client would rather have ("preferred") and rather not ("not_wanted")."""
    wishes: dict[str, list[Person]] = {choice: [] for choice in Preference.values}
    for wish in client.carer_preferences.select_related("carer").order_by("carer__full_name"):
        wishes[wish.preference].append(wish.carer)
    return wishes


def carers_and_wishes(client: Client) -> list[tuple[Person, str | None]]:
    """Each carer of the client's circle today, by name, with the client's wish about them
    ("preferred", "not_wanted" or None); a carer no longer in the circle but still wished
    about is listed too, so the wish can be lifted. Two queries."""
    wishes = dict(client.carer_preferences.values_list("carer_id", "preference"))
    today = Membership.objects.current().filter(circle_id=client.circle_id, role=Role.CARER)
    people = Person.objects.filter(
        Q(pk__in=today.values("person_id")) | Q(pk__in=list(wishes))
    ).order_by("full_name")
    return [(person, wishes.get(person.pk)) for person in people]


def _welcomed(client: Client) -> set[tuple[int, int]]:
    """(client id, carer id) pairs of the carers the client has said are fine to visit, or
    said yes to when asked first about one of their visits (a yes that came too late
    aside): one query. Neither is asked about again as a new face coming."""
    said = AuditEvent.objects.filter(
        client_id=client.pk, action__in=[Action.APPROVE_CARER, Action.APPROVE_NEW_FACE]
    ).values_list("action", "carer_ids", "after")
    welcomed = set()
    for action, carer_ids, after in said:
        if action == Action.APPROVE_CARER:
            welcomed |= set(carer_ids)
        elif "lapsed" not in after and carer_ids:
            # The carer asked about comes first; whoever gave the visit away, after.
            welcomed.add(carer_ids[0])
    return {(client.pk, carer_id) for carer_id in welcomed}


def open_questions(client: Client, *, now: datetime) -> list[NewFaceRequest]:
    """The client's questions about new carers still waiting for an answer, soonest visit
    first: visits still planned and not started, swaps still open. One query."""
    return list(
        NewFaceRequest.objects.filter(
            shift__client=client,
            status=NewFaceStatus.ASKED,
            shift__status=ShiftStatus.PLANNED,
            shift__start__gt=now,
        )
        .filter(Q(swap__isnull=True) | Q(swap__status=SwapStatus.PROPOSED))
        .select_related("shift", "carer__carer_profile", "swap")
        .order_by("shift__start", "pk")
    )

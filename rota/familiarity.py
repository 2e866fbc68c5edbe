"""Who is a familiar face to whom (docs/design.md, Capacity and continuity).

A carer is familiar to a client when the client prefers them, or when they did at least
two of the client's visits in the last 28 days. Pages ask it for every visit they show and
the team leaders' continuity figures for every client, so it answers for many pairs at once
in a fixed number of queries.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone

from people.models import CarerPreference, Client, Person, Preference
from rota import audit
from rota.models import Action, Assignment, AuditEvent, ShiftStatus

RECENT = timedelta(days=28)
VISITS_TO_BE_FAMILIAR = 2

Pair = tuple[int, int]  # (client id, carer id)


def familiar_pairs(pairs: Iterable[Pair], *, now: datetime | None = None) -> set[Pair]:
    """Those of the (client id, carer id) pairs where the carer is familiar to the client.

    One query whatever the number of pairs (none when there are none), the union of
    1. the client's preferred carers among them;
    2. the carers who did two or more visits of the client in the 28 days before `now`. A
       visit counts once it is over, unless the carer released it (then someone else went)
       or it was marked missed, or the visit was freed or cancelled.
    """
    wanted = set(pairs)
    if not wanted:
        return set()
    now = now or timezone.now()
    client_ids = {client_id for client_id, _ in wanted}
    carer_ids = {carer_id for _, carer_id in wanted}
    preferred = (
        CarerPreference.objects.filter(
            client_id__in=client_ids, carer_id__in=carer_ids, preference=Preference.PREFERRED
        )
        .values_list("client_id", "carer_id")
        .order_by()
    )
    visited = (
        Assignment.objects.filter(
            shift__client_id__in=client_ids,
            shift__status=ShiftStatus.PLANNED,
            carer_id__in=carer_ids,
            released_at__isnull=True,
            missed=False,
            start__gte=now - RECENT,
            end__lte=now,
        )
        .values("shift__client_id", "carer_id")
        .annotate(visits=Count("shift_id", distinct=True))
        .filter(visits__gte=VISITS_TO_BE_FAMILIAR)
        .values_list("shift__client_id", "carer_id")
        .order_by()
    )
    # The query asks for every client x carer combination; keep only the pairs asked about.
    return set(preferred.union(visited)) & wanted


def visited_pairs(pairs: Iterable[Pair], *, now: datetime | None = None) -> set[Pair]:
    """Those of the (client id, carer id) pairs where the carer has ever done a visit of the
    client's (counted as familiar_pairs counts one): the others are "new to you". One query
    (none when there are no pairs)."""
    wanted = set(pairs)
    if not wanted:
        return set()
    done = Assignment.objects.filter(
        shift__client_id__in={client_id for client_id, _ in wanted},
        shift__status=ShiftStatus.PLANNED,
        carer_id__in={carer_id for _, carer_id in wanted},
        released_at__isnull=True,
        missed=False,
        end__lte=now or timezone.now(),
    )
    return set(done.values_list("shift__client_id", "carer_id").distinct()) & wanted


def approve_new_face(client: Client, carer: Person, *, actor: Person | None) -> None:
    """The client (or someone speaking for them) says a new carer is fine to visit.

    Nothing on the rota changes and the carer does not become "preferred" (that would
    count them as familiar and flatter the circle's continuity): the approval is kept in
    the audit trail, which says who approved whom and when, and the prompt stops asking.
    """
    audit.record(
        Action.APPROVE_CARER,
        client,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        carer_ids=[carer.pk],
    )


def approved_pairs(client_ids: Iterable[int]) -> set[Pair]:
    """(client id, carer id) pairs where the client has said the carer is fine: one query."""
    approvals = AuditEvent.objects.filter(
        action=Action.APPROVE_CARER, client_id__in=set(client_ids)
    )
    return {
        (client_id, carer_id)
        for client_id, carer_ids in approvals.values_list("client_id", "carer_ids")
        if client_id is not None
        for carer_id in carer_ids
    }


def month_of(moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The calendar month `moment` falls in, in the time zone `tz`: its first moment and the
    first moment of the next (a client's new-face limit counts by these)."""
    first = timezone.localtime(moment, tz).date().replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    return _midnight(first, tz), _midnight(following, tz)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz)


def first_visits(
    client_ids: Iterable[int], *, before: datetime, leaving_out: int | None = None
) -> dict[Pair, datetime]:
    """When each carer first visited each client, for the carers the client does not prefer
    (a preferred carer is never new), counting visits that start before `before`: done or
    still held, as visited_pairs counts one (not given away, not missed, not freed or
    cancelled). `leaving_out` is a place left out (one a carer gives up in a swap). One
    query: a client's new carers in a month are those whose first visit falls in it."""
    preferred = CarerPreference.objects.filter(
        client_id=OuterRef("shift__client_id"),
        carer_id=OuterRef("carer_id"),
        preference=Preference.PREFERRED,
    )
    places = Assignment.objects.filter(
        shift__client_id__in=set(client_ids),
        shift__status=ShiftStatus.PLANNED,
        released_at__isnull=True,
        missed=False,
        start__lt=before,
    ).exclude(Exists(preferred))
    if leaving_out is not None:
        places = places.exclude(pk=leaving_out)
    firsts = (
        places.values("shift__client_id", "carer_id")
        .annotate(first=Min("start"))
        .values_list("shift__client_id", "carer_id", "first")
        .order_by()
    )
    return {(client_id, carer_id): first for client_id, carer_id, first in firsts}


def new_faces_this_month(clients: Iterable[Client], *, now: datetime) -> dict[int, int]:
    """How many carers new to each client have come (or are booked to come) this calendar
    month of the client's circle, as the new-face rule counts them: by client id, one query
    (none for no clients). Each client's `circle` should be read with it."""
    months = {client.pk: month_of(now, client.circle.tz) for client in clients}
    if not months:
        return {}
    firsts = first_visits(months, before=max(end for _start, end in months.values()))
    met = dict.fromkeys(months, 0)
    for (client_id, _carer_id), first in firsts.items():
        start, end = months[client_id]
        if start <= first < end:
            met[client_id] += 1
    return met

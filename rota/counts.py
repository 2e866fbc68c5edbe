"""Places rightly held, kept on each visit (`Shift.places_held`) as the rota changes.

A place is rightly held while its carer passes the rules that a change of record can break:
the client has not said "rather not" of them, and every check the visit needs is valid on
its day. Capacity (circles.capacity), the sweep and the dashboard read the count instead of
working it out for every visit they judge.

Each change that moves a count recounts the visits it touched, in its own transaction: a
carer placed or released (rota.services), and a check, a "rather not", or the checks a plan
or a client's emergencies need, changed by a service or in the admin (the receivers below,
connected by rota.apps). The visits' rows are locked first and counted in a new statement,
so of two changes to one visit at the same moment the later counts what both did.
`reconcile`, run every night, puts right any count that differs from a recount, and says so.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from people.models import CarerPreference, Client, Credential, Preference
from rota.models import Assignment, Shift, VisitPlan
from rota.sql import LocalDate

log = logging.getLogger(__name__)


def rightly_held() -> QuerySet[Assignment]:
    """Held places whose carer still passes the rules a change of record can break: the
    client has not said "rather not", and every check the visit needs is valid on its day."""
    not_wanted = CarerPreference.objects.filter(
        client_id=OuterRef("shift__client_id"),
        carer_id=OuterRef("carer_id"),
        preference=Preference.NOT_WANTED,
    )
    # Referenced from the "check needed" rows, one level further in.
    valid = Credential.objects.filter(
        person_id=OuterRef(OuterRef("carer_id")),
        type_id=OuterRef("credentialtype_id"),
        valid_until__gte=OuterRef(OuterRef("day")),
    )
    plan_check_missing = VisitPlan.credentials_needed.through.objects.filter(
        visitplan_id=OuterRef("shift__plan_id")
    ).filter(~Exists(valid))
    # A help request's visit has no plan: it needs the client's emergency checks.
    emergency_check_missing = Client.emergency_credentials.through.objects.filter(
        client_id=OuterRef("shift__client_id")
    ).filter(~Exists(valid))
    return (
        Assignment.objects.filter(released_at__isnull=True)
        .alias(day=LocalDate("start", "shift__circle__timezone"))
        .filter(~Exists(not_wanted), ~Exists(plan_check_missing))
        .filter(~Q(shift__plan__isnull=True) | ~Exists(emergency_check_missing))
    )


def _recounted() -> Coalesce:
    """The visit's places rightly held, counted now: for an UPDATE or annotation of shifts."""
    held = (
        rightly_held()
        .filter(shift_id=OuterRef("pk"))
        .values("shift_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held), 0, output_field=IntegerField())


def recount(shift_ids: Iterable[int]) -> None:
    """Count again the places rightly held on these visits, in the caller's transaction."""
    ids = sorted(set(shift_ids))
    if not ids:
        return
    with transaction.atomic(savepoint=False):
        # 1. Lock the rows, in primary-key order as every change does. 2. Count in a new
        #    statement, which sees what a change that held a lock meanwhile committed.
        list(Shift.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        Shift.objects.filter(pk__in=ids).update(places_held=_recounted())


def recount_all() -> None:
    """Count every visit's places again, in one statement: after places were written in
    bulk, going round the services (the benchmarks' seeding)."""
    Shift.objects.update(places_held=_recounted())


def recount_held(places: Q) -> None:
    """Count again the visits on which a place matching `places` is held."""
    recount(
        Assignment.objects.filter(places, released_at__isnull=True).values_list(
            "shift_id", flat=True
        )
    )


def drifted() -> QuerySet[Shift]:
    """Visits whose count differs from a recount: none, unless a change went round the
    services and the admin (a bulk insert, a check type deleted with its plans' needs)."""
    return Shift.objects.alias(recounted=_recounted()).exclude(places_held=F("recounted"))


def reconcile() -> int:
    """Put right every count that differs from a recount; returns how many did."""
    ids = list(drifted().values_list("pk", flat=True))
    if ids:
        log.warning("Places held recounted on %d visits whose count had drifted.", len(ids))
        recount(ids)
    return len(ids)


# --- records whose change moves a count: connected in rota.apps --------------------------------


def credential_changed(instance: Credential, **kwargs: Any) -> None:
    recount_held(Q(carer_id=instance.person_id))


def wish_changed(instance: CarerPreference, **kwargs: Any) -> None:
    recount_held(Q(carer_id=instance.carer_id, shift__client_id=instance.client_id))


def plan_checks_changed(
    instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """A plan's checks changed (from the check type's side, `pk_set` names the plans)."""
    if action.startswith("post_"):
        plans = (pk_set or set()) if reverse else {instance.pk}
        recount_held(Q(shift__plan_id__in=plans))


def emergency_checks_changed(
    instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """The checks a client's calls for help need changed."""
    if action.startswith("post_"):
        clients = (pk_set or set()) if reverse else {instance.pk}
        recount_held(Q(shift__client_id__in=clients, shift__plan__isnull=True))

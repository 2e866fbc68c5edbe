"""Continuity per client (docs/design.md, Capacity and continuity): how many different carers came
in the last 28 days, and what share of the visits were done by carers familiar to the client,
against the 28 days before, so a team leader sees which way it is going.

"Familiar" is rota.familiarity's: preferred, or at least two of the client's visits in the
28 days. Each period is judged at its own end, so a carer who came twice counts as familiar
for both visits. Five queries for any number of clients.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from circles.payroll import visits_done
from rota.familiarity import RECENT, familiar_pairs

BETTER, WORSE, SAME, NEW = "better", "worse", "same", "new"
# A change of less than this many percentage points is "about the same".
STEADY_POINTS = 5


@dataclass(frozen=True)
class Period:
    """One 28-day period of one client's visits."""

    visits: int = 0
    familiar_visits: int = 0
    # Visits done, by carer id.
    by_carer: dict[int, int] = field(default_factory=dict)
    familiar: frozenset[int] = frozenset()

    @property
    def carers(self) -> int:
        return len(self.by_carer)

    @property
    def percent_familiar(self) -> int | None:
        """Share of visits done by familiar carers, or None with no visits to judge."""
        if not self.visits:
            return None
        return round(100 * self.familiar_visits / self.visits)


@dataclass(frozen=True)
class Continuity:
    client_id: int
    recent: Period
    before: Period

    @property
    def trend(self) -> str:
        """Compared with the 28 days before: better, worse, the same, or new (nothing before
        to compare with)."""
        now, then = self.recent.percent_familiar, self.before.percent_familiar
        if now is None or then is None:
            return NEW
        if now >= then + STEADY_POINTS:
            return BETTER
        if now <= then - STEADY_POINTS:
            return WORSE
        return SAME


def continuity(client_ids: Iterable[int], *, now: datetime) -> dict[int, Continuity]:
    """Continuity of each client, by client id: the 28 days to `now` and the 28 before.

    1. Visits done per client, carer and period (one query).
    2. Which of those carers were familiar to the client at the end of each period
       (rota.familiarity, one query a period).
    """
    ids = list(client_ids)
    split = now - RECENT
    rows = (
        visits_done(now)
        .filter(shift__client_id__in=ids, start__gte=now - 2 * RECENT, start__lt=now)
        .values(
            "shift__client_id",
            "carer_id",
            recent=ExpressionWrapper(Q(start__gte=split), output_field=BooleanField()),
        )
        .annotate(visits=Count("shift_id", distinct=True))
        .order_by()
    )
    # Visits done, by period (recent or not), client and carer.
    counts: dict[bool, dict[int, dict[int, int]]] = {
        True: defaultdict(dict),
        False: defaultdict(dict),
    }
    for row in rows:
        counts[row["recent"]][row["shift__client_id"]][row["carer_id"]] = row["visits"]
    familiar = {
        recent: familiar_pairs(
            [(client, carer) for client, carers in counts[recent].items() for carer in carers],
            now=now if recent else split,
        )
        for recent in (True, False)
    }
    return {
        client_id: Continuity(
            client_id=client_id,
            recent=_period(counts[True].get(client_id, {}), client_id, familiar[True]),
            before=_period(counts[False].get(client_id, {}), client_id, familiar[False]),
        )
        for client_id in ids
    }


def _period(by_carer: dict[int, int], client_id: int, familiar: set) -> Period:
    known = frozenset(carer for carer in by_carer if (client_id, carer) in familiar)
    return Period(
        visits=sum(by_carer.values()),
        familiar_visits=sum(n for carer, n in by_carer.items() if carer in known),
        by_carer=dict(by_carer),
        familiar=known,
    )

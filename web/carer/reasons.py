"""Why a carer may not take a visit, for many visits at once, in the rules' words.

A thin layer over rota.rules.check_many (one implementation of the rules, the carer's facts
read once for the whole list): each keeps the first message per visit. The change itself is
always decided by rules.check inside the service.
"""

from collections.abc import Sequence
from datetime import datetime

from people.models import Person
from rota import rules
from rota.models import Assignment, Shift
from rota.services.asking import asks_first


def first_reasons(carer: Person, shifts: Sequence[Shift], *, now: datetime) -> dict[int, str]:
    """For each shift the carer may not take, the message of the first rule that fails
    (rules.check's first violation). Shifts need `circle`, `client` and `plan` loaded and
    `held` prefetched, each held place with `is_offered` (shifts_needing_cover does both).
    """
    return _first(rules.check_many(carer, shifts, now=now))


def cover_reasons(
    carer: Person, shifts: Sequence[Shift], *, now: datetime
) -> tuple[dict[int, str], set[int]]:
    """`first_reasons`, and the shifts the carer may still ask to take: only the client's
    new-face limit stops them, and the client chose to be asked first
    (rota.services.asking)."""
    judged = rules.check_many(carer, shifts, now=now)
    askable = {s.pk for s in shifts if asks_first(s.client, judged[s.pk])}
    return _first(judged), askable


def swap_reasons(
    mine: Assignment, theirs: Sequence[Assignment], *, now: datetime
) -> dict[int, str]:
    """For each colleague's place the carer may not have in exchange for `mine`, the first
    rule that fails: rules.check(carer, their shift, giving_up=mine, taking_over=theirs),
    the proposer's side that propose_swap checks. Keyed by their place's id."""
    by_shift = _first(
        rules.check_many(
            mine.carer,
            [place.shift for place in theirs],
            giving_up=mine,
            taking_over=theirs,
            now=now,
        )
    )
    return {place.pk: by_shift[place.shift_id] for place in theirs if place.shift_id in by_shift}


def lasting_reasons(carer: Person, shifts: Sequence[Shift]) -> dict[int, str]:
    """For visits the carer already holds, why they may no longer do them: the rules a change
    of record can break (they left the circle by then, the client would rather not, a check
    runs out before the day). Shifts need `circle`, `client` and `plan` loaded."""
    return _first(rules.check_many(carer, shifts, lasting_only=True))


def _first(violations: dict[int, list[rules.Violation]]) -> dict[int, str]:
    return {pk: found[0].message for pk, found in violations.items() if found}

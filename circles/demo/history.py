"""The four weeks before today in the demo circles, played through the rota services at the
moments they happened: the rota published and taken up, visits done, a few swaps and visits
given away, a carer off sick and colleagues covering, a family visit. Then what each carer
recorded at the visits done (arrived, left, tasks, medicines, a note), written at once.

So the demo opens on circles a few weeks in: payroll and continuity have visits to count,
and each change is in the leaders' trail at its time, recorded by the service that makes it.
The clock is moved (time-machine) for each step, so the services, their rules and the audit
trail all see the time the step happened; steps run in that order, each seeing what the
earlier ones left.
"""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import partial

import time_machine
from django.db import transaction
from django.utils import timezone

from circles.demo.cast import CIRCLES, HistorySpec, SickSpec, StaySpec
from circles.demo.seed import email_for, fill_rota
from circles.models import Circle, Role
from people.models import CarerPreference, Client, Person, Preference
from rota import rules, services
from rota.generation import generate_shifts
from rota.models import (
    AbsenceKind,
    Assignment,
    MedicationOutcome,
    MedicationRound,
    ShiftStatus,
    VisitRecord,
)
from rota.recurrence import aware_local
from rota.rules import Refused, RuleBroken

# How far back the history goes, at least.
DAYS = 28
# When the rota for the four weeks was published and carers chose their visits.
PUBLISHED_AT = time(10)
# Swaps are asked for two evenings before, and accepted a little later.
SWAP_ASKED_AT, SWAP_ANSWER_AFTER = time(19), timedelta(hours=2)
# A visit is given away the morning before, and taken within the hour or two.
GIVEN_AT, TAKEN_AFTER = time(10), timedelta(minutes=90)
# A carer off sick says so early, and colleagues take the visits over the next hour.
SICK_SAID_AT, COVER_EVERY = time(6, 30), timedelta(minutes=5)
# A relative says they will be there four days ahead, in the evening.
STAY_SAID_DAYS_BEFORE, STAY_SAID_AT = 4, time(19, 30)

Step = tuple[datetime, Callable[[], None]]


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    """Everything inside happens at `moment`: the services, their rules and the trail."""
    with time_machine.travel(moment, tick=False):
        yield


class _NotThisOne(Exception):
    """A change tried in the past turned out not to fit; it is rolled back and another tried."""


def play(circles: list[Circle], rng: random.Random, *, now: datetime) -> set[int]:
    """Play the four weeks before `now` in these circles; returns the ids of carers who got
    places."""
    given: set[int] = set()
    steps: list[Step] = []
    for circle in circles:
        today = timezone.localdate(now, timezone=circle.tz)
        first = _first_day(today)
        published = _local(circle, first - timedelta(days=1), PUBLISHED_AT)
        steps.append((published, partial(_publish, circle, first, today, rng, now, given)))
        steps += _steps(circle, CIRCLES[circle.name]["history"], today, rng)
    for moment, step in sorted(steps, key=lambda s: s[0]):
        with _at(moment):
            step()
    _record_visits(circles, rng, now)
    return given


# What carers wrote as they left, now and then.
NOTES = (
    "In good spirits today; we had a chat about the garden.",
    "A bit tired this morning, ate most of breakfast.",
    "Asked after the family. All fine.",
    "Watched the rugby together for a bit.",
)


def _record_visits(circles: list[Circle], rng: random.Random, now: datetime) -> None:
    """Each place held on a visit already begun has its carer's record: arrived within a few
    minutes of the start, left about the end (a visit under way: arrived only), the plan's
    tasks done and its medicines given (one refused now and then), and sometimes a note.
    Written in bulk, as a few hundred taps played one by one would slow the demo's setup for
    nothing the trail needs; the lateness sweep then finds every visit arrived at."""
    places = (
        Assignment.objects.filter(
            shift__circle__in=circles,
            shift__status=ShiftStatus.PLANNED,
            released_at__isnull=True,
            start__lte=now,
        )
        .select_related("shift__plan")
        .order_by("start", "pk")
    )
    records, rounds = [], []
    for place in places:
        plan = place.shift.plan
        arrived = place.start + timedelta(minutes=rng.randint(-5, 8))
        left = place.end + timedelta(minutes=rng.randint(-4, 6))
        over = left <= now
        record = VisitRecord(
            assignment=place,
            arrived_at=min(arrived, now),
            left_at=left if over else None,
            tasks_done=list(plan.tasks) if plan and over else [],
            note=rng.choice(NOTES) if over and rng.random() < 0.3 else "",
        )
        records.append(record)
        for medicine in plan.medicines if plan and over else ():
            refused = rng.random() < 0.05
            rounds.append(
                MedicationRound(
                    record=record,
                    medicine=medicine,
                    outcome=MedicationOutcome.REFUSED if refused else MedicationOutcome.GIVEN,
                )
            )
    VisitRecord.objects.bulk_create(records)
    MedicationRound.objects.bulk_create(rounds)


def _publish(
    circle: Circle, first: date, today: date, rng: random.Random, now: datetime, given: set[int]
) -> None:
    """The rota from `first` to today, taken up in full as carers chose their visits: the
    visits already over all had their carers. Adds the carers who got places to `given`."""
    generate_shifts(circle, first, today + timedelta(days=1))
    given.update(fill_rota(circle, rng, gap_share=0, until=now)[2])


def _first_day(today: date) -> date:
    """Four weeks back, or the last week of last month if that is earlier: from the 29th
    four weeks stay inside this month, and last month's payroll would have nothing."""
    return min(today - timedelta(days=DAYS), today.replace(day=1) - timedelta(days=7))


def _steps(circle: Circle, spec: HistorySpec, today: date, rng: random.Random) -> list[Step]:
    """The circle's changes after the rota was taken up, each with when it happened."""
    steps: list[Step] = []
    for days_ago in spec.swaps:
        day = today - timedelta(days=days_ago)
        asked = _local(circle, day - timedelta(days=2), SWAP_ASKED_AT)
        steps.append((asked, partial(_swap, circle, day, rng)))
    for days_ago in spec.given_away:
        day = today - timedelta(days=days_ago)
        given = _local(circle, day - timedelta(days=1), GIVEN_AT)
        steps.append((given, partial(_give_away, circle, day, rng)))
    if spec.sick is not None:
        day = today - timedelta(days=spec.sick.days_ago)
        said = _local(circle, day, SICK_SAID_AT)
        steps.append((said, partial(_off_sick, circle, spec.sick, day, rng)))
    if spec.family_visit is not None:
        day = today - timedelta(days=spec.family_visit.days_ago)
        said = _local(circle, day - timedelta(days=STAY_SAID_DAYS_BEFORE), STAY_SAID_AT)
        steps.append((said, partial(_stay, circle, spec.family_visit, day)))
    return steps


def _swap(circle: Circle, day: date, rng: random.Random) -> None:
    """A carer swaps a visit on `day` for a colleague's in the three days after; the
    colleague accepts. The first pair the rules allow both ways."""
    mine = _held(circle, day, day + timedelta(days=1), rng)
    theirs = _held(circle, day + timedelta(days=1), day + timedelta(days=4), rng)
    for a in mine:
        for b in theirs:
            if a.carer_id == b.carer_id:
                continue
            if rules.check(a.carer, b.shift, giving_up=a, taking_over=b) or rules.check(
                b.carer, a.shift, giving_up=b, taking_over=a
            ):
                continue
            try:
                with transaction.atomic():
                    swap = services.propose_swap(a, b, actor=a.carer)
                    with _at(timezone.now() + SWAP_ANSWER_AFTER):
                        services.accept_swap(swap, actor=b.carer)
            except (RuleBroken, Refused):
                continue
            return


def _give_away(circle: Circle, day: date, rng: random.Random) -> None:
    """A carer gives a visit on `day` away to the circle, and a colleague takes it."""
    colleagues = _carers(circle, rng)
    for place in _held(circle, day, day + timedelta(days=1), rng):
        try:
            with transaction.atomic():
                offer = services.offer(place, actor=place.carer)
                with _at(timezone.now() + TAKEN_AFTER):
                    others = (c for c in colleagues if c.pk != place.carer_id)
                    if not any(_took(services.take_offer, offer, c) for c in others):
                        raise _NotThisOne
        except (_NotThisOne, RuleBroken, Refused):
            continue
        return


def _off_sick(circle: Circle, spec: SickSpec, day: date, rng: random.Random) -> None:
    """The carer is off sick from the start of `day`; each visit it releases is taken by a
    colleague (the client's preferred carers asked first), minutes apart."""
    carer = Person.objects.get(email=email_for(spec.carer))
    start = _local(circle, day, time(0))
    absence = services.record_absence(
        carer,
        AbsenceKind.SICK,
        start,
        _local(circle, day + timedelta(days=spec.days), time(0)),
        actor=carer,
    )
    colleagues = [c for c in _carers(circle, rng) if c != carer]
    for n, place in enumerate(absence.released.select_related("shift").order_by("start"), 1):
        preferred = set(
            CarerPreference.objects.filter(
                client_id=place.shift.client_id, preference=Preference.PREFERRED
            ).values_list("carer_id", flat=True)
        )
        with _at(timezone.now() + n * COVER_EVERY):
            for colleague in sorted(colleagues, key=lambda c: c.pk not in preferred):
                if _took(services.claim, place.shift, colleague):
                    break


def _stay(circle: Circle, spec: StaySpec, day: date) -> None:
    """A relative says they will be with the client that day, which frees visits."""
    member = Person.objects.get(email=email_for(spec.family))
    client = Client.objects.get(circle=circle, full_name=spec.client)
    services.record_family_visit(
        member,
        client,
        _local(circle, day, spec.start),
        _local(circle, day, spec.end),
        actor=member,
    )


def _took(take: Callable[..., object], what: object, carer: Person) -> bool:
    """Whether the carer, acting for themselves, could take the place (`take(what, carer)`):
    the rules decide."""
    try:
        with transaction.atomic():
            take(what, carer, actor=carer)
    except (RuleBroken, Refused):
        return False
    return True


def _held(circle: Circle, first: date, end: date, rng: random.Random) -> list[Assignment]:
    """Places held on the circle's planned visits on local days first <= d < end, shuffled."""
    places = list(
        Assignment.objects.filter(
            shift__circle=circle,
            shift__status=ShiftStatus.PLANNED,
            released_at__isnull=True,
            start__gte=_local(circle, first, time(0)),
            start__lt=_local(circle, end, time(0)),
        )
        .select_related("carer", "shift__circle", "shift__client", "shift__plan")
        .order_by("start", "pk")
    )
    rng.shuffle(places)
    return places


def _carers(circle: Circle, rng: random.Random) -> list[Person]:
    carers = list(
        Person.objects.filter(memberships__circle=circle, memberships__role=Role.CARER).order_by(
            "full_name"
        )
    )
    rng.shuffle(carers)
    return carers


def _local(circle: Circle, day: date, at: time) -> datetime:
    return aware_local(day, at, circle.tz)

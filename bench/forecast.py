"""The early warning's back-test: how many days ahead real crossings were forecast, how many
were missed, and how many warnings were false (docs/design.md, Early warning).

At each past day it asks what the forecast would have said then, from what was known then,
and compares with the real crossings: the days a circle's state, as judged that day, first
fell below a threshold (coping to strained, or to not coping).

- **The demo**: seeds the demo organisation (circles.demo, as seed_demo does) on a database
  of its own, and asks `circles.forecast.forecasts` of each of its days of history, reading
  the database as it was then (places taken by then and not yet given up).
- **A generated year**: circles played day by day in memory by a seeded generator, each day
  handed to `circles.forecast.project` (the same arithmetic, without the reading). Half of
  them are stable; the other half drift two or three times a year for three to six weeks
  (more given up, fewer picked up, a check running out unrenewed, carers booking time off)
  before their leaders act and the circle recovers. Stable circles see the same things now
  and then, less.

A warning is a note the leaders would have had, made as circles.alerts makes them: one per
new forecast crossing (circles.forecast.new_crossing). It **warned** of a real crossing on
day c when it was made in the 14 days before c and forecast a day no more than three days
before c; the days of warning of a crossing are c less the day of its first such note. A
crossing no note warned of is **missed**; a note that warned of no crossing is **false**.

    .venv/bin/python bench/forecast.py [--circles 200] [--days 365] [--seed 16] [--no-demo]

The demo runs on BENCH_DATABASE_URL (default care_circles_bench_forecast on the local
server), dropped and made anew; DATABASE_URL is never touched.
"""

import argparse
import io
import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import own_database  # bench/own_database.py: Django on a database of its own

# A day of a generated circle: four clients, four visits each, one carer a visit.
HOURS = (8, 12, 17, 21)
CLIENTS = 4
CARERS = 12
PLACES_A_DAY = len(HOURS) * CLIENTS
# The rota is made this far ahead, most places taken when it is made.
ROTA_AHEAD = 42
# Visits a carer may hold in 7 days (their weekly limit, in visits of an hour or so).
WEEK_LIMIT = 14
# Days of the generated year before any forecast is judged: the trend needs four weeks.
WARM_UP = 28
# A note warned of a crossing that came up to this many days after the day it forecast.
GRACE = 3
# A fall below a threshold is a new crossing after this many days at or above it.
FRESH = 7
FIRST_DAY = date(2025, 1, 6)  # a Monday
NAME = "care_circles_bench_forecast"


@dataclass
class Figures:
    name: str
    circles: int
    days: int
    crossings: int = 0
    warned: list[int] = field(default_factory=list)  # days of warning of each warned
    missed: int = 0
    false: int = 0
    warnings: int = 0
    indent: str = ""  # a part of the figures above it

    @property
    def circle_months(self) -> float:
        return self.circles * self.days / 30

    def lines(self) -> list[str]:
        median = f"{statistics.median(self.warned):.1f}" if self.warned else "–"
        rate = self.false / self.circle_months if self.circle_months else 0.0
        lines = [
            f"{self.name}: {self.circles} circles, {self.days} days "
            f"({self.circle_months:.1f} circle-months)",
            f"  crossings found: {self.crossings}",
            f"  crossings warned of: {len(self.warned)}",
            f"  median days of warning before real crossings: {median}",
            f"  crossings missed: {self.missed}",
            f"  warnings: {self.warnings}, of them false: {self.false}",
            f"  false warnings per circle-month: {rate:.3f}",
        ]
        return [self.indent + line for line in lines]


def score(
    figures: Figures,
    states: list[str],
    forecast: list[tuple[int, str] | None],
    first: int,
) -> None:
    """Add one circle's days to the figures: `states` its state as judged each day,
    `forecast` the day (index) and state of the crossing forecast that day, if one was;
    days before `first` only lead in.

    The leaders' notes are made as circles.alerts makes them: one for each new crossing
    (circles.forecast.new_crossing). A note warned of a real crossing on day c when it was
    made before c, at most 14 days before, and forecast a day no more than three days
    before c; its days of warning are c less the day it was made."""
    from circles.forecast import AHEAD, new_crossing
    from circles.models import CircleState

    severity = {state: CircleState(state).severity for state in CircleState}
    # A real crossing: the first day below a threshold after a week at or above it.
    crossings = [
        day
        for day in range(max(first, 1), len(states))
        if all(
            severity[states[day]] > severity[states[before]]
            for before in range(max(0, day - FRESH), day)
        )
    ]
    notes: list[tuple[int, int]] = []  # (made on, crossing forecast)
    warned: tuple[date | None, str] = (None, "")
    for day, said in enumerate(forecast):
        if said is None:
            continue
        at, state = FIRST_DAY + timedelta(days=said[0]), said[1]
        if new_crossing(warned[0], warned[1], at, state, FIRST_DAY + timedelta(days=day)):
            warned = (at, state)
            if day >= first:
                notes.append((day, said[0]))
    true = set()
    for crossing in crossings:
        before = [
            (made, at)
            for made, at in notes
            if crossing - AHEAD <= made < crossing and at - GRACE <= crossing
        ]
        if before:
            figures.warned.append(crossing - min(before)[0])
            true.update(before)
        else:
            figures.missed += 1
    figures.crossings += len(crossings)
    figures.warnings += len(notes)
    figures.false += len([note for note in notes if note not in true])


# --- the generated year ------------------------------------------------------------------------


class Circle:
    """One generated circle, played a day at a time. Places are (day, hour, client) and each
    is held by a carer (0..11) or open."""

    def __init__(self, rng: random.Random, drifting: bool, days: int) -> None:
        self.rng, self.drifting = rng, drifting
        self.held: dict[tuple[int, int, int], int | None] = {}
        self.came_off: set[tuple[int, int, int]] = set()  # someone gave it up before
        self.open_since: dict[tuple[int, int, int], int] = {}
        self.given: list[int] = []  # days a place was given up
        self.picked: list[int] = []  # days a place given up was picked up
        self.expires: dict[int, int] = {}  # carer: first day their check no longer counts
        self.away: list[tuple[int, int, int, int]] = []  # carer, booked on, from, until
        self.episodes = self._episodes(days)
        for day in range(-ROTA_AHEAD, 0):
            self._make_day(day + ROTA_AHEAD)

    def _episodes(self, days: int) -> list[tuple[int, int]]:
        """When a drifting circle drifts: two or three spells of three to six weeks."""
        if not self.drifting:
            return []
        spells, day = [], WARM_UP + self.rng.randint(0, 40)
        while day < days - 20 and len(spells) < 3:
            length = self.rng.randint(21, 42)
            spells.append((day, day + length))
            day += length + self.rng.randint(40, 100)
        return spells

    def phase(self, day: int) -> tuple[float, float]:
        """Places given up a day and the daily chance an open place is picked up."""
        for start, end in self.episodes:
            if start <= day < end:
                progress = (day - start) / (end - start)
                return 0.6 + 2.4 * progress, 0.35 * (1 - 0.7 * progress)
            if end <= day < end + 10:
                return 0.3, 0.9  # the leaders act: the circle picks everything up
        return 0.6, 0.35

    def _free(self, carer: int, day: int) -> bool:
        if carer in self.expires and day >= self.expires[carer]:
            return False
        return not any(c == carer and a <= day < b for c, _, a, b in self.away)

    def _make_day(self, day: int) -> None:
        for hour in HOURS:
            for client in range(CLIENTS):
                key = (day, hour, client)
                carer = self.rng.randrange(CARERS)
                if self.rng.random() < 0.985 and self._free(carer, day):
                    self.held[key] = carer
                else:
                    self.held[key] = None
                    self.open_since[key] = day - ROTA_AHEAD

    def _release(self, key: tuple[int, int, int], today: int, *, given: bool = True) -> None:
        if self.held.get(key) is None:
            return
        self.held[key] = None
        self.open_since[key] = today
        if given:  # given up, not time off nor a check run out: picked up, it counts
            self.came_off.add(key)
            self.given.append(today)

    def play(self, today: int) -> None:
        """One day: the rota made a day further, give-aways, checks, time off, pick-ups."""
        rng = self.rng
        self._make_day(today + ROTA_AHEAD)
        give, pick = self.phase(today)
        drifting_now = any(a <= today < b for a, b in self.episodes)
        # A check running out, known from the day it was last renewed: in a drift, unrenewed.
        if rng.random() < (0.04 if drifting_now else 0.004):
            carer = rng.randrange(CARERS)
            if carer not in self.expires:
                self.expires[carer] = today + rng.randint(7, 21)
        for carer, until in list(self.expires.items()):
            if today >= until + 60:
                del self.expires[carer]  # renewed at last
            elif today == until:
                for key, holder in self.held.items():
                    if holder == carer and key[0] >= today:
                        self._release(key, today, given=False)
        # Time off booked, its places given up at once.
        if rng.random() < (0.08 if drifting_now else 0.02):
            carer = rng.randrange(CARERS)
            begins = today + rng.randint(2, 10)
            ends = begins + rng.randint(5, 14)
            self.away.append((carer, today, begins, ends))
            for key, holder in self.held.items():
                if holder == carer and begins <= key[0] < ends:
                    self._release(key, today, given=False)
        # Places given up in the next fortnight.
        for _ in range(_poisson(rng, give)):
            day = today + rng.randint(1, 14)
            self._release((day, rng.choice(HOURS), rng.randrange(CLIENTS)), today)
        # Open places picked up by carers with time.
        load = self._load(today)
        for key, holder in list(self.held.items()):
            if holder is not None or not today < key[0] <= today + 28:
                continue
            if rng.random() >= pick:
                continue
            carer = rng.randrange(CARERS)
            if not self._free(carer, key[0]) or load[carer] >= WEEK_LIMIT:
                continue
            self.held[key] = carer
            load[carer] += 1
            self.open_since.pop(key, None)
            if key in self.came_off:
                self.picked.append(today)
        for key in [key for key in self.held if key[0] < today - 1]:
            del self.held[key]

    def _load(self, today: int) -> dict[int, int]:
        load: dict[int, int] = defaultdict(int)
        for (day, _hour, _client), holder in self.held.items():
            if holder is not None and today <= day < today + 7:
                load[holder] += 1
        return load

    def judged(self, circle, today: int) -> str:
        """The state as the circle is judged today: places filled over the next 14 days."""
        from circles.capacity import Figures as Judged
        from circles.capacity import judge

        filled = sum(
            1
            for (day, _h, _c), holder in self.held.items()
            if today <= day < today + 14 and holder is not None
        )
        now = _moment(today)
        return judge(circle, Judged(needed=PLACES_A_DAY * 14, filled=filled), now)

    def forecast(self, circle, today: int, state: str) -> tuple[int, str] | None:
        """The day and state of the crossing forecast from what is known today, if any."""
        from circles.forecast import (
            AHEAD,
            TREND_DAYS,
            WINDOW,
            DayCover,
            Trend,
            part_of_day,
            project,
        )

        by_day: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        open_by: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        left_open = 0
        for (day, hour, _client), holder in self.held.items():
            if not today <= day < today + WINDOW + AHEAD:
                continue
            figures = by_day[day]
            figures[0] += 1
            if holder is None:
                open_by[day][part_of_day(hour)] += 1
                if (
                    day < today + 7
                    and today - self.open_since.get((day, hour, _client), today) >= 14
                ):
                    left_open += 1
                continue
            figures[1] += 1
            if holder in self.expires and today < self.expires[holder] <= day:
                figures[2] += 1
        days = [
            DayCover(
                date=FIRST_DAY + timedelta(days=day),
                needed=by_day[day][0],
                filled=by_day[day][1],
                at_risk=by_day[day][2],
                open_by_part=dict(open_by[day]),
            )
            for day in range(today, today + WINDOW + AHEAD)
        ]
        load = self._load(today)
        trend = Trend(
            given_up=sum(1 for day in self.given if today - TREND_DAYS < day <= today),
            picked_up=sum(1 for day in self.picked if today - TREND_DAYS < day <= today),
            carers=CARERS,
            near_limit=sum(1 for carer in range(CARERS) if load[carer] >= WEEK_LIMIT - 2),
            away=len(
                {
                    c
                    for c, booked, a, b in self.away
                    if booked <= today and a < today + 14 and b > today
                }
            ),
            left_open=left_open,
        )
        found = project(circle, days, trend, now=_moment(today), present=state)
        if found.crossing_at is None or found.state is None:
            return None
        return today + found.days, found.state


def _moment(day: int) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(
        datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time())
    )


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's: small means only."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def generated_year(circles: int, days: int, seed: int) -> list[Figures]:
    """The generated year's figures: all its circles, then the drifting and the stable."""
    from circles.models import Circle as Thresholds

    thresholds = Thresholds(name="Generated")  # the default thresholds: 95 %, 85 %, 48 hours
    rng = random.Random(seed)
    drifting = (circles + 1) // 2
    every = Figures(f"generated (seed {seed})", circles, days - WARM_UP)
    kinds = {
        True: Figures("of them drifting", drifting, days - WARM_UP, indent="    "),
        False: Figures("of them stable", circles - drifting, days - WARM_UP, indent="    "),
    }
    for n in range(circles):
        circle = Circle(random.Random(rng.random()), drifting=n % 2 == 0, days=days)
        states, said = [], []
        for today in range(days):
            circle.play(today)
            state = circle.judged(thresholds, today)
            states.append(state)
            said.append(circle.forecast(thresholds, today, state) if today >= WARM_UP else None)
        score(every, states, said, WARM_UP)
        score(kinds[circle.drifting], states, said, WARM_UP)
    return [every, kinds[True], kinds[False]]


# --- the demo's history ------------------------------------------------------------------------


def demo_history() -> Figures:
    from django.core.management import call_command
    from django.utils import timezone

    from circles import demo
    from circles.demo.history import DAYS
    from circles.forecast import forecasts, judged_then
    from circles.models import Circle

    call_command("seed_demo", stdout=io.StringIO())
    circles = list(Circle.objects.filter(organisation__name=demo.ORGANISATION).order_by("pk"))
    now = timezone.now()
    moments = [now - timedelta(days=DAYS - n) for n in range(DAYS + 1)]
    states: dict[int, list[str]] = defaultdict(list)
    said: dict[int, list[tuple[int, str] | None]] = defaultdict(list)
    for moment in moments:
        judged = judged_then(circles, moment)
        for circle in circles:
            circle.state = judged[circle.pk]
            states[circle.pk].append(judged[circle.pk])
        found = forecasts(circles, moment)
        for circle in circles:
            this = found[circle.pk]
            if this.crossing_at is None or this.state is None:
                said[circle.pk].append(None)
            else:
                # Day indices from the demo's first day replayed.
                day = (this.crossing_at - timezone.localdate(moments[0], circle.tz)).days
                said[circle.pk].append((day, this.state))
    figures = Figures("demo history", len(circles), DAYS + 1)
    for circle in circles:
        score(figures, states[circle.pk], said[circle.pk], 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--circles", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-demo", action="store_true", help="the generated year only")
    args = parser.parse_args()
    # The demo's settings (DEBUG on: no secret key needed, nothing served).
    if args.no_demo:
        own_database.attach(NAME, DEBUG="true")  # the database is never read
    else:
        own_database.set_up(NAME, DEBUG="true")
    print("Early warning back-test")
    if not args.no_demo:
        for line in demo_history().lines():
            print(line)
        own_database.drop()
    for figures in generated_year(args.circles, args.days, args.seed):
        for line in figures.lines():
            print(line)


if __name__ == "__main__":
    main()

"""How fast the periodic sweep judges every circle, and how many queries it costs.

Seeds one organisation of 500 circles (4 clients, 12 carers and 2 team leaders each; four
visits a day per client for six weeks, an essential medication round among them; most
places held, some circles short of carers, a few checks run out and a few carers away),
all with bulk inserts. Then it sweeps twice: the first sweep finds the circles whose state
changed and alerts their leaders (delivery runs in-process here, with mail discarded); the
second finds nothing new, which is what the sweep does every five minutes.

    .venv/bin/python bench/sweep.py [--circles 500]

It runs on its own database, BENCH_DATABASE_URL (default care_circles_bench_sweep on the
local server), which is dropped and made anew; DATABASE_URL is never touched.
"""

import argparse
import random
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import own_database  # bench/own_database.py: Django on a database of its own

CLIENTS, CARERS, LEADERS = 4, 12, 2
VISIT_HOURS = (8, 12, 17, 21)  # 08:00 is the essential medication round
WEEKS = 6
# Circles whose visits and places are made at once: the seeding's memory stays the same
# however many circles there are (10,000 at once would want some 20 GB).
SEED_BLOCK = 250
SINCE = date(2020, 1, 1)


def seed(circles: int, rng: random.Random) -> None:
    from django.utils import timezone

    from circles.models import Circle, Membership, Organisation, Role
    from people.models import CarerKind, CarerProfile, Client, Credential, CredentialType, Person
    from rota import counts

    today = timezone.localdate()
    organisation = Organisation.objects.create(name="Bench Care")
    employer = organisation.employers.create(name="County Council")
    medication = CredentialType.objects.create(name="Medication", code="medication")
    made = Circle.objects.bulk_create(
        Circle(organisation=organisation, name=f"Circle {n:03d}") for n in range(circles)
    )
    people = Person.objects.bulk_create(
        Person(email=f"p{n}@bench.test", full_name=f"Person {n}", password="!")
        for n in range(circles * (CARERS + LEADERS))
    )
    clients = Client.objects.bulk_create(
        Client(circle=circle, full_name=f"Client {circle.pk}-{n}", preferred_name="C", address="-")
        for circle in made
        for n in range(CLIENTS)
    )
    carers, memberships, profiles, credentials = {}, [], [], []
    for index, circle in enumerate(made):
        mine = people[index * (CARERS + LEADERS) : (index + 1) * (CARERS + LEADERS)]
        carers[circle.pk] = mine[:CARERS]
        for person in mine[CARERS:]:
            memberships.append(
                Membership(
                    circle=circle, person=person, role=Role.TEAM_LEADER, started_on=date(2020, 1, 1)
                )
            )
        for n, person in enumerate(mine[:CARERS]):
            memberships.append(
                Membership(
                    circle=circle, person=person, role=Role.CARER, started_on=date(2020, 1, 1)
                )
            )
            informal = n >= CARERS - 2
            profiles.append(
                CarerProfile(
                    person=person,
                    kind=CarerKind.INFORMAL if informal else CarerKind.COUNCIL,
                    employer=None if informal else employer,
                )
            )
            # One carer in twenty has let their medication training run out.
            expired = rng.random() < 0.05
            credentials.append(
                Credential(
                    person=person,
                    type=medication,
                    valid_until=today + timedelta(days=-1 if expired else 365),
                )
            )
    Membership.objects.bulk_create(memberships)
    CarerProfile.objects.bulk_create(profiles)
    Credential.objects.bulk_create(credentials)
    for first in range(0, len(made), SEED_BLOCK):
        block = made[first : first + SEED_BLOCK]
        mine = clients[first * CLIENTS : (first + len(block)) * CLIENTS]
        _seed_rota(block, mine, carers, medication, rng)
    # Written in bulk, round the services: each visit's places held counted once here.
    counts.recount_all()


def _seed_rota(circles, clients, carers, medication, rng: random.Random) -> None:
    """The visits, places held and time off of these circles (`clients`: theirs, in order)."""
    from django.utils import timezone

    from rota.models import Absence, Assignment, Shift, VisitPlan

    today = timezone.localdate()
    plans = VisitPlan.objects.bulk_create(
        VisitPlan(
            client=client,
            title=f"{hour}:00 visit",
            rrule="FREQ=DAILY",
            starts_on=today,
            start_time=datetime.min.time().replace(hour=hour),
            duration_minutes=60,
            essential=hour == VISIT_HOURS[0],
        )
        for client in clients
        for hour in VISIT_HOURS
    )
    VisitPlan.credentials_needed.through.objects.bulk_create(
        VisitPlan.credentials_needed.through(visitplan=plan, credentialtype=medication)
        for plan in plans
        if plan.essential
    )
    tz = timezone.get_current_timezone()
    shifts = []
    for plan in plans:
        for day in range(WEEKS * 7):
            local = datetime.combine(today + timedelta(days=day), plan.start_time)
            start = timezone.make_aware(local, tz)
            shifts.append(
                Shift(
                    circle_id=plan.client.circle_id,
                    client=plan.client,
                    plan=plan,
                    plan_date=local.date(),
                    start=start,
                    end=start + timedelta(hours=1),
                )
            )
    Shift.objects.bulk_create(shifts, batch_size=5000)
    # How well each circle is doing: most cover 99 % of places, some far fewer.
    cover = {c.pk: rng.choice([0.99] * 7 + [0.93, 0.88, 0.8]) for c in circles}
    client_index = {client.pk: n % CLIENTS for n, client in enumerate(clients)}
    assignments = []
    for shift in shifts:
        if rng.random() > cover[shift.circle_id]:
            continue
        # At any one time the circle's four clients have four different carers.
        slot = VISIT_HOURS.index(timezone.localtime(shift.start, tz).hour)
        n = (client_index[shift.client_id] + CLIENTS * slot + shift.plan_date.toordinal()) % CARERS
        carer = carers[shift.circle_id][n]
        assignments.append(Assignment(shift=shift, carer=carer, start=shift.start, end=shift.end))
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    away = timezone.now() + timedelta(days=3)
    Absence.objects.bulk_create(
        Absence(
            carer=carers[c.pk][0],
            kind="holiday",
            start=away,
            end=away + timedelta(days=7),
        )
        for c in circles
    )


def timed_sweep() -> tuple[int, float, int]:
    """Circles checked, seconds, statements. The statements are counted as they run, not read
    from Django's query log, which keeps only the last 9,000."""
    from circles.alerts import sweep

    with counted() as statements:
        began = time.perf_counter()
        checked = sweep()
        seconds = time.perf_counter() - began
    return checked, seconds, statements[0]


@contextmanager
def counted():
    """Count the statements run inside: a one-item list, its count as it grows."""
    from django.db import connection

    statements = [0]

    def count(execute, *args):
        statements[0] += 1
        return execute(*args)

    with connection.execute_wrapper(count):
        yield statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circles", type=int, default=500)
    args = parser.parse_args()

    own_database.set_up(
        "care_circles_bench_sweep", EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
    )
    from django.db import connection

    from circles.models import CircleState, StateChange
    from rota.models import Assignment, Shift

    began = time.perf_counter()
    seed(args.circles, random.Random(6))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {args.circles} circles in {time.perf_counter() - began:.0f} s:")
    print(f"  {Shift.objects.count()} visits, {Assignment.objects.count()} places held")
    for label in ("first sweep (states change, leaders alerted)", "steady sweep (nothing new)"):
        checked, seconds, queries = timed_sweep()
        print(f"{label}:")
        print(f"  {checked} circles in {seconds:.2f} s: {checked / seconds:.0f} circles/s")
        print(f"  {queries} queries")
    states = {state: 0 for state in CircleState.values}
    for change in StateChange.objects.values_list("to_state", flat=True):
        states[change] += 1
    print(f"state changes: {states}")


if __name__ == "__main__":
    main()

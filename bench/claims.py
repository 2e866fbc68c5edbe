"""How many rule-checked claims a second the service layer sustains, and what one costs.

Four worker processes (as a web server runs them), each with its own connection, claim
places on one circle of 12 carers and 4 clients (visits every half hour from 07:00 to
22:00, eight weeks ahead) for a fixed time. Every attempt runs every rule (docs/design.md,
Rules every rota change obeys); a refusal is a rule-checked claim too, so both are reported.

    .venv/bin/python bench/claims.py [--seconds 10] [--workers 4]

It runs on its own database, BENCH_DATABASE_URL (default care_circles_bench on the local
server), which is dropped and made anew; DATABASE_URL is never touched.
"""

import argparse
import random
import time
from datetime import timedelta

import own_database  # bench/own_database.py: Django on a database of its own


def build_circle(carers_in_it: int = 12):
    from django.utils import timezone

    from tests.factories import CircleFactory, ClientFactory, ShiftFactory, carer

    circle = CircleFactory(name="Bench circle")
    clients = [ClientFactory(circle=circle) for _ in range(4)]
    carers = [carer(circle) for _ in range(carers_in_it)]
    first = timezone.localdate() + timedelta(days=1)
    shifts = []
    for day in range(56):
        midnight = timezone.make_aware(
            timezone.datetime.combine(first + timedelta(days=day), timezone.datetime.min.time())
        )
        for client in clients:
            for slot in range(14, 44):  # 07:00 to 21:30, every half hour
                start = midnight + timedelta(minutes=30 * slot)
                shifts.append(
                    ShiftFactory.build(
                        client=client, circle=circle, start=start, end=start + timedelta(minutes=30)
                    )
                )
    from rota.models import Shift

    Shift.objects.bulk_create(shifts)
    return carers, list(Shift.objects.filter(circle=circle))


def work(seed: int, stop_at: float, carer_ids: list[int], shift_ids: list[int], out) -> None:
    """One worker process: claim random places until `stop_at`; report its counts."""
    from people.models import Person
    from rota import services
    from rota.models import Shift
    from rota.rules import Refused, RuleBroken

    rng = random.Random(seed)
    carers = list(Person.objects.filter(pk__in=carer_ids))
    claimed = refused = 0
    while time.time() < stop_at:
        carer = rng.choice(carers)
        shift = Shift.objects.get(pk=rng.choice(shift_ids))
        try:
            services.claim(shift, carer, actor=carer)
            claimed += 1
        except (RuleBroken, Refused):
            refused += 1
    out.put((claimed, refused))


def run(seconds: float, workers: int, carers, shifts) -> dict:
    """Worker processes, as a web server runs them, each with its own connection."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each forked worker opens its own
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    began = time.time()
    stop_at = began + seconds
    carer_ids, shift_ids = [c.pk for c in carers], [s.pk for s in shifts]
    processes = [
        context.Process(target=work, args=(i, stop_at, carer_ids, shift_ids, out))
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    results = [out.get() for _ in processes]
    for process in processes:
        process.join()
    return {
        "claimed": sum(r[0] for r in results),
        "refused": sum(r[1] for r in results),
        "seconds": time.time() - began,
    }


def queries_per_claim(carers, shifts) -> int:
    """Queries of one committed claim, its follow-up (run in-process here) included.

    The claim's own transaction is pinned by tests/rota/test_claim_queries.py.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rota import services
    from rota.models import Assignment
    from rota.rules import Refused, RuleBroken

    taken = set(Assignment.objects.values_list("shift_id", flat=True))
    free = next(s for s in reversed(shifts) if s.pk not in taken)
    for carer in carers:
        with CaptureQueriesContext(connection) as queries:
            try:
                services.claim(free, carer, actor=carer)
            except (RuleBroken, Refused):
                continue
        return len(queries.captured_queries)
    raise RuntimeError("no carer could take the last free visit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    own_database.set_up("care_circles_bench")
    carers, shifts = build_circle()
    result = run(args.seconds, args.workers, carers, shifts)
    attempts = result["claimed"] + result["refused"]
    print(f"workers: {args.workers}, carers: {len(carers)}, visits: {len(shifts)}")
    print(f"seconds: {result['seconds']:.1f}")
    print(f"rule-checked claims: {attempts} ({attempts / result['seconds']:.0f}/s)")
    print(f"  taken: {result['claimed']} ({result['claimed'] / result['seconds']:.0f}/s)")
    print(f"  refused by a rule: {result['refused']}")
    print(f"queries per claim, follow-up included: {queries_per_claim(carers, shifts)}")


if __name__ == "__main__":
    main()

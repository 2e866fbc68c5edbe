"""PostgreSQL stopped (fast) and started again in the middle of a burst of claims and swaps
from many threads, while bin/serve runs the topology on it: no change is half done, a signed-in
person asking for a page while it is away is told plainly (503), and gunicorn serves again
by itself afterwards."""

import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from rota import outbox, services
from rota.models import Action, Assignment, AuditEvent, OutboxMessage, Shift, Swap, SwapStatus
from rota.outbox import ANNOUNCE_CHANGE
from rota.rules import Refused, RuleBroken
from tests.factories import carer
from tests.faults.conftest import BASE_DIR, environment
from tests.ports import unused_port
from tests.stories import Cast, in_days, visit
from tests.waiting import wait_for

SERVE = BASE_DIR / "bin" / "serve"
OUTAGE = "The rota can't be reached right now"
NOT_SAVED = "Your change was not saved. Please try again in a minute."


@pytest.fixture
def served(databases, broker, tmp_path: Path):
    """bin/serve on our database and broker: gunicorn (two workers), a worker and beat."""
    port = unused_port()
    env = environment(
        database=databases.url,
        broker=broker.url,
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        BEAT_SCHEDULE=str(tmp_path / "beat-schedule"),
        LOG_FORMAT="json",
    )
    with (tmp_path / "serve.log").open("w") as out:
        process = subprocess.Popen(
            [str(SERVE)],
            env=env,
            cwd=BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(f"{url}/healthz/")[0] == 200, 120, "bin/serve")
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def get(url: str, session: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url)
    if session:
        request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={session}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, unescape(response.read().decode())
    except urllib.error.HTTPError as error:
        return error.code, unescape(error.read().decode())
    except OSError:
        return 0, ""


def signed_in(client, person) -> str:
    client.force_login(person)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Burst:
    """Threads claiming places and accepting swaps as fast as they can, each with its own
    connection, until told to stop; every answer counted."""

    def __init__(self, carers, shifts, swaps) -> None:
        self.carers, self.shifts, self.swaps = carers, shifts, swaps
        self.stop = threading.Event()
        self.phase = "before"  # before the database stops, while it is "away", "after"
        self.answers: Counter = Counter()
        self.lock = threading.Lock()

    def run(self, seed: int) -> None:
        chance = random.Random(seed)
        while not self.stop.is_set():
            try:
                if chance.random() < 0.05:
                    swap = chance.choice(self.swaps)
                    services.accept_swap(swap, actor=swap.wanted.carer)
                    answer = "swap accepted"
                else:
                    someone = chance.choice(self.carers)
                    services.claim(chance.choice(self.shifts), someone, actor=someone)
                    answer = "claimed"
            except (Refused, RuleBroken):
                answer = "refused by the rules"
            except (OperationalError, InterfaceError, DatabaseError):
                answer = "database away"
                connection.close()
            with self.lock:
                self.answers[self.phase, answer] += 1
            time.sleep(0.05)  # a burst of people, not a benchmark: changes span the restart
        connection.close()


def test_a_database_restart_mid_burst_leaves_no_change_half_done(databases, broker, served, client):
    cast = Cast()
    circle = cast.circle
    carers = [cast.ana, cast.ben, cast.cat, *(carer(circle) for _ in range(5))]
    # Visits in pairs at the same hour (Gwen's and Tom's), some needing two carers.
    shifts = [
        visit(client, in_days(day, hour), carers_needed=needed)
        for day in range(2, 8)
        for hour in (8, 13, 18)
        for client, needed in ((cast.gwen, 1), (cast.tom, 2))
    ]
    # On two later days each carer holds a visit and four have asked a colleague to swap.
    held = {
        day: [
            services.claim(visit(cast.gwen, in_days(day, 7 + 2 * i)), c, actor=c)
            for i, c in enumerate(carers)
        ]
        for day in (8, 9)
    }
    swaps = [
        services.propose_swap(mine[i], mine[i + 4], actor=mine[i].carer)
        for mine in held.values()
        for i in range(4)
    ]
    for swap in swaps:
        swap.wanted.refresh_from_db()
    session = signed_in(client, cast.ana)
    page = f"{served}{reverse('carer:my_shifts')}"
    assert get(page, session)[0] == 200
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assignments_before = Assignment.objects.count()

    burst = Burst(carers, shifts, swaps)
    threads = [threading.Thread(target=burst.run, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    burst.phase = "away"
    databases.cluster.pg_ctl("stop", "-m", "fast")
    try:
        status, body = get(page, session)
        health = get(f"{served}/healthz/")
        time.sleep(1)
    finally:
        databases.cluster.pg_ctl("start")
    burst.phase = "after"
    time.sleep(3)
    burst.stop.set()
    for thread in threads:
        thread.join(timeout=60)
    connection.close()  # this thread's own connection died with the server too

    # Ana was told plainly, and gunicorn serves again by itself.
    assert status == 503 and OUTAGE in body and NOT_SAVED in body, (
        status,
        body[body.find("<main") :][:600],
    )
    assert (health[0], json.loads(health[1])) == (503, {"database": "unreachable", "broker": "ok"})
    assert wait_for(lambda: get(page, session)[0] == 200, 30, "page again")
    answers = Counter({answer: n for (_phase, answer), n in burst.answers.items()})
    assert burst.answers["away", "database away"] > 0, burst.answers
    assert burst.answers["before", "claimed"] > 0
    # The services work again too.
    services.claim(visit(cast.gwen, in_days(10, 8)), cast.ana, actor=cast.ana)

    # No visit over-full, nobody in two places at once.
    live = Q(assignments__released_at__isnull=True)
    over_full = Shift.objects.annotate(held=Count("assignments", filter=live)).filter(
        held__gt=F("carers_needed")
    )
    assert not over_full.exists()
    active = Assignment.objects.filter(released_at__isnull=True)
    overlapping = active.filter(
        carer__assignments__released_at__isnull=True,
        carer__assignments__shift__start__lt=F("shift__end"),
        carer__assignments__shift__end__gt=F("shift__start"),
    ).exclude(carer__assignments__pk=F("pk"))
    assert not overlapping.exists()
    # Each swap whole or not at all: accepted, both carers moved and one event says so;
    # still open, both still hold their own.
    for swap in Swap.objects.select_related("offered", "wanted"):
        moved = active.filter(
            Q(shift=swap.wanted.shift_id, carer=swap.offered.carer_id)
            | Q(shift=swap.offered.shift_id, carer=swap.wanted.carer_id)
        ).count()
        stayed = active.filter(pk__in=[swap.offered_id, swap.wanted_id]).count()
        events = AuditEvent.objects.filter(action=Action.ACCEPT_SWAP, subject_id=swap.pk).count()
        if swap.status == SwapStatus.ACCEPTED:
            assert (moved, stayed, events) == (2, 0, 1)
        else:
            assert (swap.status, moved, stayed, events) == (SwapStatus.PROPOSED, 0, 2, 0)
    # Every place taken in the burst came with its audit event, or not at all.
    burst_events = AuditEvent.objects.filter(pk__gt=before)
    claims = burst_events.filter(action=Action.CLAIM).count()
    accepted = burst_events.filter(action=Action.ACCEPT_SWAP).count()
    assert burst_events.count() == claims + accepted
    assert Assignment.objects.count() - assignments_before == claims + 2 * accepted
    # A change that committed as the server went away is kept, though its caller saw an error.
    assert answers["claimed"] + answers["swap accepted"] <= claims + accepted
    announce = OutboxMessage.objects.filter(task=ANNOUNCE_CHANGE)
    assert announce.count() == AuditEvent.objects.count()

    # Whatever the outage kept from the broker, beat's relay sends; the worker runs it all.
    with time_machine.travel(timezone.now() + outbox.RESEND_AFTER + timedelta(seconds=1)):
        outbox.relay()
    wait_for(lambda: not announce.filter(done_at__isnull=True).exists(), 90, "all announced")
    print(
        f"\ndatabase restart: {dict(burst.answers)}; changes {claims + accepted} "
        f"(claims {claims}, swaps {accepted}), "
        f"announced {announce.filter(done_at__isnull=False).count()} of {announce.count()}"
    )

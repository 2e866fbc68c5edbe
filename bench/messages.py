"""How many messages people get: after the demo is seeded, and after one client's "rather
not" releases a carer's visits (the demo's largest such release).

Times the "rather not" and counts its queries; counts messages per person, in the app
(notifications) and by email, with follow-ups and delivery run in-process as in the demo;
then, half an hour on, what the periodic delivery sends.

    .venv/bin/python bench/messages.py

It runs on its own database, BENCH_DATABASE_URL (default care_circles_bench_messages on the
local server), which is dropped and made anew; DATABASE_URL is never touched.
"""

import time
from collections import Counter
from datetime import timedelta
from io import StringIO

import own_database  # bench/own_database.py: Django on a database of its own


def counts(since_pk: int, outbox: list) -> tuple[Counter, Counter]:
    from circles.models import Notification

    in_app = Counter(
        Notification.objects.filter(pk__gt=since_pk).values_list("person__email", flat=True)
    )
    emailed = Counter(address for message in outbox for address in message.to)
    return in_app, emailed


def report(label: str, in_app: Counter, emailed: Counter) -> None:
    def most(counter: Counter) -> str:
        if not counter:
            return "0"
        _who, top = counter.most_common(1)[0]
        return f"{top} (to one person)"

    print(
        f"{label}: {sum(in_app.values())} messages in the app to {len(in_app)} people, "
        f"most {most(in_app)}; {sum(emailed.values())} emails to {len(emailed)} people, "
        f"most {most(emailed)}"
    )


def main() -> None:
    own_database.set_up(
        "care_circles_bench_messages",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    import time_machine
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.utils import timezone

    from circles import notify
    from circles.models import Notification
    from people.models import Client
    from rota import services
    from rota.models import Assignment

    mail.outbox = []
    call_command("seed_demo", stdout=StringIO())
    report("seeded demo", *counts(0, mail.outbox))

    # The client and carer with the most visits still to come together.
    now = timezone.now()
    pair = (
        Assignment.objects.filter(released_at__isnull=True, start__gt=now)
        .values("shift__client", "carer")
        .annotate(visits=Count("pk"))
        .order_by("-visits", "shift__client", "carer")
        .first()
    )
    assert pair is not None, "the seeded demo has no visits to come"
    client = Client.objects.select_related("person", "representative").get(pk=pair["shift__client"])
    carer = Assignment.objects.filter(carer=pair["carer"]).first().carer
    actor = client.person or client.representative
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mail.outbox = []
    queries = 0

    def count(execute, *args):
        nonlocal queries
        queries += 1
        return execute(*args)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        services.decline_carer(client, carer, actor=actor)
    took = time.perf_counter() - started
    print(f'"rather not": {pair["visits"]} visits of {client} released from {carer}')
    print(f"  took {took:.2f} s and {queries} queries, its follow-up in-process included")
    in_app, emailed = counts(before, mail.outbox)
    report("  at once", in_app, emailed)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        notify.deliver_pending()
    report("  and 31 minutes later", *counts(before, mail.outbox))
    urgent = Notification.objects.filter(pk__gt=before).filter(Q(urgent=True)).count()
    print(f"  urgent among them: {urgent}")


if __name__ == "__main__":
    main()

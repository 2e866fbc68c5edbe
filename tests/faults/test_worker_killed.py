"""A real worker process killed with SIGKILL while it emails a team leader. Each email is
claimed, sent, then marked sent: the killed send stays claimed, unsent, until the claim
expires; then beat's deliver_pending sends it, with the same Message-ID, and a task run
again sends nothing more. The leaders get the alert and the email exactly once."""

from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from circles import notify
from circles.models import Circle, CircleState, Notification, NotificationKind, StateChange
from config.celery import app
from rota import services
from rota.models import OutboxMessage
from tests.faults.conftest import settled, wait_for
from tests.stories import Cast, planned_visit


def test_a_worker_killed_mid_email_leaves_the_leaders_one_alert_and_one_email_each(
    databases, broker, mail_server, worker
):
    cast = Cast()
    leaders = [cast.rhian, cast.owain]
    tomorrow = (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    medicine = planned_visit(cast.gwen, tomorrow, essential=True)
    Circle.objects.filter(pk=cast.circle.pk).update(state=CircleState.NOT_COPING)
    mail_server.stalled.set()
    worker.start()

    # The claim covers the last gap: the worker judges Treforest coping again and emails
    # its team leaders, and the mail server hangs on the first email.
    services.claim(medicine, cast.ana, actor=cast.ana)
    wait_for(lambda: mail_server.stalls == 1, 60, "email under way")
    claimed = wait_for(
        lambda: Notification.objects.filter(email_claimed_at__isnull=False).first(),
        10,
        "claimed email",
    )
    assert claimed.emailed_at is None
    worker.kill()

    # Started again, with the mail server answering; time passes beyond the dead claim.
    mail_server.stalled.clear()
    worker.start()
    Notification.objects.filter(email_claimed_at__isnull=False).update(
        email_claimed_at=F("email_claimed_at") - notify.CLAIM_EXPIRES - timedelta(seconds=1)
    )
    app.send_task("circles.tasks.deliver_pending")  # as beat does every few minutes
    alerts = Notification.objects.filter(kind=NotificationKind.CIRCLE_RECOVERED)
    wait_for(lambda: not alerts.filter(emailed_at__isnull=True).exists(), 60, "emails sent")
    # The lost deliveries come back from the broker later: they find them sent.
    for note in alerts:
        app.send_task("circles.tasks.deliver_notification", args=[note.pk])
    app.send_task("circles.tasks.deliver_pending")
    settled(lambda: len(mail_server.received), quiet=3)

    assert StateChange.objects.filter(circle=cast.circle).count() == 1
    assert sorted(alerts.values_list("person__email", flat=True)) == sorted(
        p.email for p in leaders
    )
    domain = urlsplit(settings.SITE_URL).hostname
    expected = {f"<notification-{note.pk}.1@{domain}>" for note in alerts}
    assert Counter(mail_server.received) == Counter(expected)
    assert mail_server.stalls == 1
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
    print(
        f"\nworker killed: alerts {alerts.count()} of 2, emails {len(mail_server.received)} "
        f"of 2, distinct {len(set(mail_server.received))}"
    )

"""The rota changes the fault tests make, and what counting them finds."""

from collections import Counter

from circles.models import Notification
from rota import services
from rota.models import Action, AuditEvent, OutboxMessage
from rota.outbox import ANNOUNCE_CHANGE
from tests.stories import Cast, in_days, visit


def make_changes(cast: Cast, visits: int = 4) -> int:
    """Claims, offers and cancellations across Treforest, as a week of carers and team
    leaders would make them; each commits on its own. Returns how many changes were made."""
    ana, ben, rhian = cast.ana, cast.ben, cast.rhian
    for hears_of_them in ("sian", "owain", "cat"):  # family and colleagues
        getattr(cast, hears_of_them)
    made = 0
    for day in range(2, 2 + visits):
        offered, kept, cancelled = (
            visit(client, in_days(day, hour))
            for client, hour in ((cast.gwen, 8), (cast.tom, 12), (cast.gwen, 17))
        )
        services.claim(offered, ana, actor=ana)
        services.offer(offered.assignments.get(), actor=ana)
        services.claim(kept, ben, actor=ben)
        services.claim(cancelled, ana, actor=ana)
        services.cancel_shift(cancelled, "Gwen is in hospital", actor=rhian)
        made += 5
    return made


def changes() -> list[AuditEvent]:
    """The rota changes made, as the audit trail has them."""
    return list(AuditEvent.objects.exclude(action=Action.GENERATE_SHIFTS).order_by("pk"))


def announced() -> int:
    """Changes whose follow-up ran: their announce_change row is done."""
    return OutboxMessage.objects.filter(task=ANNOUNCE_CHANGE, done_at__isnull=False).count()


def notifications() -> Counter:
    """How many notifications each (person, key) has: one each, or a duplicate."""
    return Counter(Notification.objects.values_list("person_id", "key"))

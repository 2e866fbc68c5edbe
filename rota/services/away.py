"""A client away from home (hospital, respite, a holiday with family): every visit in the
window is not needed, essential ones too, and their carers are freed; back early, the visits
from the return on are planned again."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from circles.permissions import decides_for, leads
from people.models import Client, Person
from rota.models import Action, AwayReason, ClientAway, ReleaseReason, away_frees
from rota.rules import Refused
from rota.services._base import (
    away_overlaps,
    changed,
    free_shifts,
    lock_circle,
    plan_again,
    require_actor,
    require_aware,
    require_end_after,
    service,
)

# The longest time away one record covers: longer than a year is a change to the care plan.
LONGEST_AWAY = timedelta(days=366)


def may_record_away(person: Person, client: Client) -> bool:
    """A team leader of the client's circle, the client (their own log-in) or their
    representative: who says the client is away, and when they are back."""
    return leads(person, client.circle) or decides_for(person, client)


@service
def record_client_away(
    client: Client,
    start: datetime,
    end: datetime,
    *,
    reason: AwayReason | str,
    actor: Person | None = None,
) -> ClientAway:
    """Every planned visit that starts inside the window (from `start`, before `end`) and has
    not started yet is not needed, essential ones too; their carers are freed. A visit that
    starts before the window still happens: the client is there when it begins. Visits the
    rota makes later inside the window are freed as they are made (rota.generation)."""
    require_aware(start, end)
    require_actor(actor, lambda a: may_record_away(a, client))
    if reason not in AwayReason.values:
        raise Refused("no_such_reason", _("Choose where the client will be."))
    require_end_after(start, end)
    if end - start > LONGEST_AWAY:
        raise Refused(
            "too_long",
            _(
                "A time away can last at most a year. For longer, the care plan needs "
                "changing instead."
            ),
        )
    now = timezone.now()
    if end <= now:
        raise Refused("in_the_past", _("That time has already passed."))
    # The circle first, as generation locks it: a visit it makes meanwhile is either freed
    # here or sees this time away. It also makes the overlap check below race-free.
    lock_circle(client.circle_id)
    if ClientAway.objects.filter(client=client, start__lt=end, end__gt=start).exists():
        raise away_overlaps()
    away = ClientAway.objects.create(client=client, start=start, end=end, reason=reason)
    inside = away_frees(start, end, now) & Q(client=client)
    freed, released = free_shifts(inside, ReleaseReason.CLIENT_AWAY, now)
    away.freed_shifts.set(freed)
    away.released.set(released)
    changed(
        Action.RECORD_CLIENT_AWAY,
        away,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        carers=[a.carer_id for a in released],
        after={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "reason": str(reason),
            "freed": [s.pk for s in freed],
            "released": [a.pk for a in released],
        },
    )
    return away


@service
def end_client_away(away: ClientAway, end: datetime, *, actor: Person | None = None) -> ClientAway:
    """Back early, at `end` (before the end first said, and not in the past): the visits
    from `end` on are planned again, each original carer put back where the rules still
    allow; otherwise the visit needs cover. Visits before `end` stay not needed."""
    require_aware(end)
    # The circle first, as generation locks it; then the carers, then the shifts.
    lock_circle(away.client.circle_id)
    away = ClientAway.objects.select_for_update().select_related("client__circle").get(pk=away.pk)
    client = away.client
    require_actor(actor, lambda a: may_record_away(a, client))
    now = timezone.now()
    if away.end <= now:
        raise Refused("already_over", _("This time away is already over."))
    if end >= away.end:
        raise Refused(
            "not_early",
            _("Back early means before %(end)s, the end already set.")
            % {
                "end": dateformat.format(
                    timezone.localtime(away.end, client.circle.tz), "l j F, H:i"
                )
            },
        )
    # A minute's grace: "back now", typed to the minute, is not in the past.
    if end < now - timedelta(minutes=1):
        raise Refused("in_the_past", _("That time has already passed."))
    require_end_after(away.start, end)
    from_return = away.freed_shifts.filter(start__gte=end).values_list("pk", flat=True)
    originals = list(away.released.filter(shift__start__gte=end).select_related("carer"))
    replanned, restored, uncovered = plan_again(list(from_return), originals)
    away.end, away.ended_early_at = end, now
    away.save(update_fields=["end", "ended_early_at"])
    changed(
        Action.END_CLIENT_AWAY,
        away,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        carers=[a.carer_id for a in originals],
        after={
            "end": end.isoformat(),
            "restored": restored,
            "not_restored": uncovered,
            "replanned": [s.pk for s in replanned],
        },
    )
    return away

"""Reminders before a carer's visits, for carers who turned them on (circles.channels):
the evening before, one message listing tomorrow's visits; an hour before, the next visit.

Beat runs `remind_visits` every few minutes. Each reminder is keyed (a day's list by the
date, a visit's by the visit), so a run that comes twice, or a second worker, tells nobody
twice. Both link to My shifts, where the address, getting in and who to phone are.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from circles import notify
from circles.channels import wants_reminders
from circles.models import NotificationKind
from circles.notify import Formatted
from people.models import Person
from rota.models import Assignment, ShiftStatus

# The list of tomorrow's visits goes from this time in the circle's time zone.
EVENING = time(18)
# How long before a visit its own reminder goes.
SOON = timedelta(hours=1)

TOMORROW_BODY = _(
    "%(visits)s\n\nOn the day, My shifts has each address, getting in and who to phone."
)
SOON_TITLE = _("Your visit to %(client)s starts at %(start)s")
SOON_BODY = _("%(client)s, %(start)s–%(end)s. Getting in and who to phone are on My shifts.")


def remind_visits(now: datetime | None = None) -> int:
    """Both reminders that are due at `now`; returns how many were due (each sent once)."""
    now = now or timezone.now()
    return remind_tomorrow(now) + remind_soon(now)


def held_places(start: datetime, end: datetime) -> QuerySet[Assignment]:
    """Places held by carers who want reminders, on planned visits starting in [start, end)."""
    return (
        Assignment.objects.filter(
            released_at__isnull=True,
            shift__status=ShiftStatus.PLANNED,
            start__gte=start,
            start__lt=end,
            carer__is_active=True,
        )
        .filter(wants_reminders("carer"))
        .select_related("carer", "shift__client", "shift__circle")
        .order_by("carer_id", "start", "pk")
    )


def remind_tomorrow(now: datetime) -> int:
    """From 18:00 in the circle's time zone, each carer's visits of the next local day, in
    one message per carer and day. Returns how many carers are told (or were already)."""
    # Tomorrow's visits start within two days of now, whatever the circle's time zone.
    days: dict[tuple[Person, date], list[Assignment]] = defaultdict(list)
    for place in held_places(now, now + timedelta(days=2)):
        local_now = timezone.localtime(now, place.shift.circle.tz)
        tomorrow = local_now.date() + timedelta(days=1)
        if local_now.time() < EVENING:
            continue
        if timezone.localtime(place.start, place.shift.circle.tz).date() == tomorrow:
            days[place.carer, tomorrow].append(place)
    for (carer, day), places in days.items():
        notify.notify(
            carer,
            NotificationKind.VISITS_TOMORROW,
            key=f"visits-tomorrow:{day.isoformat()}",
            title=ngettext_lazy(
                "You have %(count)s visit tomorrow, %(day)s",
                "You have %(count)s visits tomorrow, %(day)s",
                len(places),
            ),
            body=TOMORROW_BODY,
            params={
                "count": len(places),
                "day": Formatted(day, "l j F"),
                "visits": "\n".join(_line(place) for place in places),
            },
            link=reverse("carer:my_shifts"),
        )
    return len(days)


def remind_soon(now: datetime) -> int:
    """Each visit starting within the hour, to each carer holding it; a place taken within
    that hour is not reminded of (the carer has just chosen it). Returns how many."""
    places = held_places(now, now + SOON).filter(created_at__lte=F("start") - SOON)
    count = 0
    for place in places:
        shift = place.shift
        tz = shift.circle.tz
        notify.notify(
            place.carer,
            NotificationKind.VISIT_SOON,
            key=f"visit-soon:{shift.pk}",
            title=SOON_TITLE,
            body=SOON_BODY,
            params={
                "client": shift.client.preferred_name,
                "start": Formatted(timezone.localtime(shift.start, tz), "H:i"),
                "end": Formatted(timezone.localtime(shift.end, tz), "H:i"),
            },
            link=reverse("carer:my_shifts"),
            circle=shift.circle,
        )
        count += 1
    return count


def _line(place: Assignment) -> str:
    """One visit of a day's list: its times and the client's first name."""
    tz = place.shift.circle.tz
    start, end = timezone.localtime(place.start, tz), timezone.localtime(place.end, tz)
    return f"{start:%H:%M}–{end:%H:%M} {place.shift.client.preferred_name}"

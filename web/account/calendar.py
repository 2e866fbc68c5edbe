"""Each person's shifts as a calendar feed their phone's calendar app subscribes to.

The address holds a secret (`Person.feed_token`); a new one revokes the old address. Feeds
are fetched by calendar apps without a session and synced through other companies, so an
event carries the times and the client's first name only: never an address, access or task
notes, or anything about anyone's health.
"""

import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe
from icalendar.enums import STATUS, TRANSP

from people.models import Person
from rota.models import Assignment, ShiftStatus
from web.http import Request

# Shifts from this long ago stay in the feed, and places given up this recently are sent
# as cancelled so that calendars take them out.
KEEP_PAST = timedelta(days=14)
# Calendar apps are asked to fetch again this often (most decide for themselves).
REFRESH = timedelta(hours=1)
UID_DOMAIN = "care-circles"


@login_required
@require_GET
def calendar_page(request: Request) -> HttpResponse:
    """How to subscribe, with the person's own address, made on their first visit."""
    token = request.user.feed_token or _new_token(request.user, only_if_none=True)
    address = request.build_absolute_uri(reverse("account:calendar_feed", args=[token]))
    return render(
        request,
        "account/calendar.html",
        {
            "address": address,
            "webcal": "webcal://" + address.split("://", 1)[1],
            "horizon_weeks": settings.ROTA_HORIZON_WEEKS,
        },
    )


@login_required
@require_POST
def new_calendar_address(request: Request) -> HttpResponse:
    """A new secret address; the old one answers 404 from now on."""
    _new_token(request.user)
    messages.success(
        request,
        _(
            "Your calendar has a new address. The old one no longer works: add the new one "
            "to your calendar app."
        ),
    )
    return redirect("account:calendar")


def _new_token(person: Person, *, only_if_none: bool = False) -> str:
    """Give the person a new feed secret and return the one they now have.

    With `only_if_none`, the update is conditional, so two first visits at once (two tabs)
    agree on one address instead of the second silently revoking the first.
    """
    people = Person.objects.filter(pk=person.pk)
    if only_if_none:
        people = people.filter(feed_token__isnull=True)
    people.update(feed_token=secrets.token_urlsafe(32))
    token = Person.objects.values_list("feed_token", flat=True).get(pk=person.pk)
    # Set just now, or already set when only_if_none found one.
    assert token is not None
    person.feed_token = token
    return token


@require_safe  # calendar apps may ask with HEAD first
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no session, the secret in the address is the key."""
    person = Person.objects.filter(feed_token=token, is_active=True).first()
    if person is None:
        raise Http404
    response = HttpResponse(build_feed(person), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="care-circles.ics"'
    # Not for shared caches, and not for search engines if the address ever leaks.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def build_feed(person: Person, now: datetime | None = None) -> bytes:
    """The person's shifts from 14 days ago to the rota's horizon, as RFC 5545."""
    now = now or timezone.now()
    since = now - KEEP_PAST
    # Shifts are made up to ROTA_HORIZON_WEEKS ahead, by local date: a day's margin.
    until = now + timedelta(weeks=settings.ROTA_HORIZON_WEEKS, days=1)
    assignments = (
        Assignment.objects.filter(carer=person, shift__start__gte=since, shift__start__lt=until)
        .select_related("shift__client", "shift__circle")
        .order_by("shift__start", "shift_id", "id")
    )
    with translation.override(person.language):
        calendar = icalendar.Calendar.new(
            prodid="-//Care Circles//Rota//EN",
            # Stable, so an app knows a re-fetched feed for the same calendar; a new address
            # is a new calendar.
            uid=uuid.uuid5(uuid.NAMESPACE_URL, f"{UID_DOMAIN}:{person.feed_token}"),
            name=_("Care Circles: my visits"),
            refresh_interval=REFRESH,
            method="PUBLISH",
        )
        # RFC 7986 gives this property no default value type: it must say it is a duration.
        calendar["refresh-interval"].params["VALUE"] = "DURATION"
        # Outlook reads its own name for the refresh interval.
        calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
        for event in _events(_by_shift(assignments), since=since, now=now):
            calendar.add_component(event)
    # A VTIMEZONE for each circle's zone (TZID), covering the window's daylight-saving changes.
    calendar.add_missing_timezones(
        first_date=since.date() - timedelta(days=1), last_date=until.date() + timedelta(days=1)
    )
    return calendar.to_ical()


def _by_shift(assignments: Iterable[Assignment]) -> list[list[Assignment]]:
    """The person's assignments grouped by shift: one event each, whatever its history."""
    groups: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        groups.setdefault(assignment.shift_id, []).append(assignment)
    return list(groups.values())


def _events(
    groups: list[list[Assignment]], *, since: datetime, now: datetime
) -> Iterable[icalendar.Event]:
    for history in groups:
        holding = any(a.released_at is None for a in history)
        last_released = max((a.released_at for a in history if a.released_at), default=None)
        if not holding and last_released is not None and last_released < since:
            continue  # given up long ago: calendars have long since taken it out
        shift = history[0].shift
        live = holding and shift.status == ShiftStatus.PLANNED
        tz = shift.circle.tz
        name = shift.client.preferred_name
        # The first name only, and no times in words: the times are DTSTART and DTEND.
        if live:
            summary = _("Visit: %(name)s") % {"name": name}
        elif shift.status != ShiftStatus.PLANNED:
            summary = _("Cancelled: visit to %(name)s") % {"name": name}
        else:
            summary = _("No longer yours: visit to %(name)s") % {"name": name}
        yield icalendar.Event.new(
            uid=f"shift-{shift.pk}@{UID_DOMAIN}",
            start=shift.start.astimezone(tz),
            end=shift.end.astimezone(tz),
            stamp=now.astimezone(UTC),
            sequence=_sequence(shift.sequence, history),
            status=STATUS.CONFIRMED if live else STATUS.CANCELLED,
            transparency=TRANSP.OPAQUE if live else TRANSP.TRANSPARENT,
            summary=summary,
        )


def _sequence(shift_sequence: int, history: list[Assignment]) -> int:
    """RFC 5545 SEQUENCE: the shift's own, plus each time this person took it or gave it up.

    Handing a place over does not change the shift, so its sequence stays; but calendar
    apps that honour SEQUENCE only replace their copy when it grows. Counting the person's
    own comings and goings keeps it growing for them: 0 extra while they hold it first,
    1 once they gave it up, 2 if they took it again, and so on.
    """
    comings_and_goings = len(history) - 1 + sum(1 for a in history if a.released_at)
    return shift_sequence + comings_and_goings

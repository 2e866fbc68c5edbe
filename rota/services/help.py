"""“Needs help now”: an ad-hoc visit from now; the first carer to accept gets it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.permissions import cares_in, leads, speaks_for
from people.models import Client, Person
from rota.models import Action, Assignment, HelpRequest, HelpStatus, Shift
from rota.rules import Refused
from rota.services._base import (
    cancel,
    changed,
    lock_carers,
    lock_shift,
    place,
    require_actor,
    require_rules,
    service,
    shift_facts,
)

OPEN = (HelpStatus.ASKED, HelpStatus.ESCALATED, HelpStatus.ACKNOWLEDGED)
# "There in about N minutes": the choices a carer on the way has, one tap each.
ARRIVAL_MINUTES = (10, 20, 30, 45, 60)


def open_help_request(
    client: Client, *, end: datetime | None = None, raised_by: Person | None = None
) -> HelpRequest:
    """The client's open help request, made now if there is none (a second tap or a second
    relative pressing at the same moment finds the first: one open request per client)."""
    Client.objects.select_for_update().get(pk=client.pk)
    existing = HelpRequest.objects.filter(client=client, status__in=OPEN).first()
    if existing is not None:
        return existing
    now = timezone.now()
    shift = Shift.objects.create(
        circle_id=client.circle_id,
        client=client,
        start=now,
        end=end or now + timedelta(minutes=settings.HELP_REQUEST_MINUTES),
        carers_needed=1,
    )
    request = HelpRequest.objects.create(client=client, shift=shift, raised_by=raised_by)
    changed(
        Action.RAISE_HELP_REQUEST, request, actor=raised_by, shift=shift, after=shift_facts(shift)
    )
    return request


@service
def raise_help_request(client: Client, *, actor: Person | None = None) -> HelpRequest:
    require_actor(
        actor,
        lambda a: speaks_for(a, client) or cares_in(a, client.circle) or leads(a, client.circle),
    )
    return open_help_request(client, raised_by=actor)


@service
def accept_help_request(
    request: HelpRequest, carer: Person, *, actor: Person | None = None
) -> Assignment:
    require_actor(actor, lambda a: a == carer)
    lock_carers(carer)
    shift = lock_shift(request.shift)
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == HelpStatus.ACCEPTED:
        raise Refused("help_answered", _("Someone has just accepted this. Thank you."))
    if request.status not in OPEN:
        raise Refused("help_closed", _("This request for help was cancelled."))
    if shift.end <= timezone.now():
        raise Refused("help_over", _("This call for help is over: its time has passed."))
    require_rules(carer, shift)
    assignment = place(shift, carer)
    request.status, request.accepted_at = HelpStatus.ACCEPTED, timezone.now()
    request.save(update_fields=["status", "accepted_at"])
    changed(Action.ACCEPT_HELP_REQUEST, request, actor=actor, shift=shift, carers=[carer])
    return assignment


@service
def expect_arrival(
    request: HelpRequest, minutes: int, *, actor: Person | None = None
) -> HelpRequest:
    """The carer who accepted says they will be there in about `minutes` (one of
    ARRIVAL_MINUTES), for the family's page. Not a change to the rota, so no audit event;
    said again, the later word counts."""
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == HelpStatus.CANCELLED:
        raise Refused("help_closed", _("This request for help was cancelled."))
    going = Assignment.objects.filter(shift_id=request.shift_id, released_at__isnull=True)
    require_actor(actor, lambda a: going.filter(carer=a).exists())
    if request.status != HelpStatus.ACCEPTED:
        raise Refused("help_not_accepted", _("Nobody has said they can go yet."))
    if minutes not in ARRIVAL_MINUTES:
        raise Refused("arrival_minutes", _("Choose one of 10, 20, 30, 45 or 60 minutes."))
    request.expected_at = timezone.now() + timedelta(minutes=minutes)
    request.save(update_fields=["expected_at"])
    return request


@service
def acknowledge_help_request(request: HelpRequest, *, actor: Person | None = None) -> HelpRequest:
    """A team leader says “I'm on it”, so the other leader knows."""
    request = (
        HelpRequest.objects.select_for_update().select_related("client__circle").get(pk=request.pk)
    )
    require_actor(actor, lambda a: leads(a, request.client.circle))
    if request.status == HelpStatus.ACKNOWLEDGED:
        return request
    if request.status not in OPEN:
        raise Refused("help_closed", _("This request for help is already answered or cancelled."))
    request.status, request.acknowledged_at = HelpStatus.ACKNOWLEDGED, timezone.now()
    request.acknowledged_by = actor
    request.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    changed(
        Action.ACKNOWLEDGE_HELP_REQUEST,
        request,
        actor=actor,
        client_id=request.client_id,
        circle_id=request.client.circle_id,
    )
    return request


@service
def cancel_help_request(request: HelpRequest, *, actor: Person | None = None) -> HelpRequest:
    shift = lock_shift(request.shift)
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    require_actor(
        actor,
        lambda a: (
            a.pk == request.raised_by_id or speaks_for(a, shift.client) or leads(a, shift.circle)
        ),
    )
    if request.status == HelpStatus.CANCELLED:
        return request
    now = timezone.now()
    holders = cancel(shift, _("Help no longer needed."), now)
    request.status, request.closed_at = HelpStatus.CANCELLED, now
    request.save(update_fields=["status", "closed_at"])
    changed(
        Action.CANCEL_HELP_REQUEST,
        request,
        actor=actor,
        shift=shift,
        carers=[a.carer_id for a in holders],
    )
    return request

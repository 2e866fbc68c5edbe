"""Fetch what a team leader asks for, only if it is theirs to see, or answer 404.

A team leader sees the circles they lead; a coordinator every circle of their organisation
(docs/design.md, People and circles). Another circle's visit, client or carer looks exactly like one
that does not exist, for full pages and htmx alike.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from circles.models import Circle, Role
from circles.permissions import active_memberships, leads_any, members
from people.models import Client, Person
from rota.models import ClientAway, HelpRequest, Shift
from web.http import get_or_404
from web.roles import role_required

# The team leaders' pages: for team leaders, coordinators and superusers.
leader_required = role_required(leads_any)


def circles_led(person: Person) -> QuerySet[Circle]:
    """The circles the person supports: as a team leader, or all of their organisation's
    as its coordinator (permissions.leads says the same of one circle)."""
    if person.is_superuser:
        return Circle.objects.all()
    led = Q(pk__in=active_memberships(person, Role.TEAM_LEADER).values("circle_id"))
    if person.is_coordinator:
        led |= Q(organisation_id=person.organisation_id)
    return Circle.objects.filter(led)


def access_circle(person: Person, circle_id: int) -> Circle:
    return get_or_404(circles_led(person), pk=circle_id)


def access_shift(person: Person, shift_id: int) -> Shift:
    """A visit in one of the circles the person leads."""
    shifts = Shift.objects.filter(circle__in=circles_led(person)).select_related(
        "circle", "client", "plan"
    )
    return get_or_404(shifts, pk=shift_id)


def access_client(person: Person, client_id: int) -> Client:
    return get_or_404(
        Client.objects.filter(circle__in=circles_led(person)).select_related("circle"),
        pk=client_id,
    )


def access_away(person: Person, away_id: int) -> ClientAway:
    """A time away of a client of a circle the person leads."""
    aways = ClientAway.objects.filter(client__circle__in=circles_led(person))
    return get_or_404(aways.select_related("client__circle"), pk=away_id)


def current_carers(circle: Circle) -> QuerySet[Person]:
    """The circle's carers today, with an account that is still open, by name."""
    return members(circle, Role.CARER).order_by("full_name", "pk")


def access_carer(circle: Circle, carer_id: int | str | None) -> Person:
    """One of the circle's carers today: whom a team leader may ask or put on a visit."""
    try:
        carer_id = int(carer_id or "")
    except ValueError:
        raise Http404 from None
    return get_or_404(current_carers(circle), pk=carer_id)


def access_help_request(person: Person, request_id: int) -> HelpRequest:
    """A call for help of a client in one of the circles the person leads."""
    requests = HelpRequest.objects.filter(client__circle__in=circles_led(person))
    return get_or_404(requests.select_related("client__circle", "acknowledged_by"), pk=request_id)

"""Fetching things for the person asking, or 404: a family member reaches only the clients
they speak for, and whatever belongs to them (circles.permissions.clients_of)."""

from django.contrib import messages
from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

from circles.models import Role
from circles.permissions import clients_of
from people.models import Client, Person
from rota.models import FamilyVisit, HelpRequest
from rota.rules import Refused, RuleBroken


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
    user: Person


def access_clients(person: Person, client_id: int | None = None) -> tuple[Client, list[Client]]:
    """The client asked for (the first one when none is named) and every client the person
    speaks for, for the switch between them: one query."""
    clients = list(clients_of(person))
    if not clients:
        raise Http404
    if client_id is None:
        return clients[0], clients
    for client in clients:
        if client.pk == client_id:
            return client, clients
    raise Http404


def access_client(person: Person, client_id: int) -> Client:
    client = clients_of(person).filter(pk=client_id).first()
    if client is None:
        raise Http404
    return client


def access_family_visit(person: Person, visit_id: int) -> FamilyVisit:
    visit = (
        FamilyVisit.objects.select_related("client__circle", "family_member")
        .filter(pk=visit_id, client__in=clients_of(person))
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def access_help_request(person: Person, request_id: int) -> HelpRequest:
    help_request = (
        HelpRequest.objects.select_related("client__circle", "shift", "acknowledged_by")
        .filter(pk=request_id, client__in=clients_of(person))
        .first()
    )
    if help_request is None:
        raise Http404
    return help_request


def access_carer(client: Client, carer_id: int) -> Person:
    """A carer of the client's circle (past or present): a client only has wishes about them."""
    carer = (
        Person.objects.filter(
            pk=carer_id, memberships__circle_id=client.circle_id, memberships__role=Role.CARER
        )
        .distinct()
        .first()
    )
    if carer is None:
        raise Http404
    return carer


def tell_refusal(request: HttpRequest, refusal: Refused | RuleBroken) -> None:
    """Show why the rota engine said no, in its own words (DESIGN §7)."""
    if isinstance(refusal, RuleBroken):
        for violation in refusal.violations:
            messages.error(request, violation.message)
    else:
        messages.error(request, refusal.message)

"""Fetching things for the person asking, or 404: a family member reaches only the clients
they speak for, and whatever belongs to them (circles.permissions.clients_of)."""

from django.http import Http404
from django.utils.translation import gettext as _

from circles.models import Role
from circles.permissions import clients_of, deciders_for, speaks_for_anyone
from people.models import Client, Person
from rota.models import ClientAway, FamilyVisit, HelpRequest
from web.http import get_or_404
from web.roles import role_required

# The family pages: for whoever speaks for a client (the client too).
family_required = role_required(speaks_for_anyone)


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


def naming(person: Person, client: Client) -> dict[str, object]:
    """How a family page names the client for the person reading it: every family page's
    context starts from this. `is_me` is true for the client on their own pages, which then
    say "you" ("Who is coming to you"); for everyone else they name the client ("to Tom")."""
    return {"client": client, "is_me": client.is_themselves(person)}


def deciders(client: Client) -> str:
    """Whom a relative asks: "Gwen or Rhys", "Rhys", or "" when the client has neither a log-in
    nor a representative."""
    names = deciders_for(client)
    if len(names) == 2:
        return _("%(one)s or %(other)s") % {"one": names[0], "other": names[1]}
    return "".join(names)


def access_client(person: Person, client_id: int) -> Client:
    return get_or_404(clients_of(person), pk=client_id)


def access_family_visit(person: Person, visit_id: int) -> FamilyVisit:
    visits = FamilyVisit.objects.select_related("client__circle", "family_member")
    return get_or_404(visits.filter(client__in=clients_of(person)), pk=visit_id)


def access_away(person: Person, away_id: int) -> ClientAway:
    aways = ClientAway.objects.select_related("client__circle")
    return get_or_404(aways.filter(client__in=clients_of(person)), pk=away_id)


def access_help_request(person: Person, request_id: int) -> HelpRequest:
    requests = HelpRequest.objects.select_related("client__circle", "shift", "acknowledged_by")
    return get_or_404(requests.filter(client__in=clients_of(person)), pk=request_id)


def access_carer(client: Client, carer_id: int) -> Person:
    """A carer of the client's circle (past or present): a client only has wishes about them."""
    carers = Person.objects.filter(
        memberships__circle_id=client.circle_id, memberships__role=Role.CARER
    ).distinct()
    return get_or_404(carers, pk=carer_id)

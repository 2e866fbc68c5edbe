"""Who may see and act for whom: predicates over circle membership and role, in one place.

They are `rules` predicates, so views, templates ({% load rules %}) and services share them:
`leads(person, circle)`, `cares_in(person, circle)`, `speaks_for(person, client)`.
Every one of them counts only memberships current today (`Membership.objects.current`):
a member who has left, or who joins next month, is no member today.
"""

import rules
from django.db.models import Q, QuerySet

from circles.models import Circle, Membership, Role
from people.models import Client, Person


def active_memberships(person: Person, role: str | None = None) -> QuerySet[Membership]:
    """The person's memberships current today, in `role` if one is named."""
    memberships = Membership.objects.current().filter(person=person)
    return memberships.filter(role=role) if role else memberships


@rules.predicate
def leads(person: Person, circle: Circle) -> bool:
    """A team leader of the circle, or a coordinator of its organisation."""
    if person.is_superuser:
        return True
    if person.is_coordinator and person.organisation_id == circle.organisation_id:
        return True
    return active_memberships(person, Role.TEAM_LEADER).filter(circle=circle).exists()


def coordinates(person: Person, other: Person) -> bool:
    """A coordinator of the other person's organisation (or a superuser): who may read what
    concerns that person but names no circle, such as time off across several circles."""
    if person.is_superuser:
        return True
    return person.is_coordinator and person.organisation_id == other.organisation_id


@rules.predicate
def cares_in(person: Person, circle: Circle) -> bool:
    return active_memberships(person, Role.CARER).filter(circle=circle).exists()


@rules.predicate
def speaks_for(person: Person, client: Client) -> bool:
    """The client themselves, their representative, or a family member of theirs."""
    if client.person_id == person.pk or client.representative_id == person.pk:
        return True
    return active_memberships(person, Role.FAMILY).filter(client=client).exists()


def leads_any(person: Person) -> bool:
    """A team leader of some circle today, a coordinator, or a superuser: who the team
    leaders' pages are for (each page then shows only the circles they lead)."""
    if person.is_superuser or person.is_coordinator:
        return True
    return active_memberships(person, Role.TEAM_LEADER).exists()


def cares_anywhere(person: Person) -> bool:
    """A carer of some circle today: who the carers' pages and actions are for."""
    return active_memberships(person, Role.CARER).exists()


def speaks_for_anyone(person: Person) -> bool:
    """The client, their representative or family, of some client: who the family pages
    are for."""
    return clients_of(person).exists()


@rules.predicate
def decides_for(person: Person, client: Client) -> bool:
    """The client themselves or their representative: who says which carers are welcome and
    what the client's likes and wishes say. Family see these and may suggest, no more."""
    # Only ids that are set: a client with no log-in of their own is not "anyone with no id".
    deciders = {pk for pk in (client.person_id, client.representative_id) if pk is not None}
    return person.pk in deciders


@rules.predicate
def sets_up(person: Person, client: Client) -> bool:
    """A coordinator of the client's organisation (or a superuser): who writes down, on the
    admin's client page, what the client asked for when the client cannot do it themselves."""
    if person.is_superuser:
        return True
    return person.is_coordinator and person.organisation_id == client.circle.organisation_id


def deciders_for(client: Client) -> list[str]:
    """The names of who decides for the client, for the family to ask: the client (when they
    have their own log-in) and their representative."""
    names = []
    if client.person_id is not None:
        names.append(client.preferred_name)
    if client.representative is not None:
        names.append(client.representative.get_short_name())
    return names


def circles_of(person: Person, role: str) -> QuerySet[Circle]:
    """The circles where the person has this role now: what their pages may show."""
    return Circle.objects.filter(
        pk__in=active_memberships(person, role).values("circle_id")
    ).order_by("name")


def clients_of(person: Person) -> QuerySet[Client]:
    """The clients this person speaks for: themselves, as representative, or as family."""
    family = active_memberships(person, Role.FAMILY).values("client_id")
    return (
        Client.objects.filter(Q(person=person) | Q(representative=person) | Q(pk__in=family))
        # The representative: named on the family pages as the one who decides.
        .select_related("circle", "representative")
        .order_by("preferred_name")
    )


def sees_carer(person: Person, carer: Person) -> bool:
    """Who may see a carer's photo: the carer, and in a circle where they care today, their
    fellow carers, its team leaders (and coordinators), its clients and their families."""
    if person.pk == carer.pk:
        return True
    circles = active_memberships(carer, Role.CARER).values("circle_id")
    if person.is_superuser:
        return circles.exists()
    if person.is_coordinator:
        theirs = Circle.objects.filter(pk__in=circles, organisation_id=person.organisation_id)
        if theirs.exists():
            return True
    colleagues = active_memberships(person).filter(
        circle_id__in=circles, role__in=[Role.CARER, Role.TEAM_LEADER]
    )
    return colleagues.exists() or clients_of(person).filter(circle_id__in=circles).exists()


def members(circle: Circle, role: str) -> QuerySet[Person]:
    """The circle's members in `role` today, with an account that is still open."""
    current = Membership.objects.current().filter(circle=circle, role=role)
    return Person.objects.filter(is_active=True, pk__in=current.values("person_id")).order_by("pk")


def speakers_for(client: Client) -> QuerySet[Person]:
    """Who hears about the client's visits: the client, their representative, their family."""
    family = Membership.objects.current().filter(client=client, role=Role.FAMILY)
    return Person.objects.filter(
        Q(pk__in=family.values("person_id"))
        | Q(pk=client.person_id)
        | Q(pk=client.representative_id),
        is_active=True,
    ).order_by("pk")

"""Who may act for whom: predicates over circle membership and role, in one place."""

from django.db.models import Q
from django.utils import timezone

from circles.models import Circle, Membership, Role
from people.models import Client, Person


def _active(person: Person, circle_id: int, role: str):
    return Membership.objects.filter(person=person, circle_id=circle_id, role=role).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate())
    )


def leads(person: Person, circle: Circle) -> bool:
    """A team leader of the circle, or a coordinator of its organisation."""
    if person.is_superuser:
        return True
    if person.is_coordinator and person.organisation_id == circle.organisation_id:
        return True
    return _active(person, circle.pk, Role.TEAM_LEADER).exists()


def cares_in(person: Person, circle: Circle) -> bool:
    return _active(person, circle.pk, Role.CARER).exists()


def speaks_for(person: Person, client: Client) -> bool:
    """The client themselves, their representative, or a family member of theirs."""
    if client.person_id == person.pk or client.representative_id == person.pk:
        return True
    return _active(person, client.circle_id, Role.FAMILY).filter(client=client).exists()

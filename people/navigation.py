"""What each person's pages offer them, by the roles they hold now.

One person may be a carer in one circle, family in another and a team leader elsewhere:
they land on the page for what they mostly do, and the menu lets them switch.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from circles.models import Role
from circles.permissions import active_memberships, clients_of
from people.models import Person


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    role: str  # "carer", "family" (family, representative or the client) or "team_leader"

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# In the order a person with several roles lands: the first they hold is home.
NAV: list[NavItem] = []


def roles_of(person: Person) -> set[str]:
    roles = set(active_memberships(person).values_list("role", flat=True).distinct())
    if Role.FAMILY not in roles and clients_of(person).exists():
        roles.add(Role.FAMILY)
    if person.is_coordinator:
        roles.add(Role.TEAM_LEADER)
    return roles


def nav_for(person: Person) -> list[NavItem]:
    roles = roles_of(person)
    return [item for item in NAV if item.role in roles]


def navigation(request) -> dict:
    """Context processor: the signed-in person's menu."""
    if not request.user.is_authenticated:
        return {"nav": []}
    return {"nav": nav_for(request.user)}

"""What each person's pages offer them, by the roles they hold now.

One person may be a carer in one circle, family in another and a team leader elsewhere:
they land on the page for what they mostly do, and the menu lets them switch.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy

from circles import channels
from circles.models import Notification, Role
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
NAV: list[NavItem] = [
    # The carer's pages (web.carer): a carer lands on their shifts.
    NavItem("carer:my_shifts", gettext_lazy("My shifts"), "carer"),
    NavItem("carer:needs_cover", gettext_lazy("Needs cover"), "carer"),
    NavItem("carer:board", gettext_lazy("Circle board"), "carer"),
    NavItem("carer:thanks", gettext_lazy("Thanks"), "carer"),
    # The family's and the client's pages (web.family).
    NavItem("family:coming", gettext_lazy("Who is coming"), "family"),
    NavItem("family:what_happened", gettext_lazy("What happened"), "family"),
    NavItem("family:about", gettext_lazy("Likes and wishes"), "family"),
    # The team leaders' and coordinators' pages (web.leaders).
    NavItem("leaders:dashboard", gettext_lazy("Circles"), "team_leader"),
    NavItem("leaders:trail", gettext_lazy("Audit trail"), "team_leader"),
]


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


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: the signed-in person's menu, how many messages are unread, and
    whether they have reminders on (asked only by a page that shows the one-tap button)."""
    if not request.user.is_authenticated:
        return {"nav": [], "unread": 0, "reminders_on": False}
    person = request.user
    # One count over the few unread rows (a partial index): it is on every page.
    unread = Notification.objects.filter(person=person, read_at__isnull=True).count()
    return {
        "nav": nav_for(person),
        "unread": unread,
        "reminders_on": SimpleLazyObject(lambda: channels.reminders_on(person)),
    }

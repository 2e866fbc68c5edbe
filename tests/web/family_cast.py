"""The family and client pages' cast: Treforest circle, where Gwen and Tom live.

Sian is Gwen's daughter; Gwen has her own log-in too. Ana, Ben and Cat care for them. Next
door, Hillside looks after Bart, whose son Bryn must never reach Gwen's pages (nor Sian his).

Time stands still at Wednesday 29 April 2026, noon, London: "today" in the stories.
"""

import html
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from circles.models import Circle, Role
from people.models import Client, Person
from rota.models import Assignment, Shift
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    MembershipFactory,
    PersonFactory,
    ShiftFactory,
    VisitPlanFactory,
    carer,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 4, 29, 12, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime:
    """A moment in London: at(30, 8) is Thursday 30 April, 08:00."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@dataclass
class Cast:
    circle: Circle
    gwen: Client
    gwen_herself: Person
    tom: Client
    sian: Person
    ana: Person
    ben: Person
    cat: Person
    leader: Person
    bart: Client
    bryn: Person


def family_member(client: Client, **fields) -> Person:
    person = PersonFactory(**fields)
    MembershipFactory(circle=client.circle, person=person, role=Role.FAMILY, client=client)
    return person


def cast() -> Cast:
    circle = CircleFactory(name="Treforest")
    gwen_herself = PersonFactory(full_name="Gwen Davies", email="gwen@example.org")
    gwen = ClientFactory(
        circle=circle,
        full_name="Gwen Davies",
        preferred_name="Gwen",
        person=gwen_herself,
        what_matters="My garden and my cat, Smwt.",
        likes="Welsh cakes, Radio Cymru.",
        dislikes="Being rushed.",
        likes_to_give="Cuttings from the garden.",
    )
    tom = ClientFactory(circle=circle, full_name="Tom Evans", preferred_name="Tom")
    leader = PersonFactory(full_name="Rhian Lewis", email="rhian@example.org")
    MembershipFactory(circle=circle, person=leader, role=Role.TEAM_LEADER)
    hillside = CircleFactory(name="Hillside")
    bart = ClientFactory(circle=hillside, full_name="Bart Quince", preferred_name="Bart")
    return Cast(
        circle=circle,
        gwen=gwen,
        gwen_herself=gwen_herself,
        tom=tom,
        sian=family_member(gwen, full_name="Sian Davies", email="sian@example.org"),
        ana=carer(circle, full_name="Ana Price", email="ana@example.org"),
        ben=carer(circle, full_name="Ben Jones", email="ben@example.org"),
        cat=carer(circle, full_name="Cat Morgan", email="cat@example.org"),
        leader=leader,
        bart=bart,
        bryn=family_member(bart, full_name="Bryn Quince", email="bryn@example.org"),
    )


def visit(
    client: Client,
    start: datetime,
    *,
    hours: float = 1,
    title: str = "Morning visit",
    essential: bool = False,
    carers_needed: int = 1,
) -> Shift:
    """A visit made from a one-off plan of `client`'s, as generation would make it."""
    local = start.astimezone(client.circle.tz)
    plan = VisitPlanFactory(
        client=client,
        title=title,
        starts_on=local.date(),
        ends_on=local.date(),
        start_time=time(local.hour, local.minute),
        duration_minutes=int(hours * 60),
        essential=essential,
        carers_needed=carers_needed,
    )
    return ShiftFactory(
        client=client,
        circle=client.circle,
        plan=plan,
        plan_date=local.date(),
        start=start,
        end=start + timedelta(hours=hours),
        carers_needed=carers_needed,
    )


def place(shift: Shift, carer: Person) -> Assignment:
    return AssignmentFactory(shift=shift, carer=carer)


def words(markup: str) -> str:
    """What a person reads: the text, tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def cards(markup: str, css_class: str) -> list[str]:
    """The words of each element whose classes start `card <css_class>`, nested ones and all."""
    found = []
    for opening in re.finditer(rf'<(\w+) class="card {css_class}\b', markup):
        tag, depth = opening.group(1), 0
        for edge in re.finditer(rf"<(/?){tag}\b[^>]*>", markup[opening.start() :]):
            depth += -1 if edge.group(1) else 1
            if depth == 0:
                found.append(words(markup[opening.start() : opening.start() + edge.end()]))
                break
    return found

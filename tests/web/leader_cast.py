"""The team leaders' pages' cast.

Valleys Care runs Treforest (Gwen and Tom; Ana, a council carer, Ben, from an agency, and
Cat, Gwen's neighbour, unpaid) and Pontypridd (Dilys; Eli). Rhian leads Treforest only;
Nerys coordinates Valleys Care. Next door, Hill Care runs Hillside (Bart; Hywel), led by
Owain: nothing of it may ever reach Rhian or Nerys.

Time stands still at Monday 4 May 2026, 09:00 in London: "now" in the stories.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from circles.models import Circle, Role
from people.models import CarerKind, Client, CredentialType, Person
from rota.models import Assignment, Shift
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    CredentialTypeFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ShiftFactory,
    VisitPlanFactory,
    carer,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    """A moment in London: at(5, 8) is Tuesday 5 May, 08:00."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@dataclass
class Cast:
    circle: Circle
    gwen: Client
    tom: Client
    ana: Person
    ben: Person
    cat: Person
    rhian: Person
    nerys: Person
    pontypridd: Circle
    dilys: Client
    eli: Person
    hillside: Circle
    bart: Client
    hywel: Person
    owain: Person
    medication: CredentialType


def team_leader(circle: Circle, name: str, email: str) -> Person:
    person = PersonFactory(full_name=name, email=email, organisation=circle.organisation)
    MembershipFactory(circle=circle, person=person, role=Role.TEAM_LEADER)
    return person


def cast() -> Cast:
    valleys = OrganisationFactory(name="Valleys Care")
    circle = CircleFactory(organisation=valleys, name="Treforest")
    pontypridd = CircleFactory(organisation=valleys, name="Pontypridd")
    hillside = CircleFactory(organisation=OrganisationFactory(name="Hill Care"), name="Hillside")
    return Cast(
        circle=circle,
        gwen=ClientFactory(circle=circle, full_name="Gwen Davies", preferred_name="Gwen"),
        tom=ClientFactory(circle=circle, full_name="Tom Evans", preferred_name="Tom"),
        ana=carer(circle, full_name="Ana Price", email="ana@example.org"),
        ben=carer(circle, CarerKind.AGENCY, full_name="Ben Jones", email="ben@example.org"),
        cat=carer(circle, CarerKind.INFORMAL, full_name="Cat Morgan", email="cat@example.org"),
        rhian=team_leader(circle, "Rhian Lewis", "rhian@example.org"),
        nerys=PersonFactory(
            full_name="Nerys Hughes",
            email="nerys@example.org",
            organisation=valleys,
            is_staff=True,
        ),
        pontypridd=pontypridd,
        dilys=ClientFactory(circle=pontypridd, full_name="Dilys Rees", preferred_name="Dilys"),
        eli=carer(pontypridd, full_name="Eli Thomas", email="eli@example.org"),
        hillside=hillside,
        bart=ClientFactory(circle=hillside, full_name="Bart Quince", preferred_name="Bart"),
        hywel=carer(hillside, full_name="Hywel Pryce", email="hywel@example.org"),
        owain=team_leader(hillside, "Owain Hughes", "owain@example.org"),
        medication=CredentialTypeFactory(code="medication", name="Medication administration"),
    )


def visit(
    client: Client,
    start: datetime,
    *,
    hours: float = 1,
    title: str = "Morning visit",
    carers_needed: int = 1,
    needs=(),
    essential: bool = False,
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
        carers_needed=carers_needed,
        essential=essential,
    )
    plan.credentials_needed.set(needs)
    return ShiftFactory(
        client=client,
        circle=client.circle,
        plan=plan,
        plan_date=local.date(),
        start=start,
        end=start + timedelta(hours=hours),
        carers_needed=carers_needed,
    )


def place(shift: Shift, carer: Person, **fields) -> Assignment:
    return AssignmentFactory(shift=shift, carer=carer, **fields)

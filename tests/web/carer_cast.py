"""The carers' pages' cast: Treforest circle (Gwen and Tom; Ana, Ben and Cat care for
them) and, next door, Hillside (Bart; Hywel), whose ids Treforest's carers must never reach.

Time stands still at Wednesday 29 April 2026, noon, London: "today" in the stories.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from circles.models import Circle
from people.models import CarerKind, Client, CredentialType, Person
from rota.models import Assignment, Shift
from tests.factories import (
    AssignmentFactory,
    CircleFactory,
    ClientFactory,
    CredentialTypeFactory,
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
    tom: Client
    ana: Person
    ben: Person
    cat: Person
    medication: CredentialType
    other_circle: Circle
    bart: Client
    hywel: Person


def cast() -> Cast:
    circle = CircleFactory(name="Treforest")
    gwen = ClientFactory(
        circle=circle,
        full_name="Gwen Davies",
        preferred_name="Gwen",
        address="4 Heol y Nant, Treforest",
        access_notes="Key safe by the back door: 1966.",
        who_to_phone="Sian (daughter) 07700 900123",
    )
    tom = ClientFactory(circle=circle, full_name="Tom Evans", preferred_name="Tom")
    other = CircleFactory(name="Hillside")
    return Cast(
        circle=circle,
        gwen=gwen,
        tom=tom,
        ana=carer(circle, full_name="Ana Price", email="ana@example.org"),
        ben=carer(circle, full_name="Ben Jones", email="ben@example.org"),
        cat=carer(circle, CarerKind.INFORMAL, full_name="Cat Morgan", email="cat@example.org"),
        medication=CredentialTypeFactory(code="medication", name="Medication administration"),
        other_circle=other,
        bart=ClientFactory(circle=other, full_name="Bart Quince", preferred_name="Bart"),
        hywel=carer(other, full_name="Hywel Pryce", email="hywel@example.org"),
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
    notes: str = "",
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
        task_notes=notes,
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


def place(shift: Shift, carer: Person) -> Assignment:
    return AssignmentFactory(shift=shift, carer=carer)

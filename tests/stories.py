"""The stories' one world, shared by every test folder: when they happen and who is in them.

Valleys Care runs Treforest, where Gwen (who may have a log-in of her own) and Tom live. Ana, a
council carer, Ben, from an agency, and Cat, Gwen's neighbour (unpaid), care for them; Rhian
and Owain are Treforest's team leaders; Sian is Gwen's daughter, and Rhys, her nephew, speaks
for her. Valleys Care also runs Pontypridd (Dilys; Eli), and Nerys is its coordinator. Next
door, Hill Care runs Hillside (Bart, whose son is Bryn; Hywel): nothing of it may ever reach
Valleys Care's people, nor anything of theirs Hill Care's.

A person is made the first time a story names them (`cast.gwen`, or the `gwen` fixture of
tests/conftest.py), so a story holds the people it speaks of and nobody else;
`cast.everyone()` makes them all at once.

Time is London's, in 2026. The stories stand still at one of the moments below (the `now`
fixture), Wednesday 29 April at noon unless a module is marked otherwise.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from circles.models import Circle, Role
from people.models import CarerKind, Client, CredentialType, NewFaces, Person
from rota.models import (
    Assignment,
    LateStep,
    LateVisitStep,
    MedicationOutcome,
    MedicationRound,
    Shift,
    VisitRecord,
)
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


def at(day: int, hour: int, minute: int = 0, *, month: int = 5) -> datetime:
    """A moment in London in 2026, in May unless `month` says otherwise: at(4, 8) is Monday
    4 May, 08:00; at(30, 8, month=4) is Thursday 30 April, 08:00."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def in_days(days: int, hour: int, minute: int = 0) -> datetime:
    """`hour`:`minute` in London, `days` days after today by the real clock: for the stories
    that cannot stand still (threads racing each other, a browser's session cookie)."""
    day = timezone.localdate(timezone.now(), LONDON) + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def tomorrow(hour: int) -> datetime:
    """Tomorrow at `hour` o'clock in London, by the real clock."""
    return in_days(1, hour)


# The moments the stories stand still at. A module whose story happens at another one than
# the first says so with `pytest.mark.now(...)`.
# Carers', families' and the rota engine's "today"; their visits are from Thursday on.
WEDNESDAY_NOON = at(29, 12, month=4)
# The circles' alerts: "the next 14 days" are two whole weeks, Monday to Sunday.
MONDAY_MIDNIGHT = at(4, 0)
# The team leaders' pages.
MONDAY_MORNING = at(4, 9)


# The cast list. Each person or place is made from the ones it names, when first needed.
ORGANISATIONS = {"valleys": "Valleys Care", "hill_care": "Hill Care"}
CIRCLES = {  # name: (organisation, what it is called)
    "circle": ("valleys", "Treforest"),
    "pontypridd": ("valleys", "Pontypridd"),
    "hillside": ("hill_care", "Hillside"),
}
CLIENTS = {
    "tom": ("circle", "Tom Evans"),
    "dilys": ("pontypridd", "Dilys Rees"),
    "bart": ("hillside", "Bart Quince"),
}
CARERS = {  # name: (circle, full name, kind of carer)
    "ana": ("circle", "Ana Price", CarerKind.COUNCIL),
    "ben": ("circle", "Ben Jones", CarerKind.AGENCY),
    "cat": ("circle", "Cat Morgan", CarerKind.INFORMAL),  # Gwen's neighbour: no limit, no rest rule
    "eli": ("pontypridd", "Eli Thomas", CarerKind.COUNCIL),
    "hywel": ("hillside", "Hywel Pryce", CarerKind.COUNCIL),
}
TEAM_LEADERS = {"rhian": ("circle", "Rhian Lewis"), "owain": ("circle", "Owain Hughes")}
FAMILY = {"sian": ("gwen", "Sian Davies"), "bryn": ("bart", "Bryn Quince")}  # daughter, son
# Made by Cast's own methods: Gwen, her own log-in, Rhys, Nerys, and medication training.
OTHERS = ["gwen", "gwen_herself", "rhys", "nerys", "medication"]

# Everyone and everything a story may name, each also a fixture of that name (tests/conftest.py).
NAMES = [*ORGANISATIONS, *CIRCLES, *OTHERS, *CLIENTS, *CARERS, *TEAM_LEADERS, *FAMILY]


class Cast:
    """Everyone in the stories, each made the first time they are named: `cast.ana`."""

    def __getattr__(self, name: str):
        # Only called for a name not made yet: make it, and keep it for the next time.
        if name not in NAMES:
            raise AttributeError(name)
        made = self._make(name)
        setattr(self, name, made)
        return made

    def _make(self, name: str):
        if name in ORGANISATIONS:
            return OrganisationFactory(name=ORGANISATIONS[name])
        if name in CIRCLES:
            organisation, called = CIRCLES[name]
            return CircleFactory(organisation=getattr(self, organisation), name=called)
        if name in CLIENTS:
            circle, full_name = CLIENTS[name]
            preferred = full_name.split()[0]
            return ClientFactory(
                circle=getattr(self, circle), full_name=full_name, preferred_name=preferred
            )
        email = f"{name}@example.org"
        if name in CARERS:
            circle, full_name, kind = CARERS[name]
            return carer(getattr(self, circle), kind, full_name=full_name, email=email)
        if name in TEAM_LEADERS:
            circle, full_name = TEAM_LEADERS[name]
            return team_leader(getattr(self, circle), full_name=full_name, email=email)
        if name in FAMILY:
            client, full_name = FAMILY[name]
            return family_member(getattr(self, client), full_name=full_name, email=email)
        return getattr(self, f"_make_{name}")()

    def _make_gwen(self) -> Client:
        return ClientFactory(
            circle=self.circle,
            full_name="Gwen Davies",
            preferred_name="Gwen",
            address="4 Heol y Nant, Treforest CF37 1DL",
            access_notes="Key safe by the back door: 1966.",
            who_to_phone="Sian (daughter) 07700 900123",
            what_matters="My garden and my cat, Smwt.",
            likes="Welsh cakes, Radio Cymru.",
            dislikes="Being rushed.",
            likes_to_give="Cuttings from the garden.",
        )

    def _make_gwen_herself(self) -> Person:
        """Gwen's own log-in: once she has one, she hears of her visits and has her pages."""
        herself = PersonFactory(full_name="Gwen Davies", email="gwen@example.org")
        self.gwen.person = herself
        self.gwen.save(update_fields=["person"])
        return herself

    def _make_rhys(self) -> Person:
        """Gwen's nephew, who speaks for her: her representative, with no role in the circle."""
        rhys = PersonFactory(full_name="Rhys Davies", email="rhys@example.org")
        self.gwen.representative = rhys
        self.gwen.save(update_fields=["representative"])
        return rhys

    def _make_nerys(self) -> Person:
        """Valleys Care's coordinator, who uses the admin."""
        return PersonFactory(
            full_name="Nerys Hughes",
            email="nerys@example.org",
            organisation=self.valleys,
            is_staff=True,
        )

    def _make_medication(self) -> CredentialType:
        return CredentialTypeFactory(code="medication", name="Medication administration")

    def everyone(self) -> "Cast":
        """The whole cast, made now: for stories about what each person may or may not see."""
        for name in NAMES:
            getattr(self, name)
        return self


def team_leader(circle: Circle, **fields) -> Person:
    """A person of the circle's organisation who leads `circle`."""
    person = PersonFactory(organisation=circle.organisation, **fields)
    MembershipFactory(circle=circle, person=person, role=Role.TEAM_LEADER)
    return person


def family_member(client: Client, **fields) -> Person:
    person = PersonFactory(**fields)
    MembershipFactory(circle=client.circle, person=person, role=Role.FAMILY, client=client)
    return person


# Visits and places


def visit(client: Client, start: datetime, *, hours: float = 1, **fields) -> Shift:
    """A visit for `client` from `start`, `hours` long: ad hoc, as a call for help makes one,
    unless `fields` name its `plan`.

    Without a plan it counts as essential (`Shift.essential`): a family visit never frees it.
    """
    return ShiftFactory(
        client=client,
        circle=client.circle,
        start=start,
        end=start + timedelta(hours=hours),
        **fields,
    )


def planned_visit(
    client: Client,
    start: datetime,
    *,
    hours: float = 1,
    title: str = "Morning visit",
    carers_needed: int = 1,
    needs=(),
    essential: bool = False,
    tasks: tuple[str, ...] = (),
    medicines: tuple[str, ...] = (),
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
        tasks=list(tasks),
        medicines=list(medicines),
    )
    plan.credentials_needed.set(needs)
    return visit(
        client,
        start,
        hours=hours,
        plan=plan,
        plan_date=local.date(),
        carers_needed=carers_needed,
    )


def place(shift: Shift, person: Person, **fields) -> Assignment:
    """`person`'s place on `shift`, given them directly, as the rules would not be asked."""
    return AssignmentFactory(shift=shift, carer=person, **fields)


def third_new_face(cast: "Cast") -> Person:
    """Gwen's limit is two new carers a month, asked first past it; Dai and Efa have come (or
    are booked to come) to her for the first time in May, and Ffion, returned, has never been.
    Gwen has her own log-in and Rhys decides for her too."""
    cast.gwen_herself, cast.rhys  # noqa: B018 (made now: Gwen decides, with Rhys)
    cast.gwen.new_face_limit, cast.gwen.new_faces_past_limit = 2, NewFaces.ASK_FIRST
    cast.gwen.save(update_fields=["new_face_limit", "new_faces_past_limit"])
    dai, efa, ffion = (
        carer(cast.circle, full_name=name) for name in ("Dai Owen", "Efa Bowen", "Ffion Lloyd")
    )
    place(planned_visit(cast.gwen, at(1, 8)), dai)
    place(planned_visit(cast.gwen, at(6, 8)), efa)
    return ffion


# What happened at visits, written straight into the database as the carers' taps would leave it.


def visited(
    assignment: Assignment,
    arrived: datetime,
    left: datetime | None = None,
    *,
    tasks: tuple[str, ...] = (),
    medication: tuple[tuple[str, str, str], ...] = (),
    note: str = "",
) -> VisitRecord:
    """The carer of `assignment` arrived at `arrived` and, given `left`, left then, having done
    `tasks`, with each medicine round as (medicine, outcome, why not given) and a `note`."""
    record = VisitRecord.objects.create(
        assignment=assignment, arrived_at=arrived, left_at=left, tasks_done=list(tasks), note=note
    )
    for medicine, outcome, reason in medication:
        MedicationRound.objects.create(
            record=record, medicine=medicine, outcome=MedicationOutcome(outcome), reason=reason
        )
    return record


def missed(shift: Shift) -> Shift:
    """The visit ended with nobody arrived: its carers' places are marked missed, and the
    visit has its last late step."""
    shift.assignments.filter(released_at__isnull=True).update(missed=True)
    LateVisitStep.objects.create(shift=shift, step=LateStep.MISSED, at=shift.end)
    return shift

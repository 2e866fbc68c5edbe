"""The demo organisation: two care circles in the Taff valley and the people in them.

`build` creates the cast (DESIGN §1: 3–4 clients and 10–12 mixed carers a circle, a pair
of team leaders, families, a coordinator); `fill_rota` puts carers on six weeks of shifts
under the rules of DESIGN §4, leaving a few gaps so the capacity pages have something to
show. Everything random comes from one seeded generator, so a run is reproducible.
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from circles.models import Circle, Membership, Organisation, Role
from people.models import (
    CarerKind,
    CarerPreference,
    CarerProfile,
    Client,
    Credential,
    CredentialType,
    Employer,
    Person,
    Preference,
)
from rota import services
from rota.models import Shift, ShiftStatus, VisitPlan
from rota.recurrence import rule_for_weekdays
from rota.rules import Rule, RuleBroken

ORGANISATION = "Taff Valley Care"
PASSWORD = "care-circles-demo"
EMAIL_DOMAIN = "demo.care-circles.test"
SEED = 1966

COUNCIL = "Rhondda Cynon Taf Council"
AGENCY = "Valleys Homecare Agency"

CREDENTIAL_TYPES = {
    "dbs": "DBS check",
    "moving-handling": "Moving and handling",
    "medication": "Medication administration",
    "first-aid": "First aid",
    "dementia-care": "Dementia care",
}
ALL_CHECKS = tuple(CREDENTIAL_TYPES)
# Checks that run out soon, in days from today: the credential alerts need some.
EXPIRING = {
    ("Bethan Lewis", "medication"): 19,
    ("Priya Shah", "moving-handling"): 9,
    ("Tracey Rowlands", "dbs"): 26,
    ("Grace Okafor", "first-aid"): 4,
}


@dataclass(frozen=True)
class CarerSpec:
    name: str
    kind: CarerKind
    checks: tuple[str, ...] = ()
    employer: str = ""  # a direct carer's employer: the client who pays them
    language: str = "en"
    weekly_limit: int | None = None


@dataclass(frozen=True)
class PlanSpec:
    title: str
    at: time
    minutes: int
    checks: tuple[str, ...] = ()
    carers: int = 1
    essential: bool = False
    weekdays: tuple[int, ...] = tuple(range(7))
    notes: str = ""


@dataclass(frozen=True)
class ClientSpec:
    name: str
    address: str
    access: str
    who_to_phone: str
    matters: str
    likes: str
    dislikes: str
    gives: str
    plans: tuple[PlanSpec, ...]
    preferred: tuple[str, ...]
    not_wanted: str = ""


@dataclass(frozen=True)
class FamilySpec:
    name: str
    client: str
    language: str = "en"
    representative: bool = False


def _daily(title: str, hour: int, minute: int, minutes: int, **kw) -> PlanSpec:
    return PlanSpec(title, time(hour, minute), minutes, **kw)


# Bed visits end by 21:00 and mornings start at 07:45 or later, so a paid carer can do
# an evening round and the next morning's with their 11 hours' rest.
CIRCLES: dict[str, dict] = {
    "Treforest circle": {
        "gap_share": 0.12,
        "essential_gap_tomorrow": True,
        "carers": (
            CarerSpec("Bethan Lewis", CarerKind.COUNCIL, ALL_CHECKS, language="cy"),
            CarerSpec("Kelly Watkins", CarerKind.COUNCIL, ALL_CHECKS),
            CarerSpec("Rhys Edwards", CarerKind.COUNCIL, ALL_CHECKS, weekly_limit=37),
            CarerSpec("Nia Howells", CarerKind.COUNCIL, ALL_CHECKS, language="cy"),
            CarerSpec(
                "Priya Shah",
                CarerKind.AGENCY,
                ("dbs", "moving-handling", "medication", "first-aid"),
            ),
            CarerSpec("Daniel Evans", CarerKind.AGENCY, ("dbs", "moving-handling", "first-aid")),
            CarerSpec(
                "Joanne Phillips", CarerKind.AGENCY, ("dbs", "moving-handling"), weekly_limit=24
            ),
            CarerSpec(
                "Carys Hopkins",
                CarerKind.DIRECT,
                ("dbs", "first-aid"),
                "Tom Harries",
                weekly_limit=30,
            ),
            # She cleaned for Gwen for years before Gwen took her on as a carer.
            CarerSpec(
                "Mandy Jones",
                CarerKind.DIRECT,
                ("dbs", "dementia-care"),
                "Gwen Morgan",
                weekly_limit=20,
            ),
            CarerSpec("Rhian Rees", CarerKind.INFORMAL, weekly_limit=6),
            CarerSpec("Keith Powell", CarerKind.INFORMAL, ("first-aid",), weekly_limit=4),
            CarerSpec("Elin Roberts", CarerKind.INFORMAL, language="cy", weekly_limit=8),
        ),
        "clients": (
            ClientSpec(
                "Gwen Morgan",
                "14 Heol y Nant\nTreforest\nPontypridd CF37 1TA",
                "Key safe to the left of the front door (code in the care folder). Knock and "
                "call out who you are before going in: Gwen startles easily.",
                "Siân Morgan (daughter) 07700 900101. Taff Vale surgery 01632 960201.",
                "Staying in the street where she raised her family. Her cat, Smwt. Being "
                "called Gwen, not “love”.",
                "Radio Cymru in the morning, Welsh cakes, the hymns on a Sunday evening.",
                "Being rushed; the television left on loud; tea that has gone cold.",
                "Teaching anyone who will listen to make Welsh cakes; she knits hats for the "
                "baby unit.",
                (
                    _daily(
                        "Morning: get up, breakfast and tablets",
                        8,
                        0,
                        60,
                        checks=("medication",),
                        essential=True,
                        notes="Tablets are in the blister pack on the dresser.",
                    ),
                    _daily("Lunch and a cuppa", 12, 30, 30),
                    _daily("Tea", 17, 0, 30),
                    _daily(
                        "Bed: settle for the night", 20, 0, 30, notes="Leave the landing light on."
                    ),
                ),
                preferred=("Bethan Lewis", "Mandy Jones"),
                not_wanted="Daniel Evans",
            ),
            ClientSpec(
                "Dai Jenkins",
                "3 Railway Terrace\nTreforest\nPontypridd CF37 1TB",
                "Key safe on the back door, through the lane. The hoist and slings are in the "
                "front room: leave the hoist on charge.",
                "Gareth Jenkins (son) 07700 900102.",
                "Knowing how Ponty got on on a Saturday. Dignity in personal care: talk him "
                "through each step.",
                "Rugby, brass bands, a bacon sandwich, a bit of banter.",
                "Being hoisted in a hurry; cold hands; people who don't say who they are.",
                "Stories of the pit at Ynysybwl; tips for your allotment.",
                (
                    _daily(
                        "Morning: hoist, wash and dress",
                        8,
                        30,
                        60,
                        checks=("moving-handling",),
                        carers=2,
                        essential=True,
                        notes="Two carers for every hoist transfer.",
                    ),
                    _daily("Lunch", 12, 0, 30),
                    _daily("Tea", 16, 30, 30),
                    _daily(
                        "Bed: hoist transfer",
                        19,
                        30,
                        45,
                        checks=("moving-handling",),
                        carers=2,
                        essential=True,
                    ),
                ),
                preferred=("Rhys Edwards", "Kelly Watkins", "Keith Powell"),
            ),
            ClientSpec(
                "Eirlys Pugh",
                "9 Heol Ceiriog\nTreforest\nPontypridd CF37 1TD",
                "Ring the bell twice. Her neighbour at number 11 keeps a spare key if the key "
                "safe sticks.",
                "Ffion Pugh (niece) 07700 900103.",
                "Being spoken to in Welsh, above all when she is tired or muddled. Her garden "
                "and her chapel friends.",
                "Gardening, hymns, the crossword, a boiled egg with soldiers.",
                "Not knowing who has come in; the smell of coffee; being told to calm down.",
                "Cuttings from her garden for everyone; she corrects your Welsh, kindly.",
                (
                    _daily("Morning: breakfast and a wash", 9, 0, 45),
                    _daily("Lunch", 13, 0, 30),
                    _daily(
                        "Tea and evening tablets",
                        17,
                        30,
                        30,
                        checks=("medication",),
                        essential=True,
                    ),
                    _daily("Bed", 20, 15, 30),
                ),
                preferred=("Nia Howells", "Elin Roberts"),
            ),
            ClientSpec(
                "Tom Harries",
                "1 Maes y Deri\nTreforest\nPontypridd CF37 1TE",
                "Ramp at the side door. Tom lets you in with the door entry; the key safe by "
                "the side door only if he doesn't answer.",
                "Tom himself, 07700 900104. His partner Lee, 07700 900105.",
                "Running his own life: he decides how his care is done. Getting to work at "
                "the university two days a week.",
                "Cardiff City, cooking with help, podcasts, strong coffee.",
                "Being talked over, or about, when he is in the room.",
                "Helps younger carers with their college work; fixes anyone's phone.",
                (
                    _daily("Morning: shower and dress", 7, 45, 75),
                    _daily("Lunch and errands", 12, 0, 60, weekdays=(0, 1, 2, 3, 4)),
                    _daily("Evening: cook tea together", 18, 30, 60),
                ),
                preferred=("Carys Hopkins",),
            ),
        ),
        "family": (
            FamilySpec("Siân Morgan", "Gwen Morgan", "cy", representative=True),
            FamilySpec("Gareth Jenkins", "Dai Jenkins"),
            FamilySpec("Ffion Pugh", "Eirlys Pugh", "cy"),
        ),
    },
    "Pontypridd North circle": {
        "gap_share": 0.05,
        "essential_gap_tomorrow": False,
        "carers": (
            CarerSpec("Sarah Morris", CarerKind.COUNCIL, ALL_CHECKS),
            CarerSpec("Leighton Griffiths", CarerKind.COUNCIL, ALL_CHECKS),
            CarerSpec("Angharad Bowen", CarerKind.COUNCIL, ALL_CHECKS, language="cy"),
            CarerSpec("Tracey Rowlands", CarerKind.COUNCIL, ALL_CHECKS, weekly_limit=30),
            CarerSpec(
                "Grace Okafor",
                CarerKind.AGENCY,
                ("dbs", "moving-handling", "medication", "first-aid"),
            ),
            CarerSpec(
                "Tomasz Nowak", CarerKind.AGENCY, ("dbs", "moving-handling"), weekly_limit=40
            ),
            CarerSpec(
                "Owain Parry",
                CarerKind.DIRECT,
                ("dbs", "moving-handling"),
                "Hywel Thomas",
                language="cy",
            ),
            CarerSpec(
                "Julie Richards",
                CarerKind.DIRECT,
                ("dbs", "moving-handling", "first-aid"),
                "Hywel Thomas",
                weekly_limit=16,
            ),
            CarerSpec("Lowri Davies", CarerKind.INFORMAL, ("dbs",), weekly_limit=6),
            CarerSpec("Huw Pritchard", CarerKind.INFORMAL, language="cy", weekly_limit=4),
        ),
        "clients": (
            ClientSpec(
                "Megan Rees",
                "22 Heol Graigwen\nGraigwen\nPontypridd CF37 2HA",
                "Key safe by the front door. Park on the road, not the drive: Megan watches "
                "for her daughter's car.",
                "Rhian Rees (daughter) 07700 900106.",
                "Her family photographs on the dresser; having her hair done before anyone visits.",
                "Tea in a china cup, Max Boyce, the birds on the feeder, bara brith.",
                "Loud voices; being left in the dark.",
                "Her bara brith recipe, and a bird-spotting lesson at the window.",
                (
                    _daily(
                        "Morning and tablets",
                        8,
                        0,
                        45,
                        checks=("medication",),
                        essential=True,
                        notes="Heart tablets with breakfast; write them on the chart.",
                    ),
                    _daily("Lunch", 12, 30, 30),
                    _daily("Tea", 17, 0, 30),
                    _daily("Bed", 20, 0, 30),
                ),
                preferred=("Angharad Bowen", "Sarah Morris"),
            ),
            ClientSpec(
                "Hywel Thomas",
                "5 Lanelay Crescent\nMaesycoed\nPontypridd CF37 1JB",
                "Key safe round the back; the gate latch is stiff. The hoist is in the bedroom.",
                "Hywel first if he can talk; his brother Alun Thomas 07700 900107.",
                "Getting out: the shopping trip on Tuesdays and Fridays is the high point of "
                "his week. His choir.",
                "Male voice choir, Ponty market, a pint at the club on a Friday.",
                "Pureed food; being called “sweetheart”.",
                "He sings, and he is teaching Owain the bass part.",
                (
                    _daily(
                        "Morning: hoist, wash and dress",
                        8,
                        30,
                        60,
                        checks=("moving-handling",),
                        carers=2,
                        essential=True,
                    ),
                    _daily("Shopping and a run out", 10, 30, 120, weekdays=(1, 4)),
                    _daily("Tea", 17, 30, 45),
                    _daily("Bed", 20, 30, 30),
                ),
                preferred=("Owain Parry", "Julie Richards"),
            ),
            ClientSpec(
                "Beryl Davies",
                "41 Tyfica Road\nPontypridd CF37 2DA",
                "Key safe on the porch wall. Her dog Bonnie barks but is soft: say her name.",
                "Lowri Davies (granddaughter) 07700 900108.",
                "Bonnie being fed and walked. Keeping to her routines.",
                "Coronation Street, custard creams, sixties music, a walk to the park gate.",
                "A change of routine; men she doesn't know helping her wash.",
                "A welcome and a biscuit for everyone; tales of dancing at the Municipal Hall.",
                (
                    _daily("Morning: wash, dress, feed Bonnie", 9, 0, 45),
                    _daily("Lunch", 13, 0, 30),
                    _daily("Tea", 16, 30, 30),
                    _daily("Bed", 19, 45, 30),
                ),
                preferred=("Grace Okafor", "Lowri Davies"),
                not_wanted="Leighton Griffiths",
            ),
        ),
        "family": (
            # Rhian is also an informal carer in the Treforest circle, near where she lives.
            FamilySpec("Rhian Rees", "Megan Rees", representative=True),
            FamilySpec("Alun Thomas", "Hywel Thomas", "cy"),
            FamilySpec("Lowri Davies", "Beryl Davies"),
        ),
    },
}
TEAM_LEADERS = (("Catrin Llewellyn", "cy"), ("Marcus Bevan", "en"))
COORDINATOR = "Ana Price"
SUPERUSER_EMAIL = f"admin@{EMAIL_DOMAIN}"
CLIENT_WITH_LOGIN = "Tom Harries"


def email_for(name: str) -> str:
    first, _, last = name.partition(" ")
    return f"{slugify(first)}.{slugify(last)}@{EMAIL_DOMAIN}"


class _Cast:
    """Creates people once each; everyone shares one password hash (hashing is slow)."""

    def __init__(self) -> None:
        self.password = make_password(PASSWORD)
        self.people: dict[str, Person] = {}

    def person(self, name: str, language: str = "en", **fields) -> Person:
        if name not in self.people:
            self.people[name], _ = Person.objects.get_or_create(
                email=email_for(name),
                defaults={
                    "full_name": name,
                    "short_name": name.split(" ")[0],
                    "language": language,
                    "password": self.password,
                    **fields,
                },
            )
        return self.people[name]


def build(today: date, rng: random.Random) -> Organisation:
    """Create the organisation, its circles, people, credentials and care plans."""
    organisation = Organisation.objects.create(name=ORGANISATION)
    types = {
        code: CredentialType.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in CREDENTIAL_TYPES.items()
    }
    cast = _Cast()
    cast.person(COORDINATOR, is_staff=True, organisation=organisation)
    if not Person.objects.filter(email=SUPERUSER_EMAIL).exists():
        Person.objects.create(
            email=SUPERUSER_EMAIL,
            full_name="Demo Admin",
            password=cast.password,
            is_staff=True,
            is_superuser=True,
        )
    since = today - timedelta(days=180)
    leaders = [cast.person(name, language) for name, language in TEAM_LEADERS]
    for circle_name, spec in CIRCLES.items():
        circle = Circle.objects.create(organisation=organisation, name=circle_name)
        for leader in leaders:
            Membership.objects.create(
                circle=circle, person=leader, role=Role.TEAM_LEADER, started_on=since
            )
        for carer in spec["carers"]:
            _add_carer(cast, circle, carer, types, today, rng, since)
        for client_spec in spec["clients"]:
            _add_client(cast, circle, client_spec, types, today)
    # Family after every client exists: a family member may be a carer in the other circle.
    for spec in CIRCLES.values():
        for family in spec["family"]:
            client = Client.objects.get(circle__organisation=organisation, full_name=family.client)
            person = cast.person(family.name, family.language)
            Membership.objects.create(
                circle=client.circle,
                person=person,
                role=Role.FAMILY,
                client=client,
                started_on=since,
            )
            if family.representative:
                client.representative = person
                client.save(update_fields=["representative"])
    return organisation


def _add_carer(cast, circle, spec: CarerSpec, types, today, rng, since) -> None:
    person = cast.person(spec.name, spec.language)
    employer = None
    if spec.kind != CarerKind.INFORMAL:
        name = spec.employer or (COUNCIL if spec.kind == CarerKind.COUNCIL else AGENCY)
        employer, _ = Employer.objects.get_or_create(organisation=circle.organisation, name=name)
    CarerProfile.objects.create(
        person=person, kind=spec.kind, employer=employer, weekly_limit_hours=spec.weekly_limit
    )
    Membership.objects.create(circle=circle, person=person, role=Role.CARER, started_on=since)
    for code in spec.checks:
        days = EXPIRING.get((spec.name, code)) or rng.randint(120, 900)
        reference = f"{rng.randrange(10**11, 10**12):012d}" if code == "dbs" else ""
        Credential.objects.create(
            person=person,
            type=types[code],
            valid_until=today + timedelta(days=days),
            reference=reference,
        )


def _add_client(cast, circle, spec: ClientSpec, types, today) -> None:
    own_login = cast.person(spec.name) if spec.name == CLIENT_WITH_LOGIN else None
    client = Client.objects.create(
        circle=circle,
        full_name=spec.name,
        preferred_name=spec.name.split(" ")[0],
        person=own_login,
        address=spec.address,
        access_notes=spec.access,
        who_to_phone=spec.who_to_phone,
        what_matters=spec.matters,
        likes=spec.likes,
        dislikes=spec.dislikes,
        likes_to_give=spec.gives,
    )
    client.emergency_credentials.set([types["dbs"]])
    wishes = [(name, Preference.PREFERRED) for name in spec.preferred]
    if spec.not_wanted:
        wishes.append((spec.not_wanted, Preference.NOT_WANTED))
    for name, preference in wishes:
        CarerPreference.objects.create(
            client=client, carer=cast.people[name], preference=preference
        )
    for plan in spec.plans:
        visit = VisitPlan.objects.create(
            client=client,
            title=plan.title,
            rrule=rule_for_weekdays(list(plan.weekdays)),
            starts_on=today - timedelta(days=90),
            start_time=plan.at,
            duration_minutes=plan.minutes,
            carers_needed=plan.carers,
            essential=plan.essential,
            task_notes=plan.notes,
        )
        visit.credentials_needed.set([types[code] for code in plan.checks])


# Rules whose verdict for a carer and a plan cannot improve later in the horizon (no check
# is renewed and no preference changes while seeding), so the carer need not be asked again.
_LASTING = {Rule.MEMBERSHIP, Rule.NOT_WANTED, Rule.CREDENTIAL}
# Preferred carers go first until they have this many hours in the week.
PREFERRED_WEEKLY_HOURS = 12
DAYS_A_WEEK = 5


def fill_rota(circle: Circle, rng: random.Random, *, gap_share: float, essential_gap: bool):
    """Put carers on the circle's future planned shifts, greedily in time order.

    1. Leave a share of the places on non-essential visits free at random (and, if asked,
       tomorrow's first essential visit), so the circle has gaps to cover.
    2. For each other free place try, among carers not asked to work a sixth day that
       week, the client's preferred carers (up to a dozen hours a week each) first, then
       everyone by their hours that week, fewest first.
    3. The first carer whose claim the rules allow takes it; a place nobody may take
       stays free.
    Returns (places, filled, ids of carers given places).
    """
    tz = circle.tz
    carers = list(
        Person.objects.filter(memberships__circle=circle, memberships__role=Role.CARER).order_by(
            "full_name"
        )
    )
    tiebreak = {carer.pk: rng.random() for carer in carers}
    wishes: dict[tuple[int, int], str] = {
        (p.client_id, p.carer_id): p.preference
        for p in CarerPreference.objects.filter(client__circle=circle)
    }
    shifts = list(
        Shift.objects.filter(
            circle=circle, status=ShiftStatus.PLANNED, plan__isnull=False, start__gt=timezone.now()
        )
        .select_related("circle", "client", "plan")
        .order_by("start", "id")
    )
    tomorrow = timezone.localdate(timezone=tz) + timedelta(days=1)
    left_free = None
    if essential_gap:
        left_free = next(
            (
                s
                for s in shifts
                if s.plan.essential and timezone.localtime(s.start, tz).date() == tomorrow
            ),
            None,
        )
    hours: dict[tuple[int, date], float] = {}
    days: dict[tuple[int, date], set[date]] = {}
    never: set[tuple[int, int]] = set()
    places = filled = 0
    given: set[int] = set()
    for shift in shifts:
        day = timezone.localtime(shift.start, tz).date()
        week = day - timedelta(days=day.weekday())
        length = (shift.end - shift.start).total_seconds() / 3600
        for _place in range(shift.carers_needed):
            places += 1
            # The circle keeps essential visits covered, bar the one left free on purpose.
            if shift is left_free or (not shift.plan.essential and rng.random() < gap_share):
                continue

            def order(carer: Person, day=day, week=week, client_id=shift.client_id):
                load = hours.get((carer.pk, week), 0.0)
                preferred = wishes.get((client_id, carer.pk)) == Preference.PREFERRED
                worked = days.get((carer.pk, week), set())
                return (
                    day not in worked and len(worked) >= DAYS_A_WEEK,
                    not (preferred and load < PREFERRED_WEEKLY_HOURS),
                    load,
                    tiebreak[carer.pk],
                )

            for carer in sorted(carers, key=order):
                if (carer.pk, shift.plan_id) in never:
                    continue
                try:
                    # Through the rota engine, as a carer claiming it: the rules decide.
                    services.claim(shift, carer, actor=carer)
                except RuleBroken as refused:
                    if _LASTING & {v.rule for v in refused.violations}:
                        never.add((carer.pk, shift.plan_id))
                    continue
                hours[(carer.pk, week)] = hours.get((carer.pk, week), 0.0) + length
                days.setdefault((carer.pk, week), set()).add(day)
                filled += 1
                given.add(carer.pk)
                break
    return places, filled, given

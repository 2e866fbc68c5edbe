"""The demo's cast, as data: the organisation, its two circles, and each circle's carers,
clients (with their care plans) and families."""

from dataclasses import dataclass
from datetime import time

from people.models import CarerKind

ORGANISATION = "Taff Valley Care"
PASSWORD = "care-circles-demo"
# The demo's staff (its coordinator and superuser) give a code from an authenticator app
# after their password, as all staff do. Theirs is set up with this key, printed by
# seed_demo: published, so for the demo only.
AUTHENTICATOR_KEY = "DEMOCARECIRCLESDEMOCARECIRCLES22"
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
    tasks: tuple[str, ...] = ()
    medicines: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class SickSpec:
    """A carer off sick from a day (in days before today) for some days."""

    carer: str
    days_ago: int
    days: int


@dataclass(frozen=True)
class StaySpec:
    """A relative with a client on a day (in days before today), from one time to another."""

    family: str
    client: str
    days_ago: int
    start: time
    end: time


@dataclass(frozen=True)
class HistorySpec:
    """What happened in a circle over the four weeks before today, besides visits done: each
    swap and each visit given away by the day (in days before today) of the visit given up."""

    swaps: tuple[int, ...] = ()
    given_away: tuple[int, ...] = ()
    sick: SickSpec | None = None
    family_visit: StaySpec | None = None


def _daily(title: str, hour: int, minute: int, minutes: int, **kw) -> PlanSpec:
    return PlanSpec(title, time(hour, minute), minutes, **kw)


# Bed visits end by 21:00 and mornings start at 07:45 or later, so a paid carer can do
# an evening round and the next morning's with their 11 hours' rest.
# Treforest leaves more visits without a carer, and an essential one in three days: strained
# (not coping, were that gap within its 48 hours). Pontypridd North is coping.
CIRCLES: dict[str, dict] = {
    "Treforest circle": {
        "gap_share": 0.12,
        "essential_gap_in_days": 3,
        "history": HistorySpec(
            swaps=(19, 12, 5),
            given_away=(8,),
            sick=SickSpec("Kelly Watkins", days_ago=11, days=3),
            family_visit=StaySpec("Gareth Jenkins", "Dai Jenkins", 16, time(11, 45), time(17, 15)),
        ),
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
                        tasks=("Help her up and dressed", "Breakfast", "Empty the commode"),
                        medicines=("Morning tablets from the blister pack on the dresser",),
                    ),
                    _daily("Lunch and a cuppa", 12, 30, 30),
                    _daily("Tea", 17, 0, 30),
                    _daily(
                        "Bed: settle for the night",
                        20,
                        0,
                        30,
                        tasks=("Help her to bed", "Leave the landing light on"),
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
                        tasks=("Hoist transfer, two carers", "Wash", "Dress"),
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
        "gap_share": 0.02,
        "essential_gap_in_days": None,
        "history": HistorySpec(
            swaps=(17, 6),
            given_away=(10, 3),
            sick=SickSpec("Sarah Morris", days_ago=14, days=2),
            family_visit=StaySpec("Alun Thomas", "Hywel Thomas", 9, time(17, 0), time(21, 15)),
        ),
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
                        tasks=("Breakfast", "Write the tablets on the chart"),
                        medicines=("Heart tablets with breakfast",),
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

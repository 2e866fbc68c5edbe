"""Creating the demo's cast in the database (`build`), and putting carers on the rota's
shifts under its rules (`fill_rota`)."""

import random
from base64 import b32decode
from datetime import date, datetime, timedelta
from typing import cast

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from circles.demo.cast import (
    AGENCY,
    AUTHENTICATOR_KEY,
    CIRCLES,
    CLIENT_WITH_LOGIN,
    COORDINATOR,
    COUNCIL,
    CREDENTIAL_TYPES,
    EMAIL_DOMAIN,
    EXPIRING,
    ORGANISATION,
    PASSWORD,
    SUPERUSER_EMAIL,
    TEAM_LEADERS,
    CarerSpec,
    ClientSpec,
)
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


def email_for(name: str) -> str:
    first, _, last = name.partition(" ")
    return f"{slugify(first)}.{slugify(last)}@{EMAIL_DOMAIN}"


class _Cast:
    """Creates people once each, as the organisation's people (so its coordinator sees and
    manages them in the admin); everyone shares one password hash (hashing is slow)."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
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
                    "organisation": self.organisation,
                    **fields,
                },
            )
        return self.people[name]


def give_staff_authenticators() -> list[Person]:
    """Set up the demo's published authenticator key for the demo's staff who have none yet,
    so they can give a code after their password. Returns the demo's staff."""
    staff = list(
        Person.objects.filter(is_staff=True, email__endswith=f"@{EMAIL_DOMAIN}").order_by(
            "-is_superuser", "email"
        )
    )
    key = b32decode(AUTHENTICATOR_KEY).hex()
    for person in staff:
        if not TOTPDevice.objects.filter(user=person, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=person, name="Demo authenticator", key=key, confirmed=True
            )
    return staff


def build(today: date, rng: random.Random) -> Organisation:
    """Create the organisation, its circles, people, credentials and care plans."""
    organisation = Organisation.objects.create(name=ORGANISATION)
    types = {
        code: CredentialType.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in CREDENTIAL_TYPES.items()
    }
    cast = _Cast(organisation)
    cast.person(COORDINATOR, is_staff=True)
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
            tasks=list(plan.tasks),
            medicines=list(plan.medicines),
        )
        visit.credentials_needed.set([types[code] for code in plan.checks])


# Rules whose verdict for a carer and a plan cannot improve later in the horizon (no check
# is renewed and no preference changes while seeding), so the carer need not be asked again.
_LASTING = {Rule.MEMBERSHIP, Rule.NOT_WANTED, Rule.CREDENTIAL}
# Preferred carers go first until they have this many hours in the week.
PREFERRED_WEEKLY_HOURS = 12
DAYS_A_WEEK = 5


def _plan(shift: Shift) -> VisitPlan:
    """The plan of one of fill_rota's shifts, which are only those made from a plan."""
    return cast(VisitPlan, shift.plan)


def fill_rota(
    circle: Circle,
    rng: random.Random,
    *,
    gap_share: float,
    essential_gap_in_days: int | None = None,
    until: datetime | None = None,
):
    """Put carers on the circle's planned shifts yet to start (and starting before `until`,
    if given), greedily in time order, as carers claiming them now.

    1. Leave a share of the places on non-essential visits free at random (and, if asked,
       the first essential visit that many days ahead), so the circle has gaps to cover.
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
    to_fill = Shift.objects.filter(
        circle=circle, status=ShiftStatus.PLANNED, plan__isnull=False, start__gt=timezone.now()
    )
    if until is not None:
        to_fill = to_fill.filter(start__lt=until)
    shifts = list(to_fill.select_related("circle", "client", "plan").order_by("start", "id"))
    left_free = None
    if essential_gap_in_days is not None:
        gap_day = timezone.localdate(timezone=tz) + timedelta(days=essential_gap_in_days)
        left_free = next(
            (
                s
                for s in shifts
                if _plan(s).essential and timezone.localtime(s.start, tz).date() == gap_day
            ),
            None,
        )
    hours: dict[tuple[int, date], float] = {}
    days: dict[tuple[int, date], set[date]] = {}
    # (carer, plan) pairs; every shift here has a plan, but its plan_id is typed optional.
    never: set[tuple[int, int | None]] = set()
    places = filled = 0
    given: set[int] = set()
    for shift in shifts:
        day = timezone.localtime(shift.start, tz).date()
        week = day - timedelta(days=day.weekday())
        length = (shift.end - shift.start).total_seconds() / 3600
        for _place in range(shift.carers_needed):
            places += 1
            # The circle keeps essential visits covered, bar the one left free on purpose.
            if shift is left_free or (not _plan(shift).essential and rng.random() < gap_share):
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

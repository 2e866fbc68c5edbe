"""`manage.py seed_demo`: a realistic organisation whose rota keeps every rule, seeded once."""

from base64 import b32decode
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from django_otp.oath import TOTP

from circles import alerts
from circles.continuity import continuity
from circles.models import Circle, CircleState, Membership, Notification, Organisation, Role
from circles.payroll import hours_worked, last_month
from circles.trail import describe
from people.models import (
    CarerKind,
    CarerPreference,
    Client,
    Credential,
    Person,
    Preference,
)
from rota import rules
from rota.lateness import check_late_visits
from rota.models import (
    Absence,
    AbsenceKind,
    Action,
    Assignment,
    AuditEvent,
    FamilyVisit,
    MedicationRound,
    Shift,
    ShiftStatus,
    VisitPlan,
    VisitRecord,
)

pytestmark = pytest.mark.django_db

DOMAIN = "@demo.care-circles.test"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seeds_a_mixed_organisation_once_and_prints_only_how_to_log_in(client) -> None:
    first = seed()

    organisation = Organisation.objects.get(name="Taff Valley Care")
    circles = list(Circle.objects.filter(organisation=organisation))
    assert len(circles) == 2
    for circle in circles:
        assert 3 <= circle.clients.count() <= 4
        carers = Membership.objects.filter(circle=circle, role=Role.CARER)
        assert 10 <= carers.count() <= 12
        kinds = set(carers.values_list("person__carer_profile__kind", flat=True))
        assert kinds == set(CarerKind.values)
        leaders = Membership.objects.filter(circle=circle, role=Role.TEAM_LEADER)
        assert leaders.count() == 2
    # The same pair of team leaders supports both circles.
    assert Person.objects.filter(memberships__role=Role.TEAM_LEADER).distinct().count() == 2
    # Everyone but the superuser is the organisation's, so its coordinator sees them in the
    # admin and can put its carers on visits.
    assert set(Person.objects.exclude(is_superuser=True)) == set(organisation.people.all())

    today = timezone.localdate()
    assert Credential.objects.filter(
        valid_until__gte=today, valid_until__lte=today + timedelta(days=30)
    ).exists()
    assert VisitPlan.objects.filter(essential=True, credentials_needed__code="medication").exists()
    assert VisitPlan.objects.filter(
        carers_needed=2, credentials_needed__code="moving-handling"
    ).exists()

    assert CarerPreference.objects.filter(preference=Preference.NOT_WANTED).exists()
    assert Client.objects.filter(person__isnull=False).exists()
    assert Client.objects.filter(representative__memberships__role=Role.FAMILY).exists()
    # An informal carer in one circle who is family of a client in the other.
    informal = Membership.objects.filter(
        role=Role.CARER, person__carer_profile__kind=CarerKind.INFORMAL
    )
    assert any(
        Membership.objects.filter(person=m.person, role=Role.FAMILY)
        .exclude(circle=m.circle)
        .exists()
        for m in informal
    )
    assert Person.objects.filter(organisation=organisation, is_staff=True).exists()
    assert Person.objects.filter(is_superuser=True).exists()
    assert Person.objects.filter(language="cy").exists()
    assert Person.objects.get(email="ana.price" + DOMAIN).check_password("care-circles-demo")

    # Run again (seeding takes a while, so this test does both): nothing changes, and the
    # log-ins are printed once more.
    counts = (Person.objects.count(), Shift.objects.count(), Assignment.objects.count())
    second = seed()
    assert (Person.objects.count(), Shift.objects.count(), Assignment.objects.count()) == counts
    assert AuditEvent.objects.filter(action="seed_demo").count() == 1
    for output in (first, second):
        # Nothing but the log-ins, in a short table, and how staff give their code.
        lines = output.strip().splitlines()
        assert lines[0].startswith("The demo is at http://127.0.0.1:8000/")
        assert lines[-1].startswith("or, with oathtool:")
        assert len(lines) <= 20
        assert "http://127.0.0.1:8000/admin/" in output
        assert "care-circles-demo" in output
        assert "ana.price" + DOMAIN in output  # the coordinator
        assert "admin" + DOMAIN in output  # the superuser
        assert "catrin.llewellyn" + DOMAIN in output  # a team leader
        assert "bethan.lewis" + DOMAIN in output  # a carer
        assert "sian.morgan" + DOMAIN in output  # family
        assert "tom.harries" + DOMAIN in output  # a client with their own log-in

    # The demo's staff give a code from the printed key after their password.
    key = first.split("for the demo only): ", 1)[1].splitlines()[0].replace(" ", "")
    code = f"{TOTP(b32decode(key)).token():06d}"
    signed_in = client.post(
        "/sign-in/",
        {"username": "admin" + DOMAIN, "password": "care-circles-demo"},
    )
    assert signed_in.status_code == 302
    assert client.post("/sign-in/code/", {"code": code, "next": "/admin/"})["Location"] == (
        "/admin/"
    )
    assert client.get("/admin/").status_code == 200


def _free(shift: Shift) -> bool:
    return shift.assignments.filter(released_at__isnull=True).count() < shift.carers_needed


def test_seeds_four_weeks_done_and_six_weeks_ahead_one_circle_coping_one_strained() -> None:
    """Seeding takes a while, so this test looks at both the past and the rota ahead, as
    they were when seeding began: a visit under way then may be over by the time it ends."""
    now = timezone.now()
    seed()
    circles = {circle.name: circle for circle in Circle.objects.all()}

    # The dashboard shows one circle of each: the stored state is what the thresholds judge.
    assert circles["Pontypridd North circle"].state == CircleState.OK
    assert circles["Treforest circle"].state == CircleState.STRAINED
    for circle in circles.values():
        assert alerts.check_circle(circle) == circle.state

    # Every place on a visit already over was filled, and the visit done: payroll for last
    # month has each paid carer's visits, and each client's continuity has figures.
    over = Shift.objects.filter(end__lte=now, status=ShiftStatus.PLANNED)
    assert over.filter(start__lt=now - timedelta(days=27)).exists()
    assert not [s for s in over if _free(s)]
    period = last_month(timezone.localdate())
    ids = [circle.pk for circle in circles.values()]
    payroll = hours_worked(ids, period["start"], period["end"], now=now)
    assert len(payroll) >= 10
    assert all(row.visits > 0 and row.hours > 0 for row in payroll)
    figures = continuity(
        Client.objects.filter(circle_id__in=ids).values_list("pk", flat=True), now=now
    )
    for figure in figures.values():
        # Visits every day, by a handful of familiar faces rather than the whole circle.
        assert figure.recent.visits >= 2 * 28
        assert 3 <= figure.recent.carers <= 8
        assert figure.recent.percent_familiar is not None
        assert figure.recent.percent_familiar >= 80

    # Each carer on a visit begun said they arrived (and, the visit over, left, with what they
    # did), so the late-visit sweep finds nothing to chase and nothing missed.
    begun = Assignment.objects.filter(
        released_at__isnull=True, start__lte=now, shift__status=ShiftStatus.PLANNED
    )
    assert begun.exists() and not begun.filter(record__isnull=True).exists()
    assert not begun.filter(end__lte=now, record__left_at__isnull=True).exists()
    assert VisitRecord.objects.exclude(tasks_done=[]).exists()
    assert MedicationRound.objects.exists()
    assert check_late_visits() == 0

    # What happened, in the trail at the time it happened, made by the person who did it.
    past = AuditEvent.objects.filter(at__lt=now - timedelta(days=1))
    done = Counter(past.values_list("action", flat=True))
    assert done[Action.CLAIM] > 500
    assert done[Action.ACCEPT_SWAP] >= 3
    assert done[Action.TAKE_OFFER] >= 2
    assert done[Action.RECORD_ABSENCE] >= 1
    assert done[Action.RECORD_FAMILY_VISIT] >= 1
    assert not past.filter(actor_id__isnull=True).exclude(action=Action.GENERATE_SHIFTS).exists()
    sentences = [line.sentence for line in describe(list(past.exclude(action=Action.CLAIM)))]
    assert any(s.endswith("(swap).") for s in sentences)
    assert any("is off (sick)" in s for s in sentences)

    # The carer off sick: each visit they could not do was taken by a colleague.
    for absence in Absence.objects.filter(kind=AbsenceKind.SICK):
        assert absence.released.exists()
        for place in absence.released.all():
            cover = place.shift.assignments.filter(released_at__isnull=True)
            assert cover.exclude(carer=absence.carer).count() == place.shift.carers_needed
    # The family visit freed the visits it covered.
    for stay in FamilyVisit.objects.all():
        assert stay.freed_shifts.exists()
        assert not stay.freed_shifts.exclude(status=ShiftStatus.NOT_NEEDED).exists()

    # The seeded history is not news: nothing waits to be sent, and at most the team leaders
    # (how the circles stand) and the holders of checks running out, with their coordinator,
    # find anything in their Messages.
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    told = Counter(Notification.objects.values_list("person__email", flat=True))
    assert max(told.values(), default=0) <= 4
    running_out = Credential.objects.filter(valid_until__lte=timezone.localdate() + timedelta(30))
    expected = (
        set(
            Person.objects.filter(memberships__role=Role.TEAM_LEADER).values_list(
                "email", flat=True
            )
        )
        | set(running_out.values_list("person__email", flat=True))
        | {"ana.price" + DOMAIN}
    )
    assert set(told) <= expected

    # Ahead: six weeks, mostly covered, every place within the rules.
    today = timezone.localdate()
    planned = Shift.objects.filter(status=ShiftStatus.PLANNED, start__gt=timezone.now())
    dates = sorted(set(planned.values_list("plan_date", flat=True)))
    assert dates[0] <= today + timedelta(days=1)
    assert dates[-1] >= today + timedelta(weeks=6) - timedelta(days=2)

    places = planned.aggregate(n=Sum("carers_needed"))["n"]
    held = Assignment.objects.filter(released_at__isnull=True, start__gt=timezone.now())
    assert 0.80 <= held.count() / places <= 0.99
    # Some gaps this week, for the capacity pages, one of them an essential visit.
    soon = [s for s in planned.filter(start__lt=timezone.now() + timedelta(days=7)) if _free(s)]
    assert soon
    assert any(s.essential for s in soon)

    for assignment in held.select_related("carer", "shift__circle", "shift__client", "shift__plan"):
        # Each place re-checked as if its holder were taking it now, their own hold left out.
        assert (
            rules.check(
                assignment.carer,
                assignment.shift,
                giving_up=assignment,
                taking_over=assignment,
            )
            == []
        ), assignment

    not_wanted = CarerPreference.objects.filter(preference=Preference.NOT_WANTED)
    for wish in not_wanted:
        assert not held.filter(shift__client=wish.client, carer=wish.carer).exists()

    # The demo's first periodic jobs find everything told already: nothing comes after the
    # log-ins.
    call_command("run_periodic_jobs", "--once", stdout=StringIO())
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

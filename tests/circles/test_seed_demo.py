"""`manage.py seed_demo`: a realistic organisation whose rota keeps every rule, seeded once."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from circles.models import Circle, Membership, Notification, Organisation, Role
from people.models import (
    CarerKind,
    CarerPreference,
    Client,
    Credential,
    Person,
    Preference,
)
from rota import rules
from rota.models import Assignment, AuditEvent, Shift, ShiftStatus, VisitPlan

pytestmark = pytest.mark.django_db

DOMAIN = "@demo.care-circles.test"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seeds_a_mixed_organisation_once_and_prints_how_to_log_in() -> None:
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
        assert "http://127.0.0.1:8000/admin/" in output
        assert "care-circles-demo" in output
        assert "ana.price" + DOMAIN in output  # the coordinator
        assert "admin" + DOMAIN in output  # the superuser
        assert "catrin.llewellyn" + DOMAIN in output  # a team leader
        assert "bethan.lewis" + DOMAIN in output  # a carer
        assert "sian.morgan" + DOMAIN in output  # family
        assert "tom.harries" + DOMAIN in output  # a client with their own log-in


def test_seeds_six_weeks_of_mostly_covered_shifts_that_break_no_rule() -> None:
    seed()

    today = timezone.localdate()
    planned = Shift.objects.filter(status=ShiftStatus.PLANNED)
    dates = sorted(set(planned.values_list("plan_date", flat=True)))
    assert dates[0] <= today + timedelta(days=1)
    assert dates[-1] >= today + timedelta(weeks=6) - timedelta(days=2)

    places = planned.aggregate(n=Sum("carers_needed"))["n"]
    held = Assignment.objects.filter(released_at__isnull=True)
    assert 0.80 <= held.count() / places <= 0.99
    # Some gaps soon, for the capacity pages, one of them an essential visit.
    soon = [s for s in planned.filter(start__lt=timezone.now() + timedelta(days=3)) if _free(s)]
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
    assert AuditEvent.objects.filter(action="seed_demo").count() == 1


def _free(shift: Shift) -> bool:
    return shift.assignments.filter(released_at__isnull=True).count() < shift.carers_needed


def test_the_seeded_demo_tells_nobody_more_than_a_handful_of_things() -> None:
    seed()
    # In the leaders' Messages, but not sent on: nothing is printed before the log-ins.
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    told = Counter(Notification.objects.values_list("person__email", flat=True))
    # The seeded rota is history, not news: at most the team leaders hear how the circles
    # start out.
    assert max(told.values(), default=0) <= 2
    leaders = set(
        Person.objects.filter(memberships__role=Role.TEAM_LEADER).values_list("email", flat=True)
    )
    assert set(told) <= leaders


def test_the_demos_staff_can_give_a_code_from_the_printed_key(client) -> None:
    from base64 import b32decode

    from django_otp.oath import TOTP

    printed = seed()
    key = printed.split("for the demo only): ", 1)[1].splitlines()[0].replace(" ", "")
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

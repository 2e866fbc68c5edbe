"""The admin's stories: Valleys Care (Treforest, where Gwen lives and Ana cares) and, side by
side, Hill Care (Hillside: Bart; Hywel), with Nerys, Valleys Care's coordinator, logged in."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from rota import audit
from rota.generation import roll_horizon
from rota.models import Absence, AbsenceKind, FamilyVisit, HelpRequest, Offer, Swap
from tests.factories import AssignmentFactory, ShiftFactory, VisitPlanFactory


@pytest.fixture
def valleys(valleys, gwen, ana):
    """Valleys Care, with Treforest, Gwen and Ana in it."""
    return valleys


@pytest.fixture
def hill_care(hill_care, bart, hywel):
    """Hill Care, with Hillside, Bart and Hywel in it."""
    return hill_care


@pytest.fixture
def coordinator_client(client, valleys, nerys):
    client.force_login(nerys)
    return client


@pytest.fixture
def rota(valleys, circle, gwen, ana, ben, sian) -> SimpleNamespace:
    """One of everything the rota holds, in Treforest: a shift from a plan, Ana on it, her
    offer of it, her swap for Ben's, Ben's training, Sian's family visit, a call for help,
    and the trail."""
    VisitPlanFactory(client=gwen, title="Breakfast")
    roll_horizon(circle)
    shift, later = gwen.shifts.order_by("start")[:2]
    assignment = AssignmentFactory(shift=shift, carer=ana)
    bens = AssignmentFactory(shift=later, carer=ben)
    tomorrow = timezone.now() + timedelta(days=1)
    return SimpleNamespace(
        shift=shift,
        assignment=assignment,
        offer=Offer.objects.create(assignment=assignment),
        swap=Swap.objects.create(offered=assignment, wanted=bens),
        absence=Absence.objects.create(
            carer=ben,
            kind=AbsenceKind.TRAINING,
            start=tomorrow + timedelta(days=20),
            end=tomorrow + timedelta(days=21),
        ),
        family_visit=FamilyVisit.objects.create(
            family_member=sian,
            client=gwen,
            start=tomorrow + timedelta(days=30),
            end=tomorrow + timedelta(days=30, hours=3),
        ),
        help_request=HelpRequest.objects.create(client=gwen, shift=ShiftFactory(client=gwen)),
        event=audit.record("claim", assignment, actor=ana, circle_id=circle.pk),
    )

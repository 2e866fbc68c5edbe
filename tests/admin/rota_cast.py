"""One of everything the rota holds, for Riverside's circle: a shift from a plan, a
carer on it, an offer, a swap, an absence, a family visit, a help request, the trail."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from circles.models import Circle
from people.models import Client, Person
from rota import audit
from rota.generation import roll_horizon
from rota.models import (
    Absence,
    AbsenceKind,
    Assignment,
    AuditEvent,
    FamilyVisit,
    HelpRequest,
    Offer,
    Shift,
    Swap,
)
from tests.factories import AssignmentFactory, ShiftFactory, VisitPlanFactory, carer


@dataclass
class Rota:
    shift: Shift
    assignment: Assignment
    offer: Offer
    swap: Swap
    absence: Absence
    family_visit: FamilyVisit
    help_request: HelpRequest
    event: AuditEvent


def riverside_rota() -> Rota:
    circle = Circle.objects.get(name="Riverside North")
    agnes = Client.objects.get(full_name="Agnes Underwood")
    rhian = Person.objects.get(full_name="Rhian Evans")
    gareth = carer(circle, full_name="Gareth Lloyd", organisation=circle.organisation)
    VisitPlanFactory(client=agnes, title="Breakfast")
    roll_horizon(circle)
    shift = agnes.shifts.order_by("start").first()
    later = agnes.shifts.order_by("start")[1]
    assignment = AssignmentFactory(shift=shift, carer=rhian)
    other = AssignmentFactory(shift=later, carer=gareth)
    tomorrow = timezone.now() + timedelta(days=1)
    return Rota(
        shift=shift,
        assignment=assignment,
        offer=Offer.objects.create(assignment=assignment),
        swap=Swap.objects.create(offered=assignment, wanted=other),
        absence=Absence.objects.create(
            carer=gareth,
            kind=AbsenceKind.TRAINING,
            start=tomorrow + timedelta(days=20),
            end=tomorrow + timedelta(days=21),
        ),
        family_visit=FamilyVisit.objects.create(
            family_member=rhian,
            client=agnes,
            start=tomorrow + timedelta(days=30),
            end=tomorrow + timedelta(days=30, hours=3),
        ),
        help_request=HelpRequest.objects.create(client=agnes, shift=ShiftFactory(client=agnes)),
        event=audit.record("claim", assignment, actor=rhian, circle_id=circle.pk),
    )

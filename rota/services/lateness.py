"""A carer's answers when their visit is late (rota.lateness asks them): “on my way, there in
about 10 minutes”, or “I can't make it”, which gives the place back."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Person
from rota.models import Action, Assignment, ReleaseReason, Shift, VisitRecord
from rota.rules import Refused
from rota.services._base import (
    changed,
    held,
    lock_carers,
    lock_shift,
    release,
    require_actor,
    require_live,
    service,
)
from rota.services.help import open_help_request

# "There in about N minutes": a late carer's choices, one tap each.
ON_MY_WAY_MINUTES = (5, 10, 15, 20, 30)


def _still_to_come(assignment: Assignment, actor: Person | None) -> tuple[Assignment, Shift]:
    """The place, held by its carer, on a visit that is on and not over, that they have not
    arrived at yet: what both answers need. The shift is locked."""
    shift = lock_shift(assignment.shift)
    place = held(assignment)
    require_actor(actor, lambda a: a.pk == place.carer_id)
    require_live(shift)
    if shift.end <= timezone.now():
        raise Refused("visit_over", _("This visit is over."))
    if VisitRecord.objects.filter(assignment=place).exists():
        raise Refused("arrived", _("You have already arrived at this visit."))
    return place, shift


@service
def on_my_way(assignment: Assignment, minutes: int, *, actor: Person | None = None) -> Assignment:
    """The carer says they will be there in about `minutes` (one of ON_MY_WAY_MINUTES). Until
    then the circle is not asked nor the team leaders alerted (rota.lateness); said again,
    the later word counts."""
    place, shift = _still_to_come(assignment, actor)
    if minutes not in ON_MY_WAY_MINUTES:
        raise Refused("on_my_way_minutes", _("Choose one of 5, 10, 15, 20 or 30 minutes."))
    place.expected_at = timezone.now() + timedelta(minutes=minutes)
    place.save(update_fields=["expected_at"])
    changed(
        Action.ON_MY_WAY,
        place,
        actor=actor,
        shift=shift,
        carers=[place.carer_id],
        after={"shift": shift.pk, "expected_at": place.expected_at.isoformat()},
    )
    return place


@service
def cant_make_it(assignment: Assignment, *, actor: Person | None = None) -> Assignment:
    """The carer can't make the visit: the place goes back to the circle. A visit still to
    come needs cover, as any place given back; one under way goes to the circle at once as a
    call for help (as time off does), and rota.lateness tells the family it is running late."""
    lock_carers(assignment.carer)
    place, shift = _still_to_come(assignment, actor)
    now = timezone.now()
    release(place, ReleaseReason.CANT_MAKE_IT, now)
    if shift.has_started(now):
        open_help_request(shift.client, end=shift.end, raised_by=actor)
    changed(
        Action.CANT_MAKE_IT,
        place,
        actor=actor,
        shift=shift,
        carers=[place.carer_id],
        after={"shift": shift.pk, "released": [place.pk]},
    )
    return place

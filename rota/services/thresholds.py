"""When a circle counts as strained or not coping (docs/design.md, Capacity and continuity):
set by its team leaders on its page, kept in the trail, and the circle judged again by them
at once (the change's follow-up)."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from circles.models import Circle
from circles.permissions import leads
from people.models import Person
from rota.models import Action
from rota.rules import Refused
from rota.services._base import changed, require_actor, service, set_changed

# What a circle's thresholds are made of: the fields set_thresholds changes.
THRESHOLD_FIELDS = ("strained_below_percent", "not_coping_below_percent", "essential_gap_hours")


@service
def set_thresholds(
    circle: Circle, thresholds: Mapping[str, int], *, actor: Person | None = None
) -> Circle:
    """Change the circle's thresholds. The trail keeps each changed one before and after;
    saving them unchanged records nothing. Values the circle's constraints refuse (not
    coping above strained, above 100 %) are refused in their words, and nothing is saved."""
    require_actor(actor, lambda a: leads(a, circle))
    if set(thresholds) - set(THRESHOLD_FIELDS):
        raise Refused("not_thresholds", _("Only the thresholds can be changed here."))
    circle = Circle.objects.select_for_update().get(pk=circle.pk)
    before, after = set_changed(circle, thresholds)
    if not before:
        return circle
    try:
        circle.validate_constraints(exclude={"organisation", "name", "state"})
    except ValidationError as error:
        raise Refused("thresholds_invalid", " ".join(error.messages)) from error
    circle.save(update_fields=list(after))
    # The follow-up judges the circle by its new thresholds now, not at the next sweep, and
    # tells its other team leaders.
    changed(
        Action.SET_THRESHOLDS, circle, actor=actor, circle_id=circle.pk, before=before, after=after
    )
    return circle

"""The circle's own monthly check-in (circles.checkins): a carer's answers for this month,
and the circle's choice of whether its team leaders see the figures.

Answering is not in the trail: the trail is read by the team leaders, and the check-in
never tells anyone who said what. The circle's choice to share is, like its thresholds.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from circles.models import (
    CHECK_IN_CHANGE_LIMIT,
    CHECK_IN_HIGHEST,
    CHECK_IN_LOWEST,
    CheckIn,
    Circle,
)
from circles.permissions import cares_in
from people.models import Person
from rota.models import Action
from rota.rules import Refused
from rota.services._base import changed, require_actor, service


def check_in_month(circle: Circle, now: datetime | None = None) -> date:
    """The month being asked about: the first day of this month in the circle's time zone."""
    return timezone.localdate(now or timezone.now(), circle.tz).replace(day=1)


@service
def answer_check_in(
    circle: Circle, *, coping: int, me: int, change: str = "", actor: Person
) -> CheckIn:
    """`actor`'s answers to this month's check-in of the circle, a carer of it. Answering
    again in the same month changes the answers given (one answer each a month, the last
    one counts); it is never a second answer. Answers off the scale, or a line too long,
    are refused in words and nothing is saved."""
    if not cares_in(actor, circle):
        raise Refused("not_a_carer", _("Only the circle's carers answer its check-in."))
    if coping not in range(CHECK_IN_LOWEST, CHECK_IN_HIGHEST + 1):
        raise Refused("coping_off_scale", _("Choose how the circle is coping, from 1 to 5."))
    if me not in range(CHECK_IN_LOWEST, CHECK_IN_HIGHEST + 1):
        raise Refused("me_off_scale", _("Choose how you are, from 1 to 5."))
    change = change.strip()
    if len(change) > CHECK_IN_CHANGE_LIMIT:
        raise Refused(
            "change_too_long",
            _("Keep the thing to change to %(limit)d characters or fewer.")
            % {"limit": CHECK_IN_CHANGE_LIMIT},
        )
    if "\x00" in change:
        raise Refused("change_unreadable", _("The thing to change has a character we can't keep."))
    month = check_in_month(circle)
    # One statement: two answers sent at the same moment both land on the one row.
    CheckIn.objects.bulk_create(
        [CheckIn(circle=circle, person=actor, month=month, coping=coping, me=me, change=change)],
        update_conflicts=True,
        unique_fields=["circle", "person", "month"],
        update_fields=["coping", "me", "change"],
    )
    return CheckIn.objects.get(circle=circle, person=actor, month=month)


@service
def share_check_ins(circle: Circle, shared: bool, *, actor: Person | None = None) -> Circle:
    """The circle's carers let its team leaders see the check-in's monthly figures, or stop
    them. Kept in the trail; saving it unchanged records nothing."""
    require_actor(actor, lambda a: cares_in(a, circle))
    current = Circle.objects.select_for_update().get(pk=circle.pk)
    if current.check_ins_shared == shared:
        return current
    current.check_ins_shared = shared
    current.save(update_fields=["check_ins_shared"])
    changed(
        Action.SHARE_CHECK_INS,
        current,
        actor=actor,
        circle_id=current.pk,
        before={"check_ins_shared": not shared},
        after={"check_ins_shared": shared},
    )
    return current

"""Thanks, as it happens: a line of thanks for a carer's visit, and the carer's choice of
whether the circle sees it. Said by the people the visit was for or worked beside, never
counted or ranked."""

from django.utils import timezone
from django.utils.translation import gettext as _

from circles.permissions import cares_in, leads, speaks_for
from people.models import Person
from rota.models import LINE_LIMIT, Action, Assignment, Thanks
from rota.rules import Refused
from rota.services._base import changed, lock_shift, require_actor, require_live, service


def may_thank(person: Person, assignment: Assignment) -> bool:
    """The client, whoever speaks for them, a fellow carer or a team leader of the circle;
    never the carer themselves."""
    shift = assignment.shift
    if person.pk == assignment.carer_id:
        return False
    return (
        speaks_for(person, shift.client)
        or cares_in(person, shift.circle)
        or leads(person, shift.circle)
    )


@service
def thank(assignment: Assignment, message: str, *, actor: Person) -> Thanks:
    """`actor` thanks the carer for the visit, in a line. The visit must have begun, and the
    carer have held their place (not given it up, not missed it)."""
    shift = lock_shift(assignment.shift)
    current = Assignment.objects.select_related("carer").get(pk=assignment.pk)
    current.shift = shift
    if actor.pk == current.carer_id:
        raise Refused("own_visit", _("You can't thank yourself for your own visit."))
    require_actor(actor, lambda a: may_thank(a, current))
    message = message.strip()
    if not message:
        raise Refused("empty", _("Write a few words of thanks first."))
    if len(message) > LINE_LIMIT:
        raise Refused(
            "too_long",
            _("Keep your thanks to %(limit)d characters or fewer.") % {"limit": LINE_LIMIT},
        )
    require_live(shift)
    if shift.start > timezone.now():
        raise Refused("to_come", _("You can say thank you once the visit has begun."))
    if current.released_at is not None:
        raise Refused("not_held", _("%(carer)s did not do this visit.") % {"carer": current.carer})
    if current.missed:
        raise Refused(
            "missed", _("%(carer)s didn't come to this visit.") % {"carer": current.carer}
        )
    if Thanks.objects.filter(assignment=current, author=actor).exists():
        raise already_thanked(current)
    thanks = Thanks.objects.create(assignment=current, author=actor, message=message)
    changed(
        Action.THANK,
        thanks,
        actor=actor,
        shift=shift,
        carers=[current.carer_id],
        after={"shift": shift.pk},
    )
    return thanks


def already_thanked(assignment: Assignment) -> Refused:
    return Refused(
        "already_thanked",
        _("You have already thanked %(carer)s for this visit.") % {"carer": assignment.carer},
    )


@service
def share_thanks(thanks: Thanks, shared: bool, *, actor: Person | None = None) -> Thanks:
    """The thanked carer lets the circle see these thanks, or keeps them to themselves."""
    current = (
        Thanks.objects.select_for_update(of=("self",))
        .select_related("assignment__shift")
        .get(pk=thanks.pk)
    )
    require_actor(actor, lambda a: a.pk == current.assignment.carer_id)
    if current.shared == shared:
        return current
    current.shared = shared
    current.save(update_fields=["shared"])
    shift = current.assignment.shift
    changed(
        Action.SHARE_THANKS,
        current,
        actor=actor,
        shift=shift,
        carers=[current.assignment.carer_id],
        before={"shared": not shared},
        after={"shift": shift.pk, "shared": shared},
    )
    return current

"""Who hears of a committed rota change (docs/design.md, Who hears what), besides the team leaders'
alerts.

Carers hear of visits that need cover which they could take, of swaps offered to them and
of changes to their own visits; families and clients hear when their visits change and
when someone new is coming. Every message is keyed by the change and the visit, so a
follow-up that runs twice tells nobody twice.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles import notify
from circles.models import NotificationKind, Role
from circles.notify import Formatted
from circles.permissions import members, speakers_for
from people.models import Person
from rota.familiarity import familiar_pairs
from rota.models import Action, Assignment, AuditEvent, Shift, ShiftStatus, Swap
from rota.rules import check

SOON = timedelta(hours=24)

NEEDS_COVER_TITLE = _("%(client)s's visit on %(when)s needs a carer")
NEEDS_COVER_BODY = _("You could take it: open “Needs cover” to say you will.")
YOURS_GONE_TITLE = _("Your visit to %(client)s on %(when)s is no longer yours")
YOURS_GONE_BODY = _("The circle has been told it needs cover.")
NOT_NEEDED_TITLE = _("Your visit to %(client)s on %(when)s is not needed")
NOT_NEEDED_BODY = _("Family will be with %(client)s then.")
CANCELLED_TITLE = _("The visit to %(client)s on %(when)s is cancelled")
CANCELLED_BODY = _("The reason given: %(reason)s")
TAKEN_TITLE = _("%(carer)s took your visit to %(client)s on %(when)s")
TAKEN_BODY = _("It is off your shifts now.")
SWAP_OFFERED_TITLE = _("%(carer)s asks to swap visits with you")
SWAP_OFFERED_BODY = _(
    "Their visit to %(their_client)s on %(their_when)s for yours to %(your_client)s on "
    "%(your_when)s. Accept or decline it in “My shifts”."
)
SWAP_DONE_TITLE = _("%(carer)s accepted your swap")
SWAP_DONE_BODY = _("You now visit %(client)s on %(when)s.")
COMING_TITLE = _("%(carer)s will visit %(client)s on %(when)s")
COMING_BODY = _("%(carer)s knows %(client)s.")
NEW_FACE_TITLE = _("Someone new is coming to %(client)s: %(carer)s, on %(when)s")
NEW_FACE_BODY = _("%(carer)s has not visited %(client)s recently. You can say if you'd rather not.")


def tell_people(event_id: int) -> int:
    """Send the notifications a committed change calls for; returns how many were made."""
    event = AuditEvent.objects.get(pk=event_id)
    handler = HANDLERS[Action(event.action)]
    return handler(event) if handler else 0


# --- what each change means to people ---------------------------------------------------------


def _place_taken(event: AuditEvent) -> int:
    """claim, assign, take_offer, accept_help_request: the family hear who is coming."""
    assignment = _assignment_for(event)
    if assignment is None:
        return 0
    made = _tell_family_who_is_coming(event, [assignment])
    given_by = event.before.get("carer")
    if given_by:
        made += _tell(
            Person.objects.filter(pk=given_by),
            NotificationKind.SHIFT_CHANGED,
            event,
            assignment.shift,
            TAKEN_TITLE,
            TAKEN_BODY,
            carer=assignment.carer.get_short_name(),
        )
    return made


def _offered(event: AuditEvent) -> int:
    shift = Shift.objects.select_related("circle", "client").filter(pk=event.after.get("shift"))
    return sum(_ask_for_cover(event, s, skip={*event.carer_ids}) for s in shift)


def _swap_proposed(event: AuditEvent) -> int:
    swap = Swap.objects.select_related(
        "offered__shift__client",
        "offered__shift__circle",
        "offered__carer",
        "wanted__shift__client",
        "wanted__shift__circle",
        "wanted__carer",
    ).get(pk=_subject(event))
    mine, theirs = swap.offered, swap.wanted
    return _tell(
        [theirs.carer],
        NotificationKind.SWAP_OFFERED,
        event,
        theirs.shift,
        SWAP_OFFERED_TITLE,
        SWAP_OFFERED_BODY,
        link=_link("carer:my_shifts"),
        carer=mine.carer.get_short_name(),
        their_client=mine.shift.client.preferred_name,
        their_when=_when(mine.shift),
        your_client=theirs.shift.client.preferred_name,
        your_when=_when(theirs.shift),
    )


def _swap_accepted(event: AuditEvent) -> int:
    placed = list(
        Assignment.objects.select_related("carer", "shift__client", "shift__circle").filter(
            pk__in=[event.after.get("offered_now"), event.after.get("wanted_now")]
        )
    )
    made = _tell_family_who_is_coming(event, placed)
    proposer = next((a for a in placed if a.carer_id != event.actor_id), None)
    accepter = next((a for a in placed if a.carer_id == event.actor_id), None)
    if proposer is not None:
        made += _tell(
            [proposer.carer],
            NotificationKind.SHIFT_CHANGED,
            event,
            proposer.shift,
            SWAP_DONE_TITLE,
            SWAP_DONE_BODY,
            link=_link("carer:my_shifts"),
            carer=accepter.carer.get_short_name() if accepter else "",
        )
    return made


def _places_released(event: AuditEvent) -> int:
    """Absences, a carer leaving or not wanted, a family visit: the places go to the circle."""
    released = list(
        Assignment.objects.select_related("carer", "shift__client", "shift__circle").filter(
            pk__in=event.after.get("released", [])
        )
    )
    made = 0
    for assignment in released:
        shift = assignment.shift
        if assignment.carer_id != event.actor_id:
            family_visit = shift.status == ShiftStatus.NOT_NEEDED
            made += _tell(
                [assignment.carer],
                NotificationKind.SHIFT_CHANGED,
                event,
                shift,
                NOT_NEEDED_TITLE if family_visit else YOURS_GONE_TITLE,
                NOT_NEEDED_BODY if family_visit else YOURS_GONE_BODY,
            )
        if shift.status == ShiftStatus.PLANNED and shift.start > timezone.now():
            made += _ask_for_cover(event, shift, skip={assignment.carer_id})
    return made


def _cancelled(event: AuditEvent) -> int:
    shift = Shift.objects.select_related("client", "circle").get(pk=_subject(event))
    people = [*Person.objects.filter(pk__in=event.carer_ids), *speakers_for(shift.client)]
    return _tell(
        [p for p in people if p.pk != event.actor_id],
        NotificationKind.VISIT_CHANGED,
        event,
        shift,
        CANCELLED_TITLE,
        CANCELLED_BODY,
        reason=shift.cancel_reason,
    )


# Whom each change tells, for every action there is: None where it tells nobody here.
HANDLERS: dict[Action, Callable[[AuditEvent], int] | None] = {
    Action.CLAIM: _place_taken,
    Action.ASSIGN: _place_taken,
    Action.TAKE_OFFER: _place_taken,
    Action.ACCEPT_HELP_REQUEST: _place_taken,
    Action.OFFER: _offered,
    Action.PROPOSE_SWAP: _swap_proposed,
    Action.ACCEPT_SWAP: _swap_accepted,
    Action.RECORD_ABSENCE: _places_released,
    Action.END_ABSENCE: _places_released,
    Action.DECLINE_CARER: _places_released,
    Action.END_MEMBERSHIP: _places_released,
    Action.RECORD_FAMILY_VISIT: _places_released,
    Action.CANCEL_SHIFT: _cancelled,
    # The place stays with its holder, and the visit stays as it was.
    Action.WITHDRAW_OFFER: None,
    Action.DECLINE_SWAP: None,
    Action.WITHDRAW_SWAP: None,
    # Nobody is told yet: neither the carers put back, nor the circle of the visits left
    # needing cover.
    Action.WITHDRAW_FAMILY_VISIT: None,
    # A call for help: the carers who could go are asked by circles.alerts after the change
    # (ask_carers_for_help), the team leaders told of an unanswered one by its `escalate`;
    # the other steps show on the pages only.
    Action.RAISE_HELP_REQUEST: None,
    Action.ACKNOWLEDGE_HELP_REQUEST: None,
    Action.ESCALATE_HELP_REQUEST: None,
    Action.CANCEL_HELP_REQUEST: None,
    # Not rota changes that anyone is told of: recorded for the trail only.
    Action.GENERATE_SHIFTS: None,
    Action.CHANGE_PLAN: None,
    Action.APPROVE_CARER: None,
    Action.SEED_DEMO: None,
}


# --- the pieces ------------------------------------------------------------------------------


def _subject(event: AuditEvent) -> int:
    """The id of what the change was made to: every rota change has one."""
    if event.subject_id is None:
        raise ValueError(f"Audit event {event.pk} ({event.action}) names no subject.")
    return event.subject_id


def _assignment_for(event: AuditEvent) -> Assignment | None:
    places = Assignment.objects.select_related("carer", "shift__client", "shift__circle")
    if event.subject_type == "rota.assignment":
        return places.filter(pk=_subject(event)).first()
    # accept_help_request: the help request's shift, its one carer.
    return places.filter(shift__help_request=event.subject_id, released_at__isnull=True).first()


def _ask_for_cover(event: AuditEvent, shift: Shift, *, skip: set[int]) -> int:
    """Carers of the circle who could take the place now (every rule passes) are asked."""
    carers = members(shift.circle, Role.CARER).exclude(pk__in=skip)
    could = [carer for carer in carers if not check(carer, shift)]
    return _tell(
        could,
        NotificationKind.NEEDS_COVER,
        event,
        shift,
        NEEDS_COVER_TITLE,
        NEEDS_COVER_BODY,
        link=_link("carer:needs_cover"),
        urgent=shift.start - timezone.now() < SOON,
    )


def _tell_family_who_is_coming(event: AuditEvent, placed: list[Assignment]) -> int:
    familiar = familiar_pairs((a.shift.client_id, a.carer_id) for a in placed)
    made = 0
    for assignment in placed:
        shift = assignment.shift
        known = (shift.client_id, assignment.carer_id) in familiar
        made += _tell(
            speakers_for(shift.client),
            NotificationKind.VISIT_CHANGED if known else NotificationKind.UNFAMILIAR_CARER,
            event,
            shift,
            COMING_TITLE if known else NEW_FACE_TITLE,
            COMING_BODY if known else NEW_FACE_BODY,
            link=_link("family:coming"),
            carer=assignment.carer.get_short_name(),
        )
    return made


def _tell(
    people: Iterable[Person],
    kind: NotificationKind,
    event: AuditEvent,
    shift: Shift,
    title,
    body,
    *,
    link: str = "",
    urgent: bool = False,
    **params,
) -> int:
    made = 0
    for person in people:
        notify.notify(
            person,
            kind,
            key=f"{kind}:{event.pk}:{shift.pk}",
            title=title,
            body=body,
            params={"client": shift.client.preferred_name, "when": _when(shift), **params},
            link=link,
            urgent=urgent,
            circle=shift.circle,
        )
        made += 1
    return made


def _when(shift: Shift) -> Formatted:
    return Formatted(timezone.localtime(shift.start, shift.circle.tz), "D j M H:i")


def _link(name: str) -> str:
    return reverse(name)

"""Who hears of a committed rota change (docs/design.md, Who hears what), besides the team leaders'
alerts.

Carers hear of visits that need cover which they could take, of swaps offered to them and
of changes to their own visits; families and clients hear when their visits change and
when someone new is coming.

Each person hears of a change once: a change that touches thirty visits is one message
listing those that concern them (`Letters` gathers the lines person by person), keyed by
the change, so a follow-up that runs twice tells nobody twice.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from circles import notify
from circles.fairness import waves
from circles.models import Circle, Membership, Notification, NotificationKind, Role
from circles.notify import Formatted
from circles.permissions import members, speakers_for
from people.models import Person
from rota.familiarity import familiar_pairs
from rota.models import (
    Action,
    Assignment,
    AuditEvent,
    AwayReason,
    ClientAway,
    HelpRequest,
    NewFaceRequest,
    Shift,
    ShiftStatus,
    Swap,
    Thanks,
)
from rota.rules import check_many
from rota.services.new_faces import LAPSED

# An essential visit this close with nobody on it is told at once; other visits that need
# cover wait to be gathered with the next ones (circles.notify).
URGENT_COVER = timedelta(hours=48)

NEEDS_COVER_TITLE = _("%(client)s's visit on %(when)s needs a carer")
NEEDS_COVER_BODY = _("You could take it: open “Needs cover” to say you will.")
YOURS_GONE_TITLE = _("Your visit to %(client)s on %(when)s is no longer yours")
YOURS_GONE_BODY = _("The circle has been told it needs cover.")
NOT_NEEDED_TITLE = _("Your visit to %(client)s on %(when)s is not needed")
NOT_NEEDED_BODY = _("Family will be with %(client)s then.")
SKIPPED_BODY = _("%(client)s's care plan skips that day.")
BACK_ON_TITLE = _("Your visit to %(client)s on %(when)s is back on")
BACK_ON_BODY = _("Family can't be with %(client)s after all, so the visit is yours again.")
# A client away: each carer hears once, one message listing the visits it frees.
AWAY_SEVERAL_TITLE = _("Your visits to %(client)s from %(when)s are not needed")
AWAY_BODIES = {
    AwayReason.HOSPITAL: _("%(client)s is in hospital until %(until)s."),
    AwayReason.RESPITE: _("%(client)s is in respite care until %(until)s."),
    AwayReason.HOLIDAY: _("%(client)s is on holiday until %(until)s."),
    AwayReason.OTHER: _("%(client)s is away until %(until)s."),
}
AWAY_LINE = _("%(when)s: not needed")
HOME_SEVERAL_TITLE = _("Your visits to %(client)s from %(when)s are back on")
HOME_BODY = _("%(client)s is home again from %(back)s, earlier than planned.")
HOME_LINE = _("%(when)s: back on, yours again")
NO_LONGER_NEEDED_TITLE = _("%(client)s's visit on %(when)s no longer needs a carer")
NO_LONGER_NEEDED_BODY = _("%(carer)s is back and will do it after all. Thank you.")
CANCELLED_TITLE = _("The visit to %(client)s on %(when)s is cancelled")
CANCELLED_BODY = _("The reason given: %(reason)s")
TAKEN_TITLE = _("%(carer)s took your visit to %(client)s on %(when)s")
TAKEN_BODY = _("It is off your shifts now.")
SWAP_OFFERED_TITLE = _("%(carer)s asks to swap visits with you")
SWAP_OFFERED_BODY = _(
    "Their visit to %(their_client)s on %(their_when)s for yours to %(your_client)s on "
    "%(your_when)s. Accept or decline it in “My shifts”."
)
SWAP_DECLINED_TITLE = _("%(carer)s can't swap with you")
SWAP_DECLINED_BODY = _("Your visit to %(client)s on %(when)s stays yours.")
SWAP_DONE_TITLE = _("%(carer)s accepted your swap")
SWAP_DONE_BODY = _("You now visit %(client)s on %(when)s.")
COMING_TITLE = _("%(carer)s will visit %(client)s on %(when)s")
COMING_BODY = _("%(carer)s knows %(client)s.")
CARER_GONE_TITLE = _("%(carer)s can't come to %(client)s on %(when)s")
CARER_GONE_BODY = _("The circle is finding someone else.")
HELP_GOING_TITLE = _("%(carer)s is going to %(client)s")
HELP_GOING_BODY = _("You are no longer needed for this call for help. Thank you.")
HELP_GOING_FAMILY_BODY = _("%(carer)s said yes to the call for help.")
HELP_CANCELLED_TITLE = _("%(client)s no longer needs help")
HELP_CANCELLED_BODY = _("The call for help was cancelled. Thank you.")
HELP_ON_IT_TITLE = _("%(leader)s is on %(client)s's call for help")
HELP_ON_IT_BODY = _("You don't need to do anything unless they ask you.")
NEW_FACE_TITLE = _("Someone new is coming to %(client)s: %(carer)s, on %(when)s")
NEW_FACE_BODY = _("%(carer)s has not visited %(client)s recently. You can say if you'd rather not.")
# The same news for the client themselves, who is spoken to, never about (Client.is_themselves).
COMING_TO_YOU = (_("%(carer)s will visit you on %(when)s"), _("%(carer)s knows you."))
NEW_FACE_TO_YOU = (
    _("Someone new is coming to you: %(carer)s, on %(when)s"),
    _("%(carer)s has not visited you recently. You can say if you'd rather not."),
)
CARER_GONE_TO_YOU = (_("%(carer)s can't come to you on %(when)s"), CARER_GONE_BODY)
CANCELLED_TO_YOU = (_("Your visit on %(when)s is cancelled"), CANCELLED_BODY)
HELP_GOING_TO_YOU = (_("%(carer)s is coming to you"), HELP_GOING_FAMILY_BODY)
# To the carer leaving a circle, once, whoever ended their membership.
LEAVING_TITLE = _("You leave %(circle)s on %(day)s")
LEAVING_BODY = _("Your visits from then go to the circle. Thank you for all you have done.")
THRESHOLDS_TITLE = _("%(leader)s changed when you are alerted about %(circle)s")
THRESHOLDS_BODY = _(
    "Strained below %(strained)s %% of places filled, not coping below %(not_coping)s %%, "
    "or when an essential visit %(hours)s hours away has nobody."
)
# A client who asks first about one more new carer: they (and whoever speaks for them) are
# asked once; the carer hears the answer once.
ASKED_TITLE = _("%(carer)s, new to %(client)s, would like to visit on %(when)s")
ASKED_BODY = _(
    "%(client)s asked to be asked first about new carers this month. Say yes or no in "
    "“New carers asking”."
)
ASKED_TO_YOU = (
    _("%(carer)s, new to you, would like to visit you on %(when)s"),
    _(
        "You asked to be asked first about new carers this month. Say yes or no in “New "
        "carers asking”."
    ),
)
YES_TITLE = _("%(client)s said yes: the visit on %(when)s is yours")
YES_BODY = _("Thank you. It is on your shifts now.")
YES_TOO_LATE_TITLE = _("%(client)s said yes, but the visit on %(when)s can't be yours")
SWAP_YES_TITLE = _("%(client)s said yes: your swap with %(carer)s is done")
NO_TITLE = _("%(client)s would rather have someone familiar for the visit on %(when)s")
NO_BODY = _("Thank you for offering. The visit stays as it was.")
NO_SWAP_BODY = _("The swap does not go ahead: both visits stay as they were.")
THANKED_TITLE = _("%(author)s thanked you for your visit to %(client)s on %(when)s")
THANKED_BODY = _("“%(message)s” Only you see it, unless you let the circle see it.")

# A message with several lines is titled by its first (most pressing) kind.
SEVERAL_TITLES = {
    NotificationKind.NEEDS_COVER: _("%(count)s visits you could take need a carer"),
    NotificationKind.SHIFT_CHANGED: _("%(count)s of your visits have changed"),
    NotificationKind.UNFAMILIAR_CARER: _(
        "%(count)s visits have changed, and someone new is coming"
    ),
}
SEVERAL_TITLE = _("%(count)s visits have changed")
SEVERAL_BODIES = {
    NotificationKind.NEEDS_COVER: _("You could take them: open “Needs cover” to say you will."),
}
# Most pressing first: what a message with several lines is filed and titled as.
PRESSING = [
    NotificationKind.HELP_NEEDED,
    NotificationKind.HELP_ESCALATED,
    NotificationKind.SWAP_OFFERED,
    NotificationKind.UNFAMILIAR_CARER,
    NotificationKind.SHIFT_CHANGED,
    NotificationKind.VISIT_CHANGED,
    NotificationKind.NEEDS_COVER,
    NotificationKind.THANKED,
]


def tell_people(event_id: int, *, now: datetime | None = None) -> int:
    """Send the messages a committed change calls for; returns how many people were told.

    Run again, it tells nobody twice (each message is keyed by the change) and asks for cover
    the carers whose wave has come since (`ask_next_waves`)."""
    event = AuditEvent.objects.get(pk=event_id)
    handler = HANDLERS[Action(event.action)]
    if handler is None:
        return 0
    letters = Letters(event, now=now or timezone.now())
    handler(event, letters)
    return letters.send()


def ask_next_waves(now: datetime | None = None) -> int:
    """Every minute: the changes that asked for cover recently enough to have a wave still to
    come are told again, so each next wave of carers is asked when its time comes (those
    told already are not told twice; a visit taken meanwhile is asked for no more, as its
    rules now refuse everyone). Returns how many changes were looked at."""
    now = now or timezone.now()
    recent = AuditEvent.objects.filter(
        action__in=ASKS_FOR_COVER,
        # The change's own follow-up asks the first wave; the last is two waves after it.
        at__lte=now
        - timedelta(minutes=min(settings.HELP_WAVE_MINUTES, settings.COVER_WAVE_MINUTES)),
        at__gte=now - timedelta(minutes=2 * settings.COVER_WAVE_MINUTES + 1),
    )
    pks = list(recent.order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        tell_people(pk, now=now)
    return len(pks)


# --- one message per person per change ---------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One thing a change means to one person, about one visit."""

    kind: NotificationKind
    shift: Shift
    title: str | Promise
    body: str | Promise
    params: dict[str, object]
    link: str
    urgent: bool


@dataclass
class Letters:
    """What one change has to say to each person, sent as one message each."""

    event: AuditEvent
    # When the letters are sent: which waves of carers asked for cover have come by then.
    now: datetime = field(default_factory=timezone.now)
    lines: dict[int, list[Line]] = field(default_factory=dict)
    # Each carer asked for cover: their wave (0 first), by _ask_for_cover.
    waves: dict[int, int] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    # Told already of this change, by tell().
    told: set[int] = field(default_factory=set)
    # A person's own title (when there are several lines), body and words for each line,
    # by head().
    headings: dict[int, tuple[str | Promise, str | Promise, str | Promise, dict[str, object]]] = (
        field(default_factory=dict)
    )

    def add(
        self,
        people: Iterable[Person],
        kind: NotificationKind,
        shift: Shift,
        title: str | Promise,
        body: str | Promise,
        *,
        link: str,
        urgent: bool = False,
        to_client: tuple[str | Promise, str | Promise] | None = None,
        **params: object,
    ) -> None:
        """`to_client` is the title and body for the client, when they are among `people`."""
        params = {"client": shift.client.preferred_name, "when": _when(shift), **params}
        for person in people:
            said = to_client if to_client and shift.client.is_themselves(person) else None
            self.people.setdefault(person.pk, person)
            self.lines.setdefault(person.pk, []).append(
                Line(kind, shift, *(said or (title, body)), params, link, urgent)
            )

    def tell(
        self,
        person: Person,
        kind: NotificationKind,
        title: str | Promise,
        body: str | Promise,
        *,
        link: str,
        circle: Circle,
        **params: object,
    ) -> None:
        """A message about no one visit (a circle's thresholds), sent now: one per person
        per change, as the lines are."""
        notify.notify(
            person,
            kind,
            key=f"change:{self.event.pk}",
            title=title,
            body=body,
            params={"circle": circle.name, **params},
            link=link,
            circle=circle,
        )
        self.told.add(person.pk)

    def head(
        self,
        person: Person,
        several_title: str | Promise,
        body: str | Promise,
        line: str | Promise,
        **params: object,
    ) -> None:
        """The person's message has this body, and when it lists several visits this title
        and each visit in the words of `line` (the title's params are the earliest visit's,
        with `count` and `params`): one change's own words ("Gwen is in hospital") instead of
        the general "N of your visits have changed"."""
        self.headings[person.pk] = (several_title, body, line, params)

    def wave_due(self, person_pk: int, lines: list[Line]) -> bool:
        """Whether the person's message goes now. Someone asked only to cover visits waits
        for their wave: each comes COVER_WAVE_MINUTES after the one before, HELP_WAVE_MINUTES
        when one of the visits is urgent. Someone the change concerns otherwise is told at
        once, their visits to cover with the rest, in their one message."""
        wave = self.waves.get(person_pk, 0)
        if wave == 0 or any(line.kind != NotificationKind.NEEDS_COVER for line in lines):
            return True
        urgent = any(line.urgent for line in lines)
        minutes = settings.HELP_WAVE_MINUTES if urgent else settings.COVER_WAVE_MINUTES
        return self.now - self.event.at >= timedelta(minutes=wave * minutes)

    def send(self) -> int:
        """One message per person (whose wave has come); returns how many people were told."""
        self.lines = {pk: lines for pk, lines in self.lines.items() if self.wave_due(pk, lines)}
        for person_pk, lines in self.lines.items():
            lines.sort(key=lambda line: (PRESSING.index(line.kind), line.shift.start))
            first = lines[0]
            several = len(lines) > 1
            title = SEVERAL_TITLES.get(first.kind, SEVERAL_TITLE) if several else first.title
            body = SEVERAL_BODIES.get(first.kind, "") if several else first.body
            params = {"count": len(lines)} if several else first.params
            listed = [(line.title, line.params) for line in lines]
            if person_pk in self.headings:
                several_title, body, words, own = self.headings[person_pk]
                title = several_title if several else first.title
                params = {**first.params, "count": len(lines), **own}
                listed = [(words, line.params) for line in lines]
            notify.notify(
                self.people[person_pk],
                first.kind,
                key=f"change:{self.event.pk}",
                title=title,
                body=body,
                params=params,
                lines=listed if several else (),
                link=first.link,
                urgent=any(line.urgent for line in lines),
                circle=first.shift.circle,
            )
        return len(self.lines.keys() | self.told)


# --- what each change means to people ---------------------------------------------------------


def _place_taken(event: AuditEvent, letters: Letters) -> None:
    """claim, assign, take_offer, accept_help_request: the family hear who is coming."""
    assignment = _assignment_for(event)
    if assignment is None:
        return
    _tell_family_who_is_coming(letters, [assignment])
    given_by = event.before.get("carer")
    if given_by:
        _tell_giver(letters, Person.objects.filter(pk=given_by), assignment)


def _tell_giver(letters: Letters, giver: Iterable[Person], assignment: Assignment) -> None:
    """The carer who was giving the visit away hears who took it."""
    letters.add(
        giver,
        NotificationKind.SHIFT_CHANGED,
        assignment.shift,
        TAKEN_TITLE,
        TAKEN_BODY,
        link=reverse("carer:my_shifts"),
        carer=assignment.carer.get_short_name(),
    )


def _taken_every_week(event: AuditEvent, letters: Letters) -> None:
    """claim_every_week: the family hear once who is coming, one line per visit; whoever was
    giving one of them away hears it was taken."""
    placed = list(
        Assignment.objects.select_related("carer", "shift__client", "shift__circle")
        .filter(pk__in=event.after.get("taken", []))
        .order_by("start", "pk")
    )
    if not placed:
        return
    _tell_family_who_is_coming(letters, placed)
    given_by = event.after.get("given_by", {})
    givers = Person.objects.in_bulk([int(pk) for pk in given_by.values()])
    for assignment in placed:
        giver = givers.get(given_by.get(str(assignment.pk)))
        if giver is not None:
            _tell_giver(letters, [giver], assignment)


def _offered(event: AuditEvent, letters: Letters) -> None:
    shifts = Shift.objects.select_related("circle", "client").filter(pk=event.after.get("shift"))
    _ask_for_cover(letters, list(shifts), skip={*event.carer_ids})


def _swap_proposed(event: AuditEvent, letters: Letters) -> None:
    swap = Swap.objects.select_related(
        "offered__shift__client",
        "offered__shift__circle",
        "offered__carer",
        "wanted__shift__client",
        "wanted__shift__circle",
        "wanted__carer",
    ).get(pk=_subject(event))
    mine, theirs = swap.offered, swap.wanted
    letters.add(
        [theirs.carer],
        NotificationKind.SWAP_OFFERED,
        theirs.shift,
        SWAP_OFFERED_TITLE,
        SWAP_OFFERED_BODY,
        link=reverse("carer:my_shifts"),
        carer=mine.carer.get_short_name(),
        their_client=mine.shift.client.preferred_name,
        their_when=_when(mine.shift),
        your_client=theirs.shift.client.preferred_name,
        your_when=_when(theirs.shift),
    )


def _swap_accepted(event: AuditEvent, letters: Letters) -> None:
    placed = list(
        Assignment.objects.select_related("carer", "shift__client", "shift__circle").filter(
            pk__in=[event.after.get("offered_now"), event.after.get("wanted_now")]
        )
    )
    _tell_family_who_is_coming(letters, placed)
    proposer = next((a for a in placed if a.carer_id != event.actor_id), None)
    accepter = next((a for a in placed if a.carer_id == event.actor_id), None)
    if proposer is not None:
        letters.add(
            [proposer.carer],
            NotificationKind.SHIFT_CHANGED,
            proposer.shift,
            SWAP_DONE_TITLE,
            SWAP_DONE_BODY,
            link=reverse("carer:my_shifts"),
            carer=accepter.carer.get_short_name() if accepter else "",
        )


def _swap_declined(event: AuditEvent, letters: Letters) -> None:
    swap = Swap.objects.select_related(
        "offered__shift__client", "offered__shift__circle", "offered__carer", "wanted__carer"
    ).get(pk=_subject(event))
    mine = swap.offered
    letters.add(
        [mine.carer],
        NotificationKind.SHIFT_CHANGED,
        mine.shift,
        SWAP_DECLINED_TITLE,
        SWAP_DECLINED_BODY,
        link=reverse("carer:my_shifts"),
        carer=swap.wanted.carer.get_short_name(),
    )


def _places_released(event: AuditEvent, letters: Letters, *, told: int | None = None) -> None:
    """Absences, a carer leaving or not wanted, a family visit: the places go to the circle,
    and the family hear who will not be coming (not of visits freed by a family visit).
    The carer `told` hears of the change in a message of its own instead."""
    released = list(
        Assignment.objects.select_related(
            "carer", "shift__client", "shift__circle", "shift__plan"
        ).filter(pk__in=event.after.get("released", []))
    )
    for assignment in released:
        if assignment.carer_id in (event.actor_id, told):
            continue  # they made the change, or hear of it as a whole: they know
        family_visit = assignment.shift.status == ShiftStatus.NOT_NEEDED
        letters.add(
            [assignment.carer],
            NotificationKind.SHIFT_CHANGED,
            assignment.shift,
            NOT_NEEDED_TITLE if family_visit else YOURS_GONE_TITLE,
            NOT_NEEDED_BODY if family_visit else YOURS_GONE_BODY,
            link=reverse("carer:my_shifts"),
        )
    now = timezone.now()
    still_wanted = {
        a.shift.pk: a.shift
        for a in released
        if a.shift.status == ShiftStatus.PLANNED and a.shift.start > now
    }
    family: dict[int, list[Person]] = {}
    for assignment in released:
        shift = assignment.shift
        if shift.pk in still_wanted:
            if shift.client_id not in family:
                speakers = speakers_for(shift.client).exclude(pk__in=[event.actor_id or 0])
                family[shift.client_id] = list(speakers)
            letters.add(
                family[shift.client_id],
                NotificationKind.VISIT_CHANGED,
                shift,
                CARER_GONE_TITLE,
                CARER_GONE_BODY,
                link=reverse("family:coming_for", kwargs={"client_id": shift.client_id}),
                to_client=CARER_GONE_TO_YOU,
                carer=assignment.carer.get_short_name(),
            )
    _ask_for_cover(letters, list(still_wanted.values()), skip={a.carer_id for a in released})


def _left_circle(event: AuditEvent, letters: Letters) -> None:
    """A carer leaving a circle hears it once, spoken to ("you leave Treforest on …"), unless
    they ended it themselves; the family and the circle hear of the released places as for
    any others."""
    membership = (
        Membership.objects.select_related("circle", "person")
        .filter(pk=event.subject_id or 0, role=Role.CARER)
        .first()
    )
    _places_released(event, letters, told=membership.person_id if membership else None)
    if membership is None or membership.person_id == event.actor_id:
        return
    if not membership.person.is_active:
        return  # an account closed hears nothing
    letters.tell(
        membership.person,
        NotificationKind.SHIFT_CHANGED,
        LEAVING_TITLE,
        LEAVING_BODY,
        link=reverse("carer:my_shifts"),
        circle=membership.circle,
        day=Formatted(date.fromisoformat(event.after["ended_on"]), "D j M"),
    )


def _back_on(event: AuditEvent, letters: Letters) -> None:
    """A family visit withdrawn: each carer put back hears their visit is back on; visits
    whose carer could not be put back need cover, and the circle is asked."""
    restored = _put_back(event, letters, BACK_ON_BODY)
    not_restored = Assignment.objects.select_related("shift__client", "shift__circle").filter(
        pk__in=event.after.get("not_restored", [])
    )
    shifts = {a.shift.pk: a.shift for a in not_restored if a.shift.status == ShiftStatus.PLANNED}
    _ask_for_cover(letters, list(shifts.values()), skip={a.carer_id for a in restored})


def _put_back(event: AuditEvent, letters: Letters, body: str | Promise) -> list[Assignment]:
    """Each carer put back on a visit (a family visit withdrawn, a client back early) hears it
    is back on; returns their places."""
    restored = list(
        Assignment.objects.select_related("carer", "shift__client", "shift__circle").filter(
            pk__in=event.after.get("restored", [])
        )
    )
    for assignment in restored:
        letters.add(
            [assignment.carer],
            NotificationKind.SHIFT_CHANGED,
            assignment.shift,
            BACK_ON_TITLE,
            body,
            link=reverse("carer:my_shifts"),
        )
    return restored


def _plan_changed(event: AuditEvent, letters: Letters) -> None:
    """A plan now skipping a day: whoever held that day's visit hears it is not needed (the
    family know the client is elsewhere). A day no longer skipped: its visit is planned
    again with nobody on it, and the circle is asked. A plan's other changes move only
    visits nobody holds, so they tell nobody."""
    released = Assignment.objects.select_related("carer", "shift__client", "shift__circle")
    for assignment in released.filter(pk__in=event.after.get("released", [])):
        if assignment.carer_id == event.actor_id:
            continue
        letters.add(
            [assignment.carer],
            NotificationKind.SHIFT_CHANGED,
            assignment.shift,
            NOT_NEEDED_TITLE,
            SKIPPED_BODY,
            link=reverse("carer:my_shifts"),
        )
    again = Shift.objects.select_related("client", "circle", "plan").filter(
        pk__in=event.after.get("planned_again", []),
        status=ShiftStatus.PLANNED,
        start__gt=timezone.now(),
    )
    _ask_for_cover(letters, list(again), skip=set())


def _back_early(event: AuditEvent, letters: Letters) -> None:
    """A carer back early from time off: the family hear who is coming after all, and the
    carers asked to cover those visits hear they are no longer needed."""
    restored = list(
        Assignment.objects.select_related("carer", "shift__client", "shift__circle").filter(
            pk__in=event.after.get("restored", [])
        )
    )
    if not restored:
        return
    _tell_family_who_is_coming(letters, restored)
    # Whoever the time off (or its extension) asked to cover its visits.
    asked_by = AuditEvent.objects.filter(
        subject_type=event.subject_type,
        subject_id=_subject(event),
        action__in=[Action.RECORD_ABSENCE, Action.END_ABSENCE],
    )
    asked_before = Person.objects.filter(
        pk__in=Notification.objects.filter(
            key__in=[f"change:{pk}" for pk in asked_by.values_list("pk", flat=True)],
            kind=NotificationKind.NEEDS_COVER,
        ).values("person_id"),
        is_active=True,
    ).exclude(pk__in=event.carer_ids)
    asked = list(asked_before.order_by("pk"))
    for assignment in restored:
        letters.add(
            asked,
            NotificationKind.VISIT_CHANGED,
            assignment.shift,
            NO_LONGER_NEEDED_TITLE,
            NO_LONGER_NEEDED_BODY,
            link=reverse("carer:needs_cover"),
            carer=assignment.carer.get_short_name(),
        )


def _client_away(event: AuditEvent, letters: Letters) -> None:
    """A client away: each carer freed hears once, one message listing their visits that are
    not needed, saying where the client is (visits the rota makes later release nobody)."""
    away = ClientAway.objects.select_related("client__circle").get(pk=_subject(event))
    released = Assignment.objects.select_related("carer", "shift__client", "shift__circle")
    until = Formatted(timezone.localtime(away.end, away.client.circle.tz), "D j M H:i")
    body = AWAY_BODIES.get(AwayReason(away.reason), AWAY_BODIES[AwayReason.OTHER])
    for assignment in released.filter(pk__in=event.after.get("released", [])):
        if assignment.carer_id == event.actor_id:
            continue  # they made the change: they know
        letters.add(
            [assignment.carer],
            NotificationKind.SHIFT_CHANGED,
            assignment.shift,
            NOT_NEEDED_TITLE,
            "",
            link=reverse("carer:my_shifts"),
        )
        letters.head(assignment.carer, AWAY_SEVERAL_TITLE, body, AWAY_LINE, until=until)


def _client_back(event: AuditEvent, letters: Letters) -> None:
    """A client back early: each carer put back hears once that their visits are back on;
    the visits planned again with a free place go to the circle for cover."""
    away = ClientAway.objects.select_related("client__circle").get(pk=_subject(event))
    back = Formatted(timezone.localtime(away.end, away.client.circle.tz), "D j M H:i")
    restored = _put_back(event, letters, "")
    for assignment in restored:
        letters.head(assignment.carer, HOME_SEVERAL_TITLE, HOME_BODY, HOME_LINE, back=back)
    now = timezone.now()
    replanned = Shift.objects.select_related("client", "circle").filter(
        pk__in=event.after.get("replanned", []), status=ShiftStatus.PLANNED, start__gt=now
    )
    _ask_for_cover(letters, list(replanned), skip={a.carer_id for a in restored})


def _cancelled(event: AuditEvent, letters: Letters) -> None:
    shift = Shift.objects.select_related("client", "circle").get(pk=_subject(event))
    carers = Person.objects.filter(pk__in=event.carer_ids)
    family = speakers_for(shift.client)
    for everyone, link in (
        (carers, reverse("carer:my_shifts")),
        (family, reverse("family:coming_for", kwargs={"client_id": shift.client_id})),
    ):
        letters.add(
            [person for person in everyone if person.pk != event.actor_id],
            NotificationKind.VISIT_CHANGED,
            shift,
            CANCELLED_TITLE,
            CANCELLED_BODY,
            link=link,
            to_client=CANCELLED_TO_YOU,
            reason=shift.cancel_reason,
        )


def _help_answered(event: AuditEvent, letters: Letters) -> None:
    """A carer said yes: the family hear who is going; the carers asked and the team leaders
    told of it hear they are no longer needed."""
    request = _help_request(event)
    going = _assignment_for(event)
    if going is None:
        return
    carer = going.carer.get_short_name()
    letters.add(
        speakers_for(request.client),
        NotificationKind.VISIT_CHANGED,
        request.shift,
        HELP_GOING_TITLE,
        HELP_GOING_FAMILY_BODY,
        link=reverse("family:help_status", kwargs={"request_id": request.pk}),
        to_client=HELP_GOING_TO_YOU,
        carer=carer,
    )
    for kind, link in _help_links(request):
        letters.add(
            _told_of(request, kind, but=going.carer_id),
            kind,
            request.shift,
            HELP_GOING_TITLE,
            HELP_GOING_BODY,
            link=link,
            carer=carer,
        )


def _help_cancelled(event: AuditEvent, letters: Letters) -> None:
    """Whoever was asked, is going, or was told as a team leader hears it is over."""
    request = _help_request(event)
    going = Person.objects.filter(pk__in=event.carer_ids).exclude(pk__in=[event.actor_id or 0])
    letters.add(
        going,
        NotificationKind.SHIFT_CHANGED,
        request.shift,
        HELP_CANCELLED_TITLE,
        HELP_CANCELLED_BODY,
        link=reverse("carer:help", kwargs={"request_id": request.pk}),
    )
    for kind, link in _help_links(request):
        letters.add(
            _told_of(request, kind, but=event.actor_id, nor=event.carer_ids),
            kind,
            request.shift,
            HELP_CANCELLED_TITLE,
            HELP_CANCELLED_BODY,
            link=link,
        )


def _help_acknowledged(event: AuditEvent, letters: Letters) -> None:
    """A team leader is on it: the other leaders told of it know they need not act."""
    request = _help_request(event)
    leader = request.acknowledged_by
    letters.add(
        _told_of(request, NotificationKind.HELP_ESCALATED, but=event.actor_id),
        NotificationKind.HELP_ESCALATED,
        request.shift,
        HELP_ON_IT_TITLE,
        HELP_ON_IT_BODY,
        link=reverse("leaders:circle", kwargs={"circle_id": request.shift.circle_id}),
        leader=leader.get_short_name() if leader else "",
    )


def _thresholds_changed(event: AuditEvent, letters: Letters) -> None:
    """The circle's other team leaders hear its thresholds changed, once, with the figures
    as they are now; the leader who changed them knows."""
    circle = Circle.objects.filter(pk=event.circle_id or 0).first()
    if circle is None:
        return
    actor = Person.objects.filter(pk=event.actor_id or 0).first()
    for leader in members(circle, Role.TEAM_LEADER).exclude(pk__in=[event.actor_id or 0]):
        letters.tell(
            leader,
            NotificationKind.THRESHOLDS_CHANGED,
            THRESHOLDS_TITLE,
            THRESHOLDS_BODY,
            link=reverse("leaders:circle", kwargs={"circle_id": circle.pk}) + "#thresholds",
            circle=circle,
            leader=actor.get_short_name() if actor else _("Someone"),
            strained=circle.strained_below_percent,
            not_coping=circle.not_coping_below_percent,
            hours=circle.essential_gap_hours,
        )


def _thanked(event: AuditEvent, letters: Letters) -> None:
    """The carer thanked hears it, once, in the words said."""
    thanks = (
        Thanks.objects.select_related("author", "assignment__carer", "assignment__shift__client")
        .select_related("assignment__shift__circle")
        .filter(pk=_subject(event))
        .first()
    )
    if thanks is None or not thanks.assignment.carer.is_active:
        return
    letters.add(
        [thanks.assignment.carer],
        NotificationKind.THANKED,
        thanks.assignment.shift,
        THANKED_TITLE,
        THANKED_BODY,
        link=reverse("carer:thanks") + f"#thanks-{thanks.pk}",
        author=thanks.author.get_short_name(),
        message=thanks.message,
    )


def _new_face_asked(event: AuditEvent, letters: Letters) -> None:
    """The client, and whoever speaks for them, are asked once, linking to where they answer
    (the family page says whom to ask when the reader is not the one who decides)."""
    request = _new_face_request(event)
    if request is None:
        return
    client = request.shift.client
    letters.add(
        speakers_for(client),
        NotificationKind.UNFAMILIAR_CARER,
        request.shift,
        ASKED_TITLE,
        ASKED_BODY,
        link=reverse("family:asked", kwargs={"client_id": client.pk}),
        to_client=ASKED_TO_YOU,
        carer=request.carer.get_short_name(),
    )


def _new_face_approved(event: AuditEvent, letters: Letters) -> None:
    """The carer hears once: the visit is theirs, or why it can't be. Whoever else speaks for
    the client hears who is coming, as for any place taken; whoever was giving the visit
    away hears who took it; in a swap, the other carer hears it is done."""
    request = _new_face_request(event)
    if request is None:
        return
    shift = request.shift
    if "lapsed" in event.after:
        code = event.after["lapsed"]
        letters.add(
            [request.carer],
            NotificationKind.SHIFT_CHANGED,
            shift,
            YES_TOO_LATE_TITLE,
            # The rules' own words speak to the carer; the other reasons are told in theirs.
            LAPSED.get(code) or event.after.get("rules", ""),
            link=reverse("carer:my_shifts"),
        )
        return
    placed = Assignment.objects.select_related("carer", "shift__client", "shift__circle").filter(
        pk=event.after.get("assignment") or 0
    )
    for assignment in placed:
        letters.add(
            [request.carer],
            NotificationKind.SHIFT_CHANGED,
            shift,
            YES_TITLE,
            YES_BODY,
            link=reverse("carer:my_shifts"),
        )
        _tell_family_who_is_coming(letters, [assignment], but=event.actor_id)
    given_by = event.before.get("carer")
    if given_by and placed:
        _tell_giver(letters, Person.objects.filter(pk=given_by), placed[0])
    others = Assignment.objects.select_related("carer", "shift__client", "shift__circle").filter(
        pk__in=[event.after.get("offered_now") or 0, event.after.get("wanted_now") or 0]
    )
    for other in others.exclude(carer_id=request.carer_id):
        _tell_family_who_is_coming(letters, [other], but=event.actor_id)
        letters.add(
            [other.carer],
            NotificationKind.SHIFT_CHANGED,
            other.shift,
            SWAP_YES_TITLE,
            SWAP_DONE_BODY,
            link=reverse("carer:my_shifts"),
            client=shift.client.preferred_name,
            carer=request.carer.get_short_name(),
        )


def _new_face_declined(event: AuditEvent, letters: Letters) -> None:
    """The carer hears once that the client would rather someone familiar; in a swap, both
    of its carers, since neither visit changes hands."""
    request = _new_face_request(event)
    if request is None:
        return
    told = [request.carer]
    if request.swap is not None:
        told += [
            carer
            for carer in (request.swap.offered.carer, request.swap.wanted.carer)
            if carer.pk != request.carer_id
        ]
    letters.add(
        [person for person in told if person.is_active],
        NotificationKind.SHIFT_CHANGED,
        request.shift,
        NO_TITLE,
        NO_SWAP_BODY if request.swap is not None else NO_BODY,
        link=reverse("carer:my_shifts"),
    )


# Whom each change tells, for every action there is: None where it tells nobody here.
HANDLERS: dict[Action, Callable[[AuditEvent, Letters], None] | None] = {
    Action.CLAIM: _place_taken,
    Action.CLAIM_EVERY_WEEK: _taken_every_week,
    Action.ASSIGN: _place_taken,
    Action.TAKE_OFFER: _place_taken,
    Action.ACCEPT_HELP_REQUEST: _help_answered,
    Action.OFFER: _offered,
    Action.PROPOSE_SWAP: _swap_proposed,
    Action.ACCEPT_SWAP: _swap_accepted,
    Action.RECORD_ABSENCE: _places_released,
    Action.END_ABSENCE: _places_released,
    Action.END_ABSENCE_EARLY: _back_early,
    Action.DECLINE_CARER: _places_released,
    Action.END_MEMBERSHIP: _left_circle,
    Action.RECORD_FAMILY_VISIT: _places_released,
    Action.WITHDRAW_FAMILY_VISIT: _back_on,
    Action.CANCEL_SHIFT: _cancelled,
    Action.CHANGE_PLAN: _plan_changed,
    # The place stays with its holder, and the visit stays as it was.
    Action.DECLINE_SWAP: _swap_declined,
    Action.WITHDRAW_OFFER: None,
    Action.WITHDRAW_SWAP: None,
    Action.ACKNOWLEDGE_HELP_REQUEST: _help_acknowledged,
    Action.SET_THRESHOLDS: _thresholds_changed,
    Action.CANCEL_HELP_REQUEST: _help_cancelled,
    # A call for help: the carers who could go are asked by circles.alerts after the change
    # (ask_carers_for_help), the team leaders told of an unanswered one by its `escalate`.
    Action.RAISE_HELP_REQUEST: None,
    Action.ESCALATE_HELP_REQUEST: None,
    # Not rota changes that anyone is told of: recorded for the trail only.
    Action.GENERATE_SHIFTS: None,
    # Visits freed by a family visit as the rota makes them: nobody held them or was asked to
    # cover them, and the family said they would be there, so there is nobody to tell; the
    # circle is judged again all the same (circles.tasks.announce_change).
    Action.FREE_FOR_FAMILY_VISIT: None,
    # The same for visits made inside a time the client is away.
    Action.FREE_FOR_CLIENT_AWAY: None,
    Action.APPROVE_CARER: None,
    Action.EDIT_PROFILE: None,
    Action.PREFER_CARER: None,
    Action.CLEAR_CARER_WISH: None,
    # A new-face limit changes no visit: the rules read it at the next change.
    Action.SET_NEW_FACE_LIMIT: None,
    Action.SEED_DEMO: None,
    # What happened at a visit is read on the client's and family's pages, not sent.
    Action.ARRIVE: None,
    Action.LEAVE: None,
    Action.ON_MY_WAY: None,
    Action.CANT_MAKE_IT: _places_released,
    # A late or missed visit: rota.lateness tells each step's people as it takes the step.
    Action.VISIT_LATE: None,
    Action.VISIT_MISSED: None,
    Action.RECORD_CLIENT_AWAY: _client_away,
    Action.END_CLIENT_AWAY: _client_back,
    Action.THANK: _thanked,
    # The carer's own choice: the circle sees shared thanks on its board, unannounced.
    Action.SHARE_THANKS: None,
    # The circle's own choice, shown on its check-in page: nobody is sent a message.
    Action.SHARE_CHECK_INS: None,
    Action.ASK_NEW_FACE: _new_face_asked,
    Action.APPROVE_NEW_FACE: _new_face_approved,
    Action.DECLINE_NEW_FACE: _new_face_declined,
}


# The changes whose messages may ask carers to cover visits, in waves: told again by
# `ask_next_waves` until their last wave has been asked.
ASKS_FOR_COVER = frozenset(
    {
        Action.OFFER,
        Action.RECORD_ABSENCE,
        Action.END_ABSENCE,
        Action.DECLINE_CARER,
        Action.END_MEMBERSHIP,
        Action.RECORD_FAMILY_VISIT,
        Action.WITHDRAW_FAMILY_VISIT,
        Action.CHANGE_PLAN,
        Action.CANT_MAKE_IT,
        Action.END_CLIENT_AWAY,
    }
)


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


def _help_request(event: AuditEvent) -> HelpRequest:
    return HelpRequest.objects.select_related(
        "client", "shift__circle", "shift__client", "acknowledged_by"
    ).get(pk=_subject(event))


def _help_links(request: HelpRequest) -> list[tuple[NotificationKind, str]]:
    """Who was told of a call for help, by the kind of what they were told, and where they
    follow it: the carers asked, on its page; the team leaders, on the circle's page."""
    return [
        (NotificationKind.HELP_NEEDED, reverse("carer:help", kwargs={"request_id": request.pk})),
        (
            NotificationKind.HELP_ESCALATED,
            reverse("leaders:circle", kwargs={"circle_id": request.shift.circle_id}),
        ),
    ]


def _told_of(
    request: HelpRequest, kind: NotificationKind, *, but: int | None, nor: Iterable[int] = ()
) -> list[Person]:
    """Those told of the call for help by a message of `kind` (circles.alerts keys them by
    the request), but not `but` nor `nor`."""
    told = Notification.objects.filter(key=notify.help_key(kind, request.pk))
    people = Person.objects.filter(pk__in=told.values("person_id"), is_active=True)
    return [p for p in people.order_by("pk") if p.pk != but and p.pk not in set(nor)]


def _ask_for_cover(letters: Letters, shifts: list[Shift], *, skip: set[int]) -> None:
    """Carers of the circle who could take a place now (every rule passes) are asked, in
    waves (circles.fairness.waves: below their share and rested first, running low last;
    Letters.wave_due says when each goes); each carer's facts are read once for all the
    visits."""
    if not shifts:
        return
    now = letters.now
    for circle_id in sorted({shift.circle_id for shift in shifts}):
        in_circle = [shift for shift in shifts if shift.circle_id == circle_id]
        circle = in_circle[0].circle
        could_take: dict[Person, list[Shift]] = {}
        for carer in members(circle, Role.CARER).exclude(pk__in=skip):
            judged = check_many(carer, in_circle, now=now)
            could_take[carer] = [shift for shift in in_circle if not judged[shift.pk]]
        for wave, carers in enumerate(waves(circle, could_take, now=letters.event.at)):
            for carer in carers:
                letters.waves[carer.pk] = min(wave, letters.waves.get(carer.pk, wave))
                for shift in could_take[carer]:
                    letters.add(
                        [carer],
                        NotificationKind.NEEDS_COVER,
                        shift,
                        NEEDS_COVER_TITLE,
                        NEEDS_COVER_BODY,
                        link=reverse("carer:needs_cover"),
                        urgent=shift.essential and shift.start - now < URGENT_COVER,
                    )


def _tell_family_who_is_coming(
    letters: Letters, placed: list[Assignment], *, but: int | None = None
) -> None:
    """Whoever speaks for each client hears who is coming (but `but`, who knows already)."""
    familiar = familiar_pairs((a.shift.client_id, a.carer_id) for a in placed)
    for assignment in placed:
        shift = assignment.shift
        known = (shift.client_id, assignment.carer_id) in familiar
        letters.add(
            speakers_for(shift.client).exclude(pk__in=[but or 0]),
            NotificationKind.VISIT_CHANGED if known else NotificationKind.UNFAMILIAR_CARER,
            shift,
            COMING_TITLE if known else NEW_FACE_TITLE,
            COMING_BODY if known else NEW_FACE_BODY,
            link=reverse("family:coming_for", kwargs={"client_id": shift.client_id}),
            to_client=COMING_TO_YOU if known else NEW_FACE_TO_YOU,
            carer=assignment.carer.get_short_name(),
        )


def _new_face_request(event: AuditEvent) -> NewFaceRequest | None:
    return (
        NewFaceRequest.objects.select_related(
            "carer", "shift__client", "shift__circle", "swap__offered__carer", "swap__wanted__carer"
        )
        .filter(pk=_subject(event))
        .first()
    )


def _when(shift: Shift) -> Formatted:
    return Formatted(timezone.localtime(shift.start, shift.circle.tz), "D j M H:i")

"""Late and missed visits (docs/design.md, Changes to the rota): a visit nobody has arrived
at is chased, once each step, by the beat job `check_late_visits`.

With N the visit's `late_after` (15 minutes, 10 for an essential visit, or the plan's own):

1. at N, each carer holding a place is asked “Are you on your way?”, with a link to their
   one-tap answers (rota.services.lateness); a visit nobody holds skips to step 2 at N;
2. at 2N, the circle is asked as a call for help until the visit's end, and the family are
   told the visit is running late;
3. at 3N (2N for an essential visit), the team leaders get one alert, unless a carer has
   said yes to the call for help;
4. at the visit's end with nobody arrived, it is missed: each place still held is marked
   missed, and the family are told.

A carer who said “on my way, there in about 10 minutes” holds steps 2 and 3 back until then.
An arrival at any step stops the rest (a double-up with one carer there is not late: someone
is with the client), and the next run calls off the call for help nobody had answered.

Each step is a LateVisitStep row (one per visit and step, unique), written in one transaction
with its audit event and its messages, under the visit's row lock: however many runs at
once, each step is taken once, and each person told once per step (messages are keyed).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from circles import notify
from circles.alerts import ask_carers_for_help, who_answers_for
from circles.models import NotificationKind
from circles.notify import Formatted
from circles.permissions import speakers_for
from rota import services
from rota.models import (
    Action,
    Assignment,
    HelpRequest,
    HelpStatus,
    LateStep,
    LateVisitStep,
    Shift,
    ShiftStatus,
    VisitRecord,
)
from rota.services._base import changed, lock_shift
from rota.services.help import open_help_request

# A visit that ended longer ago than this, while the job was not running, is left alone.
LOOKBACK = timedelta(hours=12)
# A call for help nobody has said yes to yet: called off when the carer arrives after all.
UNANSWERED = (HelpStatus.ASKED, HelpStatus.ESCALATED, HelpStatus.ACKNOWLEDGED)

ON_YOUR_WAY_TITLE = _("Are you on your way to %(client)s?")
ON_YOUR_WAY_BODY = _(
    "Your %(time)s visit started %(minutes)s minutes ago and nobody has arrived. Say when "
    "you'll be there, or that you can't make it."
)
RUNNING_LATE_TITLE = _("The %(time)s visit to %(client)s is running late")
RUNNING_LATE_BODY = _("The circle is finding someone.")
RUNNING_LATE_TO_YOU = (_("Your %(time)s visit is running late"), RUNNING_LATE_BODY)
LEADERS_TITLE = _("Nobody has arrived at %(client)s's %(time)s visit")
LEADERS_BODY = _(
    "It started %(minutes)s minutes ago. The circle has been asked and nobody has said yes "
    "yet. Who to phone: %(phone)s. Say you are on it, so the other team leader knows."
)
MISSED_TITLE = _("The %(time)s visit to %(client)s was missed")
MISSED_BODY = _("Nobody came. It is recorded, and the team leaders can see it.")
MISSED_TO_YOU = (_("Your %(time)s visit was missed"), MISSED_BODY)


def check_late_visits(now: datetime | None = None) -> int:
    """Every minute: the steps due at `now` (default: now) for every visit nobody has arrived
    at, each once; and the calls for help of visits a carer reached after all called off.
    Returns how many steps it took."""
    now = now or timezone.now()
    for request_id in _no_longer_needed():
        call_off(request_id)
    taken = 0
    for shift_id in _unarrived(now):
        while take_next_step(shift_id, now) is not None:
            taken += 1
    return taken


def take_next_step(shift_id: int, now: datetime) -> LateStep | None:
    """Take the visit's next step if one is due at `now`; returns it, or None. Run twice, or
    by two workers at once, it takes a step once: the visit's row is locked while its steps
    are read and the new one written."""
    with transaction.atomic():
        shift = (
            Shift.objects.select_for_update(of=("self",))
            .select_related("circle", "client", "plan")
            .filter(pk=shift_id, status=ShiftStatus.PLANNED)
            .first()
        )
        if shift is None:
            return None
        visit = Visit.read(shift)
        step = visit.due(now)
        if step is not None:
            TAKE[step](visit, now)
        return step


def call_off(request_id: int) -> bool:
    """Cancel a call for help made for a late visit, as the system, if nobody has said yes
    to it yet: those asked hear it is no longer needed. True if this call cancelled it."""
    with transaction.atomic():
        request = HelpRequest.objects.select_related("shift").get(pk=request_id)
        lock_shift(request.shift)  # first, as cancel_help_request locks it
        request = HelpRequest.objects.select_for_update().get(pk=request_id)
        if request.status not in UNANSWERED:
            return False  # answered, or called off by another run
        services.cancel_help_request(request)
    return True


# --- one visit -------------------------------------------------------------------------------


@dataclass
class Visit:
    """What the steps of one late visit are decided from, read under its row lock."""

    shift: Shift
    # The places held on it now, with their carers.
    places: list[Assignment]
    taken: dict[str, LateVisitStep]
    arrived: bool

    @classmethod
    def read(cls, shift: Shift) -> "Visit":
        taken = {
            step.step: step
            for step in LateVisitStep.objects.select_related("help_request").filter(shift=shift)
        }
        # A carer at the visit, or one who answered its call for help and got there.
        arrived = VisitRecord.objects.filter(
            Q(assignment__shift=shift) | Q(assignment__shift__help_request__late_step__shift=shift)
        ).exists()
        places = list(shift.assignments.filter(released_at__isnull=True).select_related("carer"))
        return cls(shift, places, taken, arrived)

    @property
    def help_request(self) -> HelpRequest | None:
        asked = self.taken.get(LateStep.CIRCLE_ASKED)
        return asked.help_request if asked is not None else None

    def due(self, now: datetime) -> LateStep | None:
        """The next step due at `now`, in order, or None."""
        shift, taken = self.shift, self.taken
        if self.arrived or LateStep.MISSED in taken:
            return None
        if now >= shift.end:
            return LateStep.MISSED
        late = shift.late_after
        said = [place.expected_at for place in self.places if place.expected_at is not None]
        # "On my way, there in about 10 minutes": the circle and team leaders wait till then.
        on_the_way = bool(said) and now < max(said)
        if self.places and LateStep.CARER_ASKED not in taken and now >= shift.start + late:
            return LateStep.CARER_ASKED
        if LateStep.CIRCLE_ASKED not in taken:
            # Nobody holds the visit: nobody to ask if they are coming, so the circle at once.
            circle_at = shift.start + (2 * late if self.places else late)
            return LateStep.CIRCLE_ASKED if now >= circle_at and not on_the_way else None
        leaders_at = shift.start + (2 if shift.essential else 3) * late
        help_going = self.help_request is not None and (
            self.help_request.status == HelpStatus.ACCEPTED
        )
        if (
            LateStep.LEADERS_ALERTED not in taken
            and now >= leaders_at
            and not on_the_way
            and not help_going
        ):
            return LateStep.LEADERS_ALERTED
        return None

    def record(
        self, step: LateStep, now: datetime, *, help_request: HelpRequest | None = None
    ) -> None:
        """The step, once (the unique constraint has the last word), and its audit event."""
        self.taken[step] = LateVisitStep.objects.create(
            shift=self.shift, step=step, at=now, help_request=help_request
        )
        changed(
            Action.VISIT_LATE,
            self.shift,
            actor=None,
            shift=self.shift,
            carers=[place.carer_id for place in self.places],
            after={"step": step.value, "shift": self.shift.pk},
        )

    def params(self, now: datetime) -> dict[str, object]:
        shift = self.shift
        return {
            "client": shift.client.preferred_name,
            "time": Formatted(timezone.localtime(shift.start, shift.circle.tz), "H:i"),
            "minutes": max(0, int((now - shift.start).total_seconds() // 60)),
        }

    def key(self, step: LateStep) -> str:
        return f"late-visit:{self.shift.pk}:{step.value}"

    def tell_family(
        self,
        step: LateStep,
        now: datetime,
        title: Promise,
        body: Promise,
        to_client: tuple[Promise, Promise],
        *,
        link: str,
    ) -> None:
        """The client's family and representative, and the client themself, spoken to."""
        client = self.shift.client
        for person in speakers_for(client):
            said = to_client if client.is_themselves(person) else (title, body)
            notify.notify(
                person,
                NotificationKind.VISIT_CHANGED,
                key=self.key(step),
                title=said[0],
                body=said[1],
                params=self.params(now),
                link=link,
                circle=self.shift.circle,
                urgent=True,
            )


# --- the steps -------------------------------------------------------------------------------


def _ask_carers(visit: Visit, now: datetime) -> None:
    visit.record(LateStep.CARER_ASKED, now)
    for place in visit.places:
        notify.notify(
            place.carer,
            NotificationKind.SHIFT_CHANGED,
            key=visit.key(LateStep.CARER_ASKED),
            title=ON_YOUR_WAY_TITLE,
            body=ON_YOUR_WAY_BODY,
            params=visit.params(now),
            link=reverse("carer:late", kwargs={"assignment_id": place.pk}),
            circle=visit.shift.circle,
            urgent=True,
        )


def _ask_circle(visit: Visit, now: datetime) -> None:
    """A call for help until the visit's end (the carers who could go are asked after commit,
    as for any call for help); the family hear the visit is running late."""
    shift = visit.shift
    request = open_help_request(shift.client, end=shift.end)
    # The client's call for help may be older than the visit, or another late visit's: that
    # one goes on as it is, and is not this visit's to call off.
    ours = (
        request.raised_at >= shift.start
        and not LateVisitStep.objects.filter(help_request=request).exists()
    )
    visit.record(LateStep.CIRCLE_ASKED, now, help_request=request if ours else None)
    visit.tell_family(
        LateStep.CIRCLE_ASKED,
        now,
        RUNNING_LATE_TITLE,
        RUNNING_LATE_BODY,
        RUNNING_LATE_TO_YOU,
        link=reverse("family:help_status", kwargs={"request_id": request.pk}),
    )


def _alert_leaders(visit: Visit, now: datetime) -> None:
    """One alert to the team leaders. Keyed as the call for help's escalation is, so a leader
    saying they are on it, or a carer saying yes, reaches them as for any call for help; and
    the call counts as escalated (it is not escalated again by circles.alerts)."""
    visit.record(LateStep.LEADERS_ALERTED, now)
    shift, request = visit.shift, visit.help_request
    if request is not None:
        HelpRequest.objects.filter(pk=request.pk, status=HelpStatus.ASKED).update(
            status=HelpStatus.ESCALATED, escalated_at=now
        )
        # Escalated, the call is everyone's: carers of its waves still to come are asked now.
        ask_carers_for_help(request.pk, now=now)
        key = notify.help_key(NotificationKind.HELP_ESCALATED, request.pk)
    else:
        key = visit.key(LateStep.LEADERS_ALERTED)
    params = {**visit.params(now), "phone": shift.client.who_to_phone or "—"}
    for leader in who_answers_for(shift.circle):
        notify.notify(
            leader,
            NotificationKind.HELP_ESCALATED,
            key=key,
            title=LEADERS_TITLE,
            body=LEADERS_BODY,
            params=params,
            link=reverse("leaders:circle", kwargs={"circle_id": shift.circle_id}),
            circle=shift.circle,
            urgent=True,
        )


def _missed(visit: Visit, now: datetime) -> None:
    """Nobody came: recorded with who was on it, the family told, and the call for help
    nobody answered called off (its time is over too)."""
    shift = visit.shift
    visit.taken[LateStep.MISSED] = LateVisitStep.objects.create(
        shift=shift, step=LateStep.MISSED, at=now
    )
    # The sweep is the one writer of `missed`, under the visit's lock.
    Assignment.objects.filter(pk__in=[place.pk for place in visit.places]).update(missed=True)
    changed(
        Action.VISIT_MISSED,
        shift,
        actor=None,
        shift=shift,
        carers=[place.carer_id for place in visit.places],
        after={"shift": shift.pk},
    )
    visit.tell_family(
        LateStep.MISSED,
        now,
        MISSED_TITLE,
        MISSED_BODY,
        MISSED_TO_YOU,
        link=reverse("family:coming_for", kwargs={"client_id": shift.client_id}),
    )
    request = visit.help_request
    if request is not None and request.status in UNANSWERED:
        call_off(request.pk)


TAKE = {
    LateStep.CARER_ASKED: _ask_carers,
    LateStep.CIRCLE_ASKED: _ask_circle,
    LateStep.LEADERS_ALERTED: _alert_leaders,
    LateStep.MISSED: _missed,
}


# --- which visits ----------------------------------------------------------------------------


def _unarrived(now: datetime) -> list[int]:
    """Visits under way or ended within LOOKBACK, nobody arrived, not yet missed: the ones a
    step may be due for. Calls for help have their own escalation (circles.alerts)."""
    arrived = VisitRecord.objects.filter(assignment__shift=OuterRef("pk"))
    missed = LateVisitStep.objects.filter(shift=OuterRef("pk"), step=LateStep.MISSED)
    return list(
        Shift.objects.filter(
            status=ShiftStatus.PLANNED,
            help_request__isnull=True,
            start__lte=now,
            end__gt=now - LOOKBACK,
        )
        .filter(~Exists(arrived), ~Exists(missed))
        .order_by("start", "pk")
        .values_list("pk", flat=True)
    )


def _no_longer_needed() -> list[int]:
    """Calls for help made for late visits that a carer has reached since, nobody having said
    yes to them yet."""
    arrived = VisitRecord.objects.filter(assignment__shift=OuterRef("shift"))
    return list(
        LateVisitStep.objects.filter(
            step=LateStep.CIRCLE_ASKED, help_request__status__in=UNANSWERED
        )
        .filter(Exists(arrived))
        .order_by("pk")
        .values_list("help_request_id", flat=True)
    )

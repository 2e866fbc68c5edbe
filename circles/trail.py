"""The audit trail in words: each rota change as one sentence a team leader can read.

An audit event holds ids and values only (rota.models.AuditEvent); names are resolved here,
when it is read, so a person erased since shows as "a former carer". `describe` reads the
people, clients and visits that a page of events mentions in bulk: a fixed number of
queries, however many events the page holds.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Func, Value
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from circles.models import Circle, Membership
from people.models import Client, Person
from rota.models import (
    Absence,
    AbsenceKind,
    Action,
    Assignment,
    AuditEvent,
    AwayReason,
    FamilyVisit,
    HelpRequest,
    LateStep,
    Offer,
    Shift,
    Swap,
    VisitPlan,
)
from rota.services.new_faces import lapse_words


@dataclass(frozen=True)
class Line:
    """One event as the trail shows it."""

    event: AuditEvent
    sentence: str
    actor: str
    circle: str


def describe(events: Sequence[AuditEvent]) -> list[Line]:
    """Each event in words, in the order given."""
    known = _Known(events)
    return [
        Line(
            event=event,
            sentence=capfirst(_sentence(event, known)),
            actor=capfirst(known.actor(event)),
            circle=known.circle_name(event.circle_id),
        )
        for event in events
    ]


def concerning(person_id: int) -> Func:
    """A filter for the events that name this person among their carers."""
    return _ListHas("carer_ids", Value(person_id))


class _ListHas(Func):
    """A JSON list of numbers holds this number (the `contains` lookup has no SQLite form,
    and the demo runs on SQLite)."""

    output_field = BooleanField()

    def _parts(self, compiler) -> tuple[str, str, list]:
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        value_sql, value_params = compiler.compile(self.source_expressions[1])
        return field_sql, value_sql, [*field_params, *value_params]

    def as_postgresql(self, compiler, connection, **extra):
        field, value, params = self._parts(compiler)
        return f"({field} @> jsonb_build_array(({value})::bigint))", params

    def as_sqlite(self, compiler, connection, **extra):
        field, value, params = self._parts(compiler)
        return f"EXISTS (SELECT 1 FROM json_each({field}) WHERE json_each.value = {value})", params


# --- reading what the events mention, in bulk --------------------------------------------------


def _ids(values: Iterable) -> set[int]:
    return {value for value in values if isinstance(value, int)}


class _Known:
    """The rows a page of events mentions, each kind read in one query.

    Rows may have gone (an absence or a membership goes with its person): every lookup
    answers None then, and the sentence says less rather than failing.
    """

    def __init__(self, events: Sequence[AuditEvent]) -> None:
        subjects: dict[str, set[int]] = defaultdict(set)
        for event in events:
            if event.subject_id is not None:
                subjects[event.subject_type].add(event.subject_id)
        self.assignments = _by_pk(
            Assignment.objects.select_related("shift__circle", "shift__client"),
            subjects["rota.assignment"],
        )
        self.offers = _by_pk(
            Offer.objects.select_related("assignment__shift__circle", "assignment__shift__client"),
            subjects["rota.offer"],
        )
        self.swaps = _by_pk(
            Swap.objects.select_related(
                "offered__shift__circle",
                "offered__shift__client",
                "wanted__shift__circle",
                "wanted__shift__client",
            ),
            subjects["rota.swap"],
        )
        self.help_requests = _by_pk(
            HelpRequest.objects.select_related("shift__circle", "client"),
            subjects["rota.helprequest"],
        )
        self.absences = _by_pk(Absence.objects.all(), subjects["rota.absence"])
        self.family_visits = _by_pk(FamilyVisit.objects.all(), subjects["rota.familyvisit"])
        self.memberships = _by_pk(Membership.objects.all(), subjects["circles.membership"])
        self.plans = _by_pk(VisitPlan.objects.all(), subjects["rota.visitplan"])
        shift_ids = _ids(
            (event.after.get("shift") or event.before.get("shift")) for event in events
        )
        self.shifts = _by_pk(Shift.objects.select_related("circle", "client"), shift_ids)

        circle_ids = _ids(event.circle_id for event in events) | subjects["circles.circle"]
        circle_ids |= _ids(m.circle_id for m in self.memberships.values())
        self.circles = _by_pk(Circle.objects.all(), circle_ids)
        self.clients = _by_pk(Client.objects.all(), _ids(event.client_id for event in events))

        person_ids = set()
        for event in events:
            person_ids |= _ids([event.actor_id, *event.carer_ids])
            person_ids |= _ids([event.before.get("carer"), event.after.get("carer")])
        person_ids |= _ids(a.carer_id for a in self.assignments.values())
        person_ids |= _ids(o.assignment.carer_id for o in self.offers.values())
        for swap in self.swaps.values():
            person_ids |= {swap.offered.carer_id, swap.wanted.carer_id}
        person_ids |= _ids(v.family_member_id for v in self.family_visits.values())
        self.people = dict(
            Person.objects.filter(pk__in=person_ids).values_list("pk", "full_name")
            if person_ids
            else []
        )

    # Names: resolved now, so an erased person reads as what they were.

    def carer(self, person_id: int | None) -> str:
        return (person_id is not None and self.people.get(person_id)) or _("a former carer")

    def person(self, person_id: int | None) -> str:
        return (person_id is not None and self.people.get(person_id)) or _("someone who has left")

    def actor(self, event: AuditEvent) -> str:
        if event.actor_id is None:
            return _("the system")
        return self.person(event.actor_id)

    def client_name(self, client_id: int | None) -> str:
        client = self.clients.get(client_id)
        return client.preferred_name if client else _("a former client")

    def circle_name(self, circle_id: int | None) -> str:
        circle = self.circles.get(circle_id)
        return circle.name if circle else ""

    def tz(self, event: AuditEvent) -> ZoneInfo:
        circle = self.circles.get(event.circle_id)
        return circle.tz if circle else timezone.get_current_timezone()


def _by_pk(queryset, ids: set[int]) -> dict:
    """The rows with these ids, by id; no query at all when there are none."""
    return {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}


# --- words -------------------------------------------------------------------------------------


def _visit(shift: Shift | None) -> str:
    """ "Gwen's 08:00 visit on Tue 5 May", in the visit's own time zone."""
    if shift is None:
        return _("a visit")
    local = timezone.localtime(shift.start, shift.circle.tz)
    return _("%(client)s's %(time)s visit on %(day)s") % {
        "client": shift.client.preferred_name,
        "time": formats.date_format(local, "H:i"),
        "day": formats.date_format(local, "D j M"),
    }


def _moment(value: str | None, tz: ZoneInfo) -> str:
    """An ISO time from an event, as "Tue 5 May 08:00" where the event happened."""
    if not value:
        return "?"
    return formats.date_format(timezone.localtime(datetime.fromisoformat(value), tz), "D j M H:i")


def _day(value: str | None) -> str:
    return formats.date_format(date.fromisoformat(value), "D j M Y") if value else "?"


def _names(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def _need_cover(count: int) -> str:
    return ngettext("%(count)d visit needs cover.", "%(count)d visits need cover.", count) % {
        "count": count
    }


def _put_back(event: AuditEvent) -> str:
    """What a family visit withdrawn or a client back early did to the visits it had freed:
    carers back on theirs, and visits that need cover (each said only when there are some)."""
    restored = len(event.after.get("restored", []))
    uncovered = len(event.after.get("not_restored", []))
    said = ""
    if restored:
        said += " " + ngettext(
            "%(count)d carer is back on their visit.",
            "%(count)d carers are back on their visits.",
            restored,
        ) % {"count": restored}
    if uncovered:
        said += " " + _need_cover(uncovered)
    return said


def _first_carer(event: AuditEvent, known: _Known) -> str:
    return known.carer(event.carer_ids[0] if event.carer_ids else None)


def _place(event: AuditEvent, known: _Known) -> tuple[str, str, str]:
    """(the carer who took it, the visit, who had it before) of a place taken."""
    assignment = known.assignments.get(event.subject_id)
    shift = assignment.shift if assignment else known.shifts.get(event.after.get("shift"))
    carer_id = event.after.get("carer") or (assignment.carer_id if assignment else None)
    if carer_id is None and event.carer_ids:
        carer_id = event.carer_ids[-1]
    giver = event.before.get("carer")
    return known.carer(carer_id), _visit(shift), known.carer(giver) if giver else ""


def _took(event: AuditEvent, known: _Known) -> str:
    carer, visit, giver = _place(event, known)
    if giver:
        return _("%(carer)s took %(visit)s from %(giver)s (given away).") % {
            "carer": carer,
            "visit": visit,
            "giver": giver,
        }
    return _("%(carer)s took %(visit)s.") % {"carer": carer, "visit": visit}


def _took_every_week(event: AuditEvent, known: _Known) -> str:
    taken = len(event.after.get("taken", []))
    last = event.after.get("last")
    words = {
        "carer": _first_carer(event, known),
        "visit": _visit(known.shifts.get(event.after.get("shift"))),
        "count": taken,
        "last": (
            formats.date_format(
                timezone.localtime(datetime.fromisoformat(last), known.tz(event)), "D j M"
            )
            if last
            else "?"
        ),
    }
    return (
        ngettext(
            "%(carer)s took %(visit)s every week: %(count)d visit, the last on %(last)s.",
            "%(carer)s took %(visit)s every week: %(count)d visits, the last on %(last)s.",
            taken,
        )
        % words
    )


def _assign(event: AuditEvent, known: _Known) -> str:
    carer, visit, giver = _place(event, known)
    words = {"actor": known.actor(event), "carer": carer, "visit": visit, "giver": giver}
    if giver:
        return (
            _("%(actor)s put %(carer)s on %(visit)s in place of %(giver)s, who was giving it away.")
            % words
        )
    return _("%(actor)s put %(carer)s on %(visit)s.") % words


def _offer(event: AuditEvent, known: _Known) -> str:
    offer = known.offers.get(event.subject_id)
    shift = offer.assignment.shift if offer else known.shifts.get(event.after.get("shift"))
    words = {"carer": _first_carer(event, known), "visit": _visit(shift)}
    if event.action == Action.WITHDRAW_OFFER:
        return _("%(carer)s kept %(visit)s after all: no longer giving it away.") % words
    return _("%(carer)s is giving away %(visit)s; it stays theirs until someone takes it.") % words


def _swap_words(event: AuditEvent, known: _Known) -> dict[str, str]:
    """Who proposed (a) and who was asked (b), and their two visits."""
    swap = known.swaps.get(event.subject_id)
    if swap is None:
        nobody = known.carer(None)
        return {"a": nobody, "b": nobody, "x": _visit(None), "y": _visit(None)}
    return {
        "a": known.carer(swap.offered.carer_id),
        "b": known.carer(swap.wanted.carer_id),
        "x": _visit(swap.offered.shift),
        "y": _visit(swap.wanted.shift),
    }


def _swap(event: AuditEvent, known: _Known) -> str:
    words = _swap_words(event, known)
    if event.action == Action.PROPOSE_SWAP:
        return _("%(a)s asked %(b)s to swap %(x)s for %(y)s.") % words
    if event.action == Action.ACCEPT_SWAP:
        return _("%(b)s took %(x)s from %(a)s, and %(a)s took %(y)s from %(b)s (swap).") % words
    if event.action == Action.DECLINE_SWAP:
        return _("%(b)s declined %(a)s's request to swap %(x)s for %(y)s.") % words
    return _("%(a)s withdrew the request to swap %(x)s for %(y)s with %(b)s.") % words


def _absence(event: AuditEvent, known: _Known) -> str:
    tz = known.tz(event)
    carer = _first_carer(event, known)
    if event.action == Action.END_ABSENCE_EARLY:
        sentence = _("%(carer)s is back early: their time off ended %(end)s.") % {
            "carer": carer,
            "end": _moment(event.after.get("end"), tz),
        }
        restored = len(event.after.get("restored", []))
        if restored:
            sentence += " " + ngettext(
                "%(count)d visit came back to them.",
                "%(count)d visits came back to them.",
                restored,
            ) % {"count": restored}
        return sentence + _recorded_by(event, known)
    if event.action == Action.END_ABSENCE:
        return _("%(carer)s's time off now ends %(end)s (it was %(before)s).") % {
            "carer": carer,
            "end": _moment(event.after.get("end"), tz),
            "before": _moment(event.before.get("end"), tz),
        }
    kind = event.after.get("kind")
    sentence = _("%(carer)s is off (%(kind)s) from %(start)s to %(end)s.") % {
        "carer": carer,
        "kind": AbsenceKind(kind).label.lower() if kind in AbsenceKind.values else kind,
        "start": _moment(event.after.get("start"), tz),
        "end": _moment(event.after.get("end"), tz),
    }
    released = len(event.after.get("released", []))
    if released:
        sentence += " " + _need_cover(released)
    return sentence + _recorded_by(event, known)


def _recorded_by(event: AuditEvent, known: _Known) -> str:
    """Said when someone acted for the carer concerned (a team leader recording an absence)."""
    if event.actor_id is None or event.actor_id in event.carer_ids:
        return ""
    return " " + _("Recorded by %(actor)s.") % {"actor": known.actor(event)}


def _family(event: AuditEvent, known: _Known) -> str:
    visit = known.family_visits.get(event.subject_id)
    tz = known.tz(event)
    words = {
        "family": known.person(visit.family_member_id if visit else event.actor_id),
        "client": known.client_name(event.client_id),
    }
    if event.action == Action.WITHDRAW_FAMILY_VISIT:
        sentence = _("%(family)s won't be with %(client)s after all.") % words
        return sentence + _put_back(event)
    freed = len(event.after.get("freed", []))
    words["start"] = _moment(event.after.get("start"), tz)
    words["end"] = _moment(event.after.get("end"), tz)
    if event.action == Action.FREE_FOR_FAMILY_VISIT:
        return ngettext(
            "%(count)d visit added to the rota is not needed: %(family)s will be with "
            "%(client)s from %(start)s to %(end)s.",
            "%(count)d visits added to the rota are not needed: %(family)s will be with "
            "%(client)s from %(start)s to %(end)s.",
            freed,
        ) % {**words, "count": freed}
    sentence = _("%(family)s will be with %(client)s from %(start)s to %(end)s.") % words
    if freed:
        sentence += " " + ngettext(
            "%(count)d visit is not needed.", "%(count)d visits are not needed.", freed
        ) % {"count": freed}
    return sentence


def _help(event: AuditEvent, known: _Known) -> str:
    request = known.help_requests.get(event.subject_id)
    client = request.client.preferred_name if request else known.client_name(event.client_id)
    words = {"actor": known.actor(event), "client": client}
    if event.action == Action.RAISE_HELP_REQUEST:
        if event.actor_id is None:
            return _("A call for help was raised for %(client)s.") % words
        return _("%(actor)s asked for help now for %(client)s.") % words
    if event.action == Action.ACCEPT_HELP_REQUEST:
        return _("%(carer)s answered %(client)s's call for help.") % {
            **words,
            "carer": _first_carer(event, known),
        }
    if event.action == Action.ACKNOWLEDGE_HELP_REQUEST:
        return _("%(actor)s is dealing with %(client)s's call for help.") % words
    if event.action == Action.ESCALATE_HELP_REQUEST:
        return (
            _("Nobody answered %(client)s's call for help in time: the team leaders were alerted.")
            % words
        )
    return _("%(actor)s cancelled %(client)s's call for help.") % words


def _cancel_shift(event: AuditEvent, known: _Known) -> str:
    sentence = _("%(actor)s cancelled %(visit)s: %(reason)s") % {
        "actor": known.actor(event),
        "visit": _visit(known.shifts.get(event.after.get("shift") or event.subject_id)),
        "reason": event.after.get("reason", ""),
    }
    if not sentence.endswith((".", "!", "?")):
        sentence += "."
    carers = [known.carer(pk) for pk in event.carer_ids]
    if carers:
        sentence += " " + ngettext(
            "%(names)s no longer goes.", "%(names)s no longer go.", len(carers)
        ) % {"names": _names(carers)}
    return sentence


def _decline_carer(event: AuditEvent, known: _Known) -> str:
    words = {
        "actor": known.actor(event),
        "client": known.client_name(event.client_id),
        "carer": _first_carer(event, known),
    }
    if event.actor_id is None:
        sentence = _("%(client)s would rather not have %(carer)s visit.") % words
    else:
        sentence = _("%(actor)s said %(client)s would rather not have %(carer)s visit.") % words
    released = len(event.after.get("released", []))
    if released:
        sentence += " " + _need_cover(released)
    return sentence


def _end_membership(event: AuditEvent, known: _Known) -> str:
    membership = known.memberships.get(event.subject_id)
    circle_id = membership.circle_id if membership else event.circle_id
    sentence = _("%(person)s leaves %(circle)s on %(day)s.") % {
        "person": _first_carer(event, known),
        "circle": known.circle_name(circle_id) or _("the circle"),
        "day": _day(event.after.get("ended_on")),
    }
    released = len(event.after.get("released", []))
    if released:
        sentence += " " + _need_cover(released)
    return sentence


def _at_visit(event: AuditEvent, known: _Known) -> str:
    """A carer arriving at a visit, leaving it, on their way to it late, or unable to make it."""
    tz = known.tz(event)
    words = {
        "carer": _first_carer(event, known),
        "visit": _visit(known.shifts.get(event.after.get("shift"))),
    }
    if event.action == Action.ARRIVE:
        return _("%(carer)s arrived at %(visit)s at %(time)s.") % {
            **words,
            "time": _moment(event.after.get("arrived_at"), tz),
        }
    if event.action == Action.LEAVE:
        return _("%(carer)s left %(visit)s at %(time)s.") % {
            **words,
            "time": _moment(event.after.get("left_at"), tz),
        }
    if event.action == Action.ON_MY_WAY:
        return _("%(carer)s is on their way to %(visit)s, there about %(time)s.") % {
            **words,
            "time": _moment(event.after.get("expected_at"), tz),
        }
    return _("%(carer)s couldn't make %(visit)s.") % words + " " + _need_cover(1)


def _late(event: AuditEvent, known: _Known) -> str:
    """A step the rota took for a visit nobody had arrived at, or the visit missed."""
    visit = _visit(known.shifts.get(event.after.get("shift")))
    if event.action == Action.VISIT_MISSED:
        carers = [known.carer(pk) for pk in event.carer_ids]
        if not carers:
            return _("%(visit)s was missed: nobody was on it.") % {"visit": visit}
        return _("%(visit)s was missed: %(names)s didn't arrive.") % {
            "visit": visit,
            "names": _names(carers),
        }
    step = event.after.get("step")
    label = LateStep(step).label if step in LateStep.values else "?"
    return _("%(visit)s is late: %(step)s.") % {"visit": visit, "step": str(label).lower()}


def _away(event: AuditEvent, known: _Known) -> str:
    tz = known.tz(event)
    client = known.client_name(event.client_id)
    if event.action == Action.END_CLIENT_AWAY:
        sentence = _("%(client)s is back early, from %(end)s.") % {
            "client": client,
            "end": _moment(event.after.get("end"), tz),
        }
        return sentence + _put_back(event)
    reason = event.after.get("reason")
    freed = len(event.after.get("freed", []))
    sentence = _("%(client)s: %(where)s from %(start)s to %(end)s.") % {
        "client": client,
        "where": str(AwayReason(reason).label).lower() if reason in AwayReason.values else "?",
        "start": _moment(event.after.get("start"), tz),
        "end": _moment(event.after.get("end"), tz),
    }
    if event.action == Action.FREE_FOR_CLIENT_AWAY:
        # Visits the rota made later inside the time away, freed as they were made.
        return ngettext(
            "%(count)d visit added to the rota is not needed, as %(client)s is away then.",
            "%(count)d visits added to the rota are not needed, as %(client)s is away then.",
            freed,
        ) % {"count": freed, "client": client}
    if freed:
        sentence += " " + ngettext(
            "%(count)d visit is not needed.", "%(count)d visits are not needed.", freed
        ) % {"count": freed}
    return sentence + _recorded_by(event, known)


def _generate(event: AuditEvent, known: _Known) -> str:
    created = event.after.get("created", 0)
    last = event.after.get("to")
    if last:
        # The event names the first day not made; the trail says the last one made.
        last = (date.fromisoformat(last) - timedelta(days=1)).isoformat()
    return ngettext(
        "%(count)d visit was added to the rota, from %(start)s to %(end)s.",
        "%(count)d visits were added to the rota, from %(start)s to %(end)s.",
        created,
    ) % {"count": created, "start": _day(event.after.get("from")), "end": _day(last)}


def _change_plan(event: AuditEvent, known: _Known) -> str:
    plan = known.plans.get(event.subject_id)
    if "skipped" in event.after:
        return _skipped_days(event, known, plan.title if plan else "?")
    changed = len(event.before.get("shifts", []))
    return ngettext(
        "%(actor)s changed %(client)s's care plan “%(plan)s”: %(count)d coming visit was "
        "moved or removed.",
        "%(actor)s changed %(client)s's care plan “%(plan)s”: %(count)d coming visits were "
        "moved or removed.",
        changed,
    ) % {
        "actor": known.actor(event),
        "client": known.client_name(event.client_id),
        "plan": plan.title if plan else "?",
        "count": changed,
    }


def _skipped_days(event: AuditEvent, known: _Known, plan: str) -> str:
    """A plan's skipped dates changed: how many coming visits are not needed, and how many
    are planned again."""
    words = {"actor": known.actor(event), "client": known.client_name(event.client_id)}
    words["plan"] = plan
    freed, again = len(event.after.get("freed", [])), len(event.after.get("planned_again", []))
    sentence = _("%(actor)s changed the days %(client)s's care plan “%(plan)s” skips.") % words
    if freed:
        sentence += " " + ngettext(
            "%(count)d coming visit is not needed.",
            "%(count)d coming visits are not needed.",
            freed,
        ) % {"count": freed}
    if again:
        sentence += " " + ngettext(
            "%(count)d coming visit is planned again.",
            "%(count)d coming visits are planned again.",
            again,
        ) % {"count": again}
    return sentence


def _approve(event: AuditEvent, known: _Known) -> str:
    return _("%(actor)s said %(carer)s is welcome to visit %(client)s.") % {
        "actor": known.actor(event),
        "carer": _first_carer(event, known),
        "client": known.client_name(event.client_id),
    }


def _edit_profile(event: AuditEvent, known: _Known) -> str:
    """Which parts of the likes and wishes changed; what they now say is on the client's page
    (and before → after in the event itself)."""
    if "family_read_notes" in event.after:
        words = {"actor": known.actor(event), "client": known.client_name(event.client_id)}
        if event.after["family_read_notes"]:
            return _("%(actor)s let %(client)s's family read the carers' notes.") % words
        return _("%(actor)s stopped %(client)s's family reading the carers' notes.") % words
    labels = {
        "what_matters": _("what matters to them"),
        "likes": _("likes"),
        "dislikes": _("dislikes"),
        "likes_to_give": _("what they like to give"),
    }
    parts = [str(labels.get(field, field)) for field in event.after]
    return _("%(actor)s changed %(client)s's likes and wishes: %(parts)s.") % {
        "actor": known.actor(event),
        "client": known.client_name(event.client_id),
        "parts": _names(parts),
    }


def _carer_wish(event: AuditEvent, known: _Known) -> str:
    words = {
        "actor": known.actor(event),
        "carer": _first_carer(event, known),
        "client": known.client_name(event.client_id),
    }
    if event.action == Action.PREFER_CARER:
        return _("%(actor)s said %(client)s would rather have %(carer)s visit.") % words
    if (event.before or {}).get("preference") == "not_wanted":
        return _("%(actor)s said %(client)s would be happy to see %(carer)s again.") % words
    return _("%(actor)s said %(client)s no longer asks for %(carer)s in particular.") % words


def _set_thresholds(event: AuditEvent, known: _Known) -> str:
    """Each threshold changed, as it is now and as it was."""
    words = {
        "strained_below_percent": _("strained below %(now)s %% filled (was %(was)s %%)"),
        "not_coping_below_percent": _("not coping below %(now)s %% filled (was %(was)s %%)"),
        "essential_gap_hours": _(
            "an essential visit with nobody counts %(now)s hours ahead (was %(was)s)"
        ),
    }
    parts = [
        words[field] % {"now": now, "was": event.before.get(field, "?")}
        for field, now in event.after.items()
        if field in words
    ]
    return _("%(actor)s changed when %(circle)s's team leaders are alerted: %(parts)s.") % {
        "actor": known.actor(event),
        "circle": known.circle_name(event.circle_id),
        "parts": _names(parts),
    }


def _new_face_limit(event: AuditEvent, known: _Known) -> str:
    """The limit as it is now, and what happens past it."""
    words = {"actor": known.actor(event), "client": known.client_name(event.client_id)}
    limit = event.after.get("new_face_limit")
    if limit is None:
        return _("%(actor)s said %(client)s has no limit on new carers a month.") % words
    words["limit"] = limit
    if event.after.get("new_faces_past_limit", "refuse") == "ask_first":
        asked = _(
            "%(actor)s said %(client)s meets at most %(limit)s new carers a month, and is "
            "asked first about any more."
        )
        return asked % words
    return _("%(actor)s said %(client)s meets at most %(limit)s new carers a month.") % words


def _thanks(event: AuditEvent, known: _Known) -> str:
    """Who thanked whom for which visit, and whether the carer lets the circle see it; never
    the words themselves, which are the carer's to share."""
    words = {
        "actor": known.actor(event),
        "carer": _first_carer(event, known),
        "visit": _visit(known.shifts.get(event.after.get("shift"))),
    }
    if event.action == Action.THANK:
        return _("%(actor)s thanked %(carer)s for %(visit)s.") % words
    if event.after.get("shared"):
        return _("%(carer)s let the circle see a thank-you for %(visit)s.") % words
    return _("%(carer)s kept a thank-you for %(visit)s to themselves.") % words


def _share_check_ins(event: AuditEvent, known: _Known) -> str:
    """Whether the circle lets its team leaders see its monthly check-in."""
    words = {"actor": known.actor(event), "circle": known.circle_name(event.circle_id)}
    if event.after.get("check_ins_shared"):
        return _("%(actor)s let %(circle)s's team leaders see its monthly check-in.") % words
    return _("%(actor)s stopped %(circle)s's team leaders seeing its monthly check-in.") % words


def _new_face(event: AuditEvent, known: _Known) -> str:
    """A client asked first about a carer new to them, and their answer."""
    words = {
        "actor": known.actor(event),
        "carer": _first_carer(event, known),
        "client": known.client_name(event.client_id),
        "visit": _visit(known.shifts.get(event.after.get("shift"))),
    }
    if event.action == Action.ASK_NEW_FACE:
        return _("%(client)s was asked about %(carer)s, new to them, taking %(visit)s.") % words
    if event.action == Action.DECLINE_NEW_FACE:
        return _("%(actor)s said no to %(carer)s, new to %(client)s, for %(visit)s.") % words
    if "lapsed" in event.after:
        words["why"] = lapse_words(event.after["lapsed"], words["carer"])
        return (
            _(
                "%(actor)s said yes to %(carer)s, new to %(client)s, for %(visit)s, but it "
                "could not be theirs: %(why)s"
            )
            % words
        )
    return _("%(actor)s said yes to %(carer)s, new to %(client)s, for %(visit)s.") % words


def _seed(event: AuditEvent, known: _Known) -> str:
    return _("The demo organisation was set up, with its rota.")


SENTENCES: dict[Action, Callable[[AuditEvent, _Known], str]] = {
    Action.CLAIM: _took,
    Action.CLAIM_EVERY_WEEK: _took_every_week,
    Action.TAKE_OFFER: _took,
    Action.ASSIGN: _assign,
    Action.OFFER: _offer,
    Action.WITHDRAW_OFFER: _offer,
    Action.PROPOSE_SWAP: _swap,
    Action.ACCEPT_SWAP: _swap,
    Action.DECLINE_SWAP: _swap,
    Action.WITHDRAW_SWAP: _swap,
    Action.RECORD_ABSENCE: _absence,
    Action.END_ABSENCE: _absence,
    Action.END_ABSENCE_EARLY: _absence,
    Action.RECORD_FAMILY_VISIT: _family,
    Action.WITHDRAW_FAMILY_VISIT: _family,
    Action.FREE_FOR_FAMILY_VISIT: _family,
    Action.RAISE_HELP_REQUEST: _help,
    Action.ACCEPT_HELP_REQUEST: _help,
    Action.ACKNOWLEDGE_HELP_REQUEST: _help,
    Action.ESCALATE_HELP_REQUEST: _help,
    Action.CANCEL_HELP_REQUEST: _help,
    Action.CANCEL_SHIFT: _cancel_shift,
    Action.DECLINE_CARER: _decline_carer,
    Action.END_MEMBERSHIP: _end_membership,
    Action.GENERATE_SHIFTS: _generate,
    Action.CHANGE_PLAN: _change_plan,
    Action.SEED_DEMO: _seed,
    Action.APPROVE_CARER: _approve,
    Action.EDIT_PROFILE: _edit_profile,
    Action.PREFER_CARER: _carer_wish,
    Action.CLEAR_CARER_WISH: _carer_wish,
    Action.SET_THRESHOLDS: _set_thresholds,
    Action.SET_NEW_FACE_LIMIT: _new_face_limit,
    Action.ARRIVE: _at_visit,
    Action.LEAVE: _at_visit,
    Action.ON_MY_WAY: _at_visit,
    Action.CANT_MAKE_IT: _at_visit,
    Action.VISIT_LATE: _late,
    Action.VISIT_MISSED: _late,
    Action.RECORD_CLIENT_AWAY: _away,
    Action.FREE_FOR_CLIENT_AWAY: _away,
    Action.END_CLIENT_AWAY: _away,
    Action.THANK: _thanks,
    Action.SHARE_THANKS: _thanks,
    Action.SHARE_CHECK_INS: _share_check_ins,
    Action.ASK_NEW_FACE: _new_face,
    Action.APPROVE_NEW_FACE: _new_face,
    Action.DECLINE_NEW_FACE: _new_face,
}


def _sentence(event: AuditEvent, known: _Known) -> str:
    return SENTENCES[Action(event.action)](event, known)

"""Who hears what (docs/design.md, Who hears what): team leaders only of a circle crossing into a
worse state, of its recovery and of an unanswered call for help; carers of a call for help they
could answer, of their offered visit still untaken and of their checks running out.

A circle's state is stored; the live one is computed from its capacity. A change is
recorded only when they differ, by a conditional update that exactly one worker wins, and
who hears of it is decided in one place (`alert_for`). Every message is keyed, so a job
that runs twice tells nobody twice.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles import fairness, glance, notify
from circles.capacity import Capacity, Figures, capacities, figures, judge
from circles.forecast import Forecast, forecasts, new_crossing
from circles.models import (
    Circle,
    CircleState,
    Notification,
    NotificationKind,
    Role,
    StateChange,
)
from circles.notify import Formatted
from circles.permissions import circles_of, members
from people.models import Credential, Person
from rota import audit
from rota.models import (
    Action,
    Assignment,
    HelpRequest,
    HelpStatus,
    Offer,
    OfferStatus,
    RunningLow,
)
from rota.rules import Rule, check

HORIZON = timedelta(days=14)
# Circles the sweep judges at once: its memory is a block's, whatever the number of circles.
SWEEP_BLOCK = 1000
OFFER_REMINDER = timedelta(hours=24)
CREDENTIAL_REMINDER = timedelta(days=30)

WORSE_TITLES = {
    CircleState.STRAINED: _("%(circle)s is stretched: cover is getting thin"),
    CircleState.NOT_COPING: _("%(circle)s is not coping: visits need cover"),
}
WORSE_BODY = _("%(filled)s of %(needed)s carer places are filled over the next 14 days.")
WORSE_BODY_ESSENTIAL = _(
    "%(filled)s of %(needed)s carer places are filled over the next 14 days. "
    "An essential visit has nobody yet: %(client)s, %(when)s."
)
RECOVERED_TITLE = _("%(circle)s is coping again")
RECOVERED_BODY = _(
    "Enough places are filled over the next 14 days, and every essential visit soon has a carer."
)
HELP_NEEDED_TITLE = _("%(client)s needs help now")
HELP_NEEDED_BODY = _(
    "Can you go to %(client)s now, until %(until)s? The first carer to say yes goes."
)
HELP_ESCALATED_TITLE = _("Nobody has answered %(client)s's call for help")
HELP_ESCALATED_BODY = _(
    "No carer in %(circle)s has said yes after %(minutes)s minutes. Who to phone: %(phone)s. "
    "Say you are on it, so the other team leader knows."
)
OFFER_UNTAKEN_TITLE = _("Nobody has taken your visit to %(client)s yet")
OFFER_UNTAKEN_BODY = _(
    "Your visit to %(client)s on %(when)s is still yours until someone takes it. If you "
    "can't go, ask someone in your circle to swap or take it."
)
YOUR_CHECK_TITLE = _("Your %(check)s runs out on %(date)s")
YOUR_CHECK_BODY = _(
    "After %(date)s you can't do visits that need it. Please renew it and tell your coordinator."
)
THEIR_CHECK_TITLE = _("%(person)s's %(check)s runs out on %(date)s")
THEIR_CHECK_BODY = _("After %(date)s they can't do visits that need it until it is renewed.")
RUNNING_LOW_TITLE = _("%(carer)s says they are running low")
RUNNING_LOW_BODY = _(
    "From %(first)s to %(last)s. They will be asked to cover visits last on those days. Only "
    "you have been told, so that someone can check in with %(carer)s."
)


def check_circle(circle: Circle) -> str:
    """After a change to the circle: judge the next 14 days, store the state and alert only
    when it changed, and forget the circle's rows on the leaders' dashboard. Returns the
    state."""
    state = _judge([circle], timezone.now())[circle.pk]
    glance.forget_rows([circle.pk])
    return state


def _judge(circles: list[Circle], now: datetime) -> dict[int, str]:
    """Judge the circles on their figures (one row of kept counts each); the full capacity
    an alert speaks of is worked out, for all of them at once, only for those whose state
    changed. Returns each circle's state, by id."""
    end = now + HORIZON
    judged_on = figures([circle.pk for circle in circles], now, end)
    states: dict[int, str] = {
        circle.pk: judge(circle, judged_on.get(circle.pk, Figures()), now) for circle in circles
    }
    changed = [circle for circle in circles if states[circle.pk] != circle.state]
    if changed:
        full = capacities(changed, now, end)
        for circle in changed:
            states[circle.pk] = transition(circle, full[circle.pk])
    return states


def transition(circle: Circle, judged: Capacity) -> str:
    """Move the circle from its stored state to the judged one, once.

    Returns the judged state. When another worker stored it first, nothing more is done.
    """
    stored, live = circle.state, judged.state
    if live == stored:
        return live
    now = timezone.now()
    with transaction.atomic():
        won = Circle.objects.filter(pk=circle.pk, state=stored).update(
            state=live, state_changed_at=now
        )
        if not won:
            return live  # another worker process got there first, and alerted
        kind = alert_for(CircleState(stored), CircleState(live))
        change = StateChange.objects.create(
            circle=circle,
            from_state=stored,
            to_state=live,
            at=now,
            slots_needed=judged.slots_needed,
            slots_filled=judged.slots_filled,
            alerted_at=now if kind else None,
        )
        if kind:
            _alert_leaders(kind, change, judged)
    circle.state, circle.state_changed_at = live, now
    return live


def alert_for(stored: CircleState, live: CircleState) -> NotificationKind | None:
    """What team leaders hear of a change: a worse state, or back to coping. Nothing else:
    not coping to strained is better but not yet well, and routine."""
    if live.severity > stored.severity:
        return NotificationKind.CIRCLE_WORSE
    if live == CircleState.OK:
        return NotificationKind.CIRCLE_RECOVERED
    return None


def who_answers_for(circle: Circle) -> list[Person]:
    """Who hears a circle's alerts: its team leaders or, when it has none today, its
    organisation's coordinators, so that a circle in trouble is never silent."""
    return list(members(circle, Role.TEAM_LEADER)) or _coordinators({circle.organisation_id}).get(
        circle.organisation_id, []
    )


def _alert_leaders(kind: NotificationKind, change: StateChange, judged: Capacity) -> None:
    circle = change.circle
    params = {"circle": circle.name, "filled": judged.slots_filled, "needed": judged.slots_needed}
    if kind == NotificationKind.CIRCLE_RECOVERED:
        title, body = RECOVERED_TITLE, RECOVERED_BODY
    else:
        title, body = WORSE_TITLES[CircleState(change.to_state)], WORSE_BODY
        essential = next((shift for shift in judged.uncovered if shift.essential), None)
        if essential is not None:
            body = WORSE_BODY_ESSENTIAL
            # Formatted when rendered, so the day and month are in the leader's language.
            params["client"] = essential.client.full_name
            params["when"] = Formatted(timezone.localtime(essential.start, circle.tz), "D j M H:i")
    for leader in who_answers_for(circle):
        notify.notify(
            leader,
            kind,
            key=f"state-change:{change.pk}",
            title=title,
            body=body,
            params=params,
            link=reverse("leaders:circle", kwargs={"circle_id": circle.pk}),
            circle=circle,
            urgent=kind == NotificationKind.CIRCLE_WORSE,
        )


def sweep() -> int:
    """Every circle judged as check_circle judges one, a block at a time in this process
    (the demo's and the benchmarks'; the periodic sweep hands each block to a worker of its
    own, circles.tasks.sweep). Returns how many circles were checked."""
    return sum(sweep_block(first, last) for first, last in sweep_blocks())


def sweep_blocks() -> list[tuple[int, int]]:
    """The first and last id of each block of SWEEP_BLOCK circles, in id order: one query
    of the ids alone. Blocks by id range stay whole however circles come and go."""
    ids = list(Circle.objects.order_by("pk").values_list("pk", flat=True))
    return [
        (ids[i], ids[min(i + SWEEP_BLOCK, len(ids)) - 1]) for i in range(0, len(ids), SWEEP_BLOCK)
    ]


def sweep_block(first: int, last: int) -> int:
    """The circles with ids from `first` to `last` judged together, so that memory stays
    the same whatever the number of circles: two queries when nothing changed. Returns how
    many circles were checked."""
    block = list(Circle.objects.filter(pk__gte=first, pk__lte=last).order_by("pk"))
    was = {circle.pk: circle.state for circle in block}  # a transition stores the new one
    states = _judge(block, timezone.now())
    # A state time passing changed shows on the leaders' dashboard at once (a change's
    # check_circle forgets its circle's rows whatever it finds).
    glance.forget_rows(pk for pk, state in states.items() if state != was[pk])
    return len(block)


# --- calls for help ----------------------------------------------------------------------------


def ask_carers_for_help(request_id: int, *, now: datetime | None = None) -> int:
    """Ask the carers of the circle who could go now (every rule but `started` passes), in
    waves (circles.fairness.waves): those below their share and rested at once, everyone
    else HELP_WAVE_MINUTES later, those running low that day last. Run again (by the beat,
    `ask_next_waves`), it asks the waves whose time has come; once the call has escalated
    to the team leaders, every carer who could go is asked.

    Returns how many have been asked by now; nobody is asked twice (each message is keyed by
    the call), and nobody once it is answered, cancelled or its visit is over.
    """
    now = now or timezone.now()
    request = (
        HelpRequest.objects.select_related("client", "shift__circle", "shift__client")
        .filter(pk=request_id, status__in=[HelpStatus.ASKED, HelpStatus.ESCALATED])
        .first()
    )
    if request is None or request.shift.end <= now:
        return 0
    shift = request.shift
    could_go = [
        carer
        for carer in members(shift.circle, Role.CARER)
        if not any(violation.rule != Rule.STARTED for violation in check(carer, shift, now=now))
    ]
    in_waves = fairness.waves(shift.circle, {carer: [shift] for carer in could_go}, now=now)
    if request.status == HelpStatus.ESCALATED:
        due = len(in_waves)
    else:
        due = waves_due(request.raised_at, now, settings.HELP_WAVE_MINUTES)
    params = {
        "client": request.client.preferred_name,
        "until": Formatted(timezone.localtime(shift.end, shift.circle.tz), "H:i"),
    }
    asked = 0
    for wave in in_waves[:due]:
        for carer in wave:
            notify.notify(
                carer,
                NotificationKind.HELP_NEEDED,
                key=notify.help_key(NotificationKind.HELP_NEEDED, request.pk),
                title=HELP_NEEDED_TITLE,
                body=HELP_NEEDED_BODY,
                params=params,
                link=reverse("carer:help", kwargs={"request_id": request.pk}),
                circle=shift.circle,
                urgent=True,
            )
            asked += 1
    return asked


def waves_due(since: datetime, now: datetime, minutes: int) -> int:
    """How many waves have come by `now` when the first goes at `since` and each next one
    `minutes` after the one before."""
    return int((now - since) / timedelta(minutes=minutes)) + 1


# Waves are at most three (circles.fairness.waves): the beat asks again, until the last is due,
# the calls for help this recent.
def _asking_window() -> timedelta:
    return timedelta(minutes=2 * settings.HELP_WAVE_MINUTES + 1)


def ask_next_waves() -> int:
    """Every minute: each call for help still waiting and recent enough to have a wave to
    come is asked again, so its next wave is asked when its time comes (asking again asks
    nobody twice). Returns how many calls were looked at."""
    since = timezone.now() - _asking_window()
    due = HelpRequest.objects.filter(status=HelpStatus.ASKED, raised_at__gte=since)
    pks = list(due.order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        ask_carers_for_help(pk)
    return len(pks)


def escalate_help_requests() -> int:
    """Calls for help no carer has answered in time go to the team leaders; returns how many.
    A call made for a late visit goes to them when rota.lateness says, once."""
    cutoff = timezone.now() - timedelta(minutes=settings.HELP_ESCALATE_MINUTES)
    # A call made for a late visit is the late visit's to escalate (rota.lateness).
    due = HelpRequest.objects.filter(
        status=HelpStatus.ASKED, raised_at__lte=cutoff, late_step__isnull=True
    )
    return sum(escalate(pk) for pk in due.order_by("pk").values_list("pk", flat=True))


def escalate(request_id: int) -> bool:
    """Escalate one call for help, once: True if this call did."""
    now = timezone.now()
    with transaction.atomic():
        won = HelpRequest.objects.filter(pk=request_id, status=HelpStatus.ASKED).update(
            status=HelpStatus.ESCALATED, escalated_at=now
        )
        if not won:
            return False  # answered, cancelled, or escalated by another worker
        request = HelpRequest.objects.select_related("client__circle").get(pk=request_id)
        circle = request.client.circle
        # Unanswered in time, the call is everyone's: the carers of waves still to come are
        # asked now, as the team leaders are told.
        ask_carers_for_help(request_id, now=now)
        audit.record(
            Action.ESCALATE_HELP_REQUEST, request, circle_id=circle.pk, client_id=request.client_id
        )
        params = {
            "client": request.client.preferred_name,
            "circle": circle.name,
            "minutes": settings.HELP_ESCALATE_MINUTES,
            "phone": request.client.who_to_phone or "—",
        }
        for leader in who_answers_for(circle):
            notify.notify(
                leader,
                NotificationKind.HELP_ESCALATED,
                key=notify.help_key(NotificationKind.HELP_ESCALATED, request.pk),
                title=HELP_ESCALATED_TITLE,
                body=HELP_ESCALATED_BODY,
                params=params,
                link=reverse("leaders:circle", kwargs={"circle_id": circle.pk}),
                circle=circle,
                urgent=True,
            )
    return True


# --- a carer running low ----------------------------------------------------------------------


def tell_running_low(running_low_id: int) -> bool:
    """One team leader hears a carer is running low, once (keyed by what the carer said), so
    someone can check in with them: the first (by id) of whoever answers for the circle where
    the carer has most visits on those days (the first of their circles by id when none).
    Nobody else: not the circle, not the other leader. True if a message was written now."""
    flag = RunningLow.objects.select_related("carer").filter(pk=running_low_id).first()
    if flag is None:
        return False  # ended before it began
    carer = flag.carer
    circles = list(circles_of(flag.carer, Role.CARER).order_by("pk"))
    if not circles:
        return False
    busiest = dict(
        Assignment.objects.filter(
            carer=carer,
            released_at__isnull=True,
            shift__circle__in=circles,
            start__date__gte=flag.first_day,
            start__date__lte=flag.last_day,
        )
        .values("shift__circle_id")
        .annotate(places=Count("pk"))
        .values_list("shift__circle_id", "places")
        .order_by()
    )
    circle = max(circles, key=lambda c: (busiest.get(c.pk, 0), -c.pk))
    leaders = sorted(who_answers_for(circle), key=lambda person: person.pk)
    if not leaders:
        return False
    key = f"running-low:{flag.pk}"
    if Notification.objects.filter(key=key).exists():
        return False  # told already (to whoever was first then)
    notify.notify(
        leaders[0],
        NotificationKind.RUNNING_LOW,
        key=key,
        title=RUNNING_LOW_TITLE,
        body=RUNNING_LOW_BODY,
        params={
            "carer": carer.get_short_name(),
            "circle": circle.name,
            "first": Formatted(flag.first_day, "D j M"),
            "last": Formatted(flag.last_day, "D j M"),
        },
        link=reverse("leaders:circle", kwargs={"circle_id": circle.pk}),
        circle=circle,
    )
    return True


# --- reminders ---------------------------------------------------------------------------------


def remind_untaken_offers() -> int:
    """Tell each carer whose offered visit is less than a day away that nobody has taken it
    yet (it is still theirs); once per offer. Returns how many offers are that close."""
    now = timezone.now()
    offers = Offer.objects.filter(
        status=OfferStatus.OPEN,
        assignment__released_at__isnull=True,
        assignment__start__gt=now,
        assignment__start__lte=now + OFFER_REMINDER,
    ).select_related("assignment__carer", "assignment__shift__client", "assignment__shift__circle")
    count = 0
    for offer in offers:
        shift = offer.assignment.shift
        notify.notify(
            offer.assignment.carer,
            NotificationKind.OFFER_UNTAKEN,
            key=f"offer-untaken:{offer.pk}",
            title=OFFER_UNTAKEN_TITLE,
            body=OFFER_UNTAKEN_BODY,
            params={
                "client": shift.client.preferred_name,
                "when": Formatted(timezone.localtime(shift.start, shift.circle.tz), "l j F, H:i"),
            },
            link=reverse("carer:my_shifts"),
            circle=shift.circle,
        )
        count += 1
    return count


def remind_expiring_credentials() -> int:
    """Tell each holder of a check or training running out within 30 days, and their
    organisation's coordinators; once per credential, and not when already renewed.
    Returns how many credentials are running out."""
    today = timezone.localdate()
    renewed = Credential.objects.filter(
        person_id=OuterRef("person_id"),
        type_id=OuterRef("type_id"),
        valid_until__gt=OuterRef("valid_until"),
    )
    expiring = list(
        Credential.objects.filter(
            valid_until__gte=today,
            valid_until__lte=today + CREDENTIAL_REMINDER,
            person__is_active=True,
        )
        .filter(~Exists(renewed))
        .select_related("person", "type")
    )
    coordinators = _coordinators({c.person.organisation_id for c in expiring})
    for credential in expiring:
        holder = credential.person
        params = {
            "person": holder.full_name,
            "check": credential.type.name,
            "date": Formatted(credential.valid_until, "j F Y"),
        }
        key = f"credential-expiring:{credential.pk}"
        kind = NotificationKind.CREDENTIAL_EXPIRING
        notify.notify(
            holder,
            kind,
            key=key,
            title=YOUR_CHECK_TITLE,
            body=YOUR_CHECK_BODY,
            params=params,
            link=reverse("carer:my_shifts"),
        )
        for coordinator in coordinators.get(holder.organisation_id, []):
            if coordinator != holder:
                notify.notify(
                    coordinator,
                    kind,
                    key=key,
                    title=THEIR_CHECK_TITLE,
                    body=THEIR_CHECK_BODY,
                    params=params,
                    link=reverse("admin:people_person_change", args=[holder.pk]),
                )
    return len(expiring)


def _coordinators(organisation_ids: set[int | None]) -> dict[int | None, list[Person]]:
    """Each organisation's coordinators (people of no organisation have none)."""
    by_organisation: dict[int | None, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(
        organisation_id__in=organisation_ids - {None},
        is_staff=True,
        is_superuser=False,
        is_active=True,
    ):
        by_organisation[person.organisation_id].append(person)
    return by_organisation


# --- early warning -----------------------------------------------------------------------------

EARLY_WARNING_TITLE = _("%(circle)s may not cope soon")
EARLY_WARNING_BODY = _(
    "If nothing changes, cover is likely to fall below %(percent)s %% by %(date)s. "
    "The circle's page says why, while there is still time to act."
)
EARLY_WARNING_ESSENTIAL_BODY = _(
    "If nothing changes, an essential visit is likely to have nobody by %(date)s. "
    "The circle's page says why, while there is still time to act."
)


def warn_early() -> int:
    """Every circle's forecast, a block at a time in this process (the periodic job hands each
    block to a worker of its own, circles.tasks.warn_early). Returns how many leaders' notes
    were made."""
    return sum(warn_early_block(first, last) for first, last in sweep_blocks())


def warn_early_block(first: int, last: int) -> int:
    """Warn the team leaders of each circle, ids `first` to `last`, of a forecast crossing,
    once (docs/design.md, Who hears what): six queries for the block's forecasts, and a
    write only where the warned crossing changes. Returns how many notes were made.

    Hourly, not in the five-minute sweep: the forecast is about days ahead, so an hour is
    soon enough, and the sweep over 10,000 circles stays the two queries a block it is."""
    block = list(Circle.objects.filter(pk__gte=first, pk__lte=last).order_by("pk"))
    told = 0
    found = forecasts(block, timezone.now())
    for circle in block:
        told += _warn(circle, found[circle.pk])
    return told


def _warn(circle: Circle, forecast: Forecast) -> int:
    """Warn the circle's leaders of its forecast crossing when it is a new one
    (circles.forecast.new_crossing), and keep the crossing warned of. Returns notes made."""
    was_at, was_state = circle.warned_crossing_at, circle.warned_state
    at, state = forecast.crossing_at, forecast.state
    if at is None or state is None:
        return 0
    if not new_crossing(
        was_at, was_state, at, state, timezone.localdate(timezone.now(), circle.tz)
    ):
        return 0
    won = Circle.objects.filter(
        pk=circle.pk, warned_crossing_at=was_at, warned_state=was_state
    ).update(warned_crossing_at=at, warned_state=state)
    circle.warned_crossing_at, circle.warned_state = at, state
    if not won:
        return 0  # another worker warned of it just now
    body = EARLY_WARNING_BODY if forecast.below else EARLY_WARNING_ESSENTIAL_BODY
    params = {
        "circle": circle.name,
        "percent": forecast.below,
        "date": Formatted(at, "l j F"),
    }
    leaders = who_answers_for(circle)
    for leader in leaders:
        notify.notify(
            leader,
            NotificationKind.EARLY_WARNING,
            key=f"early-warning:{circle.pk}:{at.isoformat()}:{state}",
            title=EARLY_WARNING_TITLE,
            body=body,
            params=params,
            link=reverse("leaders:circle", kwargs={"circle_id": circle.pk}),
            circle=circle,
        )
    return len(leaders)

"""A circle's page: its visits that need cover and the leader stepping in (ask a carer, put
a carer on it, cancel it), its thresholds, each client's continuity, the cover carers gave
at short notice (each a thank-you away), and its carers, each of whom may leave the circle
from here (web.leaders.leaving)."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from circles import checkins, notify
from circles.continuity import continuity
from circles.fairness import covered_at_short_notice
from circles.models import Circle, Membership, Notification, NotificationKind, Role
from circles.notify import Formatted
from people.models import Person
from rota import services
from rota.models import Shift, Thanks
from rota.rules import check
from web import away
from web.http import Outcome, Request, answer, attempt, redirect_with
from web.leaders.access import (
    access_carer,
    access_circle,
    access_shift,
    circles_led,
    current_carers,
    leader_required,
)
from web.leaders.forms import ThresholdsForm
from web.leaders.queries import (
    CircleRow,
    ask_key,
    circles_at_a_glance,
    escalated_calls,
    gap_cards,
    missed_visits,
)

# The circle page lists the cover given at short notice over this many days back.
SHORT_NOTICE_SINCE = timedelta(days=14)

ASK_TITLE = gettext_lazy("Can you take %(client)s's visit on %(when)s?")
ASK_BODY = gettext_lazy(
    "%(leader)s, a team leader of %(circle)s, asks if you could take this visit: nobody "
    "has it yet. If you can, take it from Needs cover."
)


@leader_required
@require_GET
def circle_page(request: Request, circle_id: int) -> HttpResponse:
    circle = access_circle(request.user, circle_id)
    page = _page(circle, ThresholdsForm(instance=circle), leader=request.user)
    return render(request, "leaders/circle.html", page)


def _page(circle: Circle, thresholds: ThresholdsForm, *, leader: Person) -> dict[str, object]:
    """Everything the page shows, in the same number of queries however many carers,
    clients and visits the circle has (tests/web/test_leader_circle_page_queries.py): what
    the figures and the cards both need is read once and handed on."""
    now = timezone.now()
    carers = _carers_leaving(circle)
    clients = list(circle.clients.order_by("preferred_name", "pk"))
    by_client = continuity([c.pk for c in clients], now=now)
    missed = missed_visits(circle, now)
    row = _summary(circle, now, clients=clients, by_client=by_client, missed=missed)
    # Who stepped in at short notice lately, for the leader to thank as it happens.
    mine = Thanks.objects.filter(author=leader, assignment=OuterRef("pk"))
    short_notice = list(
        covered_at_short_notice(circle, now - SHORT_NOTICE_SINCE, now).annotate(
            thanked=Exists(mine)
        )
    )
    return {
        "circle": circle,
        "row": row,
        "calls": escalated_calls(row.waiting),
        # The visits over the next 14 days with a place nobody rightly holds: capacity's own.
        "cards": gap_cards(row.capacity.uncovered, [carer for carer, _ in carers], now=now),
        "thresholds": thresholds,
        "continuity": [(client, by_client[client.pk]) for client in clients],
        "carers": carers,
        "circle_aways": away.aways_ahead([client.pk for client in clients], now),
        "missed": missed,
        "short_notice": short_notice,
        "thanked": {place.pk for place in short_notice if place.thanked},
        "now": now,
        # What the circle lets its leaders see of its monthly check-in, if anything.
        "check_ins": checkins.for_leaders(circle, now=now),
    }


def _carers_leaving(circle: Circle) -> list[tuple[Person, date | None]]:
    """The circle's carers today, each with the day they leave when one is set, and with
    their carer profile (the rules read it): one query."""
    leaves_on = Membership.objects.current().filter(
        circle=circle, role=Role.CARER, person=OuterRef("pk"), ended_on__isnull=False
    )
    carers = (
        current_carers(circle)
        .select_related("carer_profile")
        .annotate(leaves_on=Subquery(leaves_on.values("ended_on")[:1]))
    )
    return [(carer, carer.leaves_on) for carer in carers]


def _card_response(request: Request, shift: Shift, outcome: Outcome) -> HttpResponse:
    """htmx: the visit's card again, with the outcome beside where the buttons were, and the
    circle's figures as they are now (a carer put on it fills a place). Without JavaScript:
    back to the circle's page, the outcome as a message; the page has the figures afresh."""

    def context() -> dict[str, object]:
        now = timezone.now()
        carers = [carer for carer, _ in _carers_leaving(shift.circle)]
        card = gap_cards([shift], carers, now=now)[0]
        return {"card": card, "row": _summary(shift.circle, now)}

    return answer(
        request,
        outcome,
        "leaders/circle.html#gap-reply",
        context,
        back=reverse("leaders:circle", args=[shift.circle_id]) + f"#visit-{shift.pk}",
    )


def _summary(circle: Circle, now: datetime, **read: Any) -> CircleRow:
    """The circle's figures: its state, places filled, hours to spare and each day's cover.
    `read`: what the page has read already (circles_at_a_glance)."""
    return circles_at_a_glance(Circle.objects.filter(pk=circle.pk), now, **read)[0]


@leader_required
@require_POST
def ask(request: Request, shift_id: int) -> HttpResponse:
    """ "Ask Ana": she is sent a notification, once, asking if she could take the visit."""
    shift = access_shift(request.user, shift_id)
    carer = access_carer(shift.circle, request.POST.get("carer"))
    reasons = [v.message for v in check(carer, shift)]
    if reasons:
        outcome = Outcome(refusals=reasons)
    elif _ask(shift, carer, leader=request.user):
        outcome = Outcome(note=_("%(carer)s has been asked.") % {"carer": carer})
    else:
        outcome = Outcome(note=_("%(carer)s was asked already.") % {"carer": carer})
    return _card_response(request, shift, outcome)


def _ask(shift: Shift, carer: Person, *, leader: Person) -> bool:
    """Send the carer "can you take it?", once: False if they had been asked already."""
    key = ask_key(shift)
    if Notification.objects.filter(person=carer, key=key).exists():
        return False
    local = timezone.localtime(shift.start, shift.circle.tz)
    # The key also keeps a second press at the same moment to one message.
    notify.notify(
        carer,
        NotificationKind.NEEDS_COVER,
        key=key,
        title=ASK_TITLE,
        body=ASK_BODY,
        params={
            "client": shift.client.preferred_name,
            "when": Formatted(local, "l j F, H:i"),
            "leader": leader.full_name,
            "circle": shift.circle.name,
        },
        link=reverse("carer:needs_cover"),
        circle=shift.circle,
    )
    return True


@leader_required
@require_POST
def assign(request: Request, shift_id: int) -> HttpResponse:
    """ "Put Ana on it": the leader steps in, under the same rules as everyone."""
    shift = access_shift(request.user, shift_id)
    carer = access_carer(shift.circle, request.POST.get("carer"))
    outcome = attempt(
        lambda: services.assign(shift, carer, actor=request.user),
        _("%(carer)s is on it now.") % {"carer": carer},
    )
    return _card_response(request, shift, outcome)


@leader_required
@require_POST
def cancel(request: Request, shift_id: int) -> HttpResponse:
    """Cancel the visit, saying why (the service refuses it without a reason)."""
    shift = access_shift(request.user, shift_id)
    outcome = attempt(
        lambda: services.cancel_shift(shift, request.POST.get("reason", ""), actor=request.user),
        _("The visit is cancelled."),
    )
    if not request.htmx or outcome.refusals:
        return _card_response(request, shift, outcome)
    # A cancelled visit needs no cover any more: its card says so, without buttons.
    shift.refresh_from_db()
    context = {
        "cancelled": shift,
        "note": outcome.note,
        "row": _summary(shift.circle, now=timezone.now()),
    }
    return render(request, "leaders/circle.html#cancelled-reply", context)


@leader_required
@require_POST
def thresholds(request: Request, circle_id: int) -> HttpResponse:
    """Save the circle's thresholds, or say what is wrong and save nothing."""
    circle = access_circle(request.user, circle_id)
    # The form changes the instance it is given even when the values are refused, so it gets
    # a copy of its own: the rest of the page is drawn with the thresholds as saved.
    form = ThresholdsForm(request.POST, instance=circles_led(request.user).get(pk=circle.pk))
    if form.is_valid():
        # Through the service, so the change is in the trail and the circle judged again.
        made = attempt(
            lambda: services.set_thresholds(circle, form.cleaned_data, actor=request.user),
            _("The thresholds are saved."),
        )
        for refusal in made.refusals:
            form.add_error(None, refusal)
    saved = form.is_valid()
    if request.htmx:
        # New thresholds may change the circle's state: its figures come along, out of band.
        context = {
            "circle": circle,
            "thresholds": form,
            "saved": saved,
            "row": _summary(circle, timezone.now()),
        }
        return render(request, "leaders/circle.html#thresholds-reply", context)
    if saved:
        outcome = Outcome(note=_("The thresholds are saved."))
        return redirect_with(request, outcome, reverse("leaders:circle", args=[circle.pk]))
    page = _page(circle, form, leader=request.user)
    return render(request, "leaders/circle.html", page, status=400)

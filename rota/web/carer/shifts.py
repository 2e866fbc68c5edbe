"""My shifts: the coming days, giving a visit away and keeping it after all."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rota import selectors, services
from rota.models import Assignment, Offer, OfferStatus
from rota.web.carer.access import access_my_place
from rota.web.carer.common import (
    CarerRequest,
    Outcome,
    attempt,
    back_to,
    redirect_with,
)


def days_context(request: CarerRequest) -> dict:
    """The days of My shifts, and the places being given away, as the page shows them."""
    now = timezone.now()
    places = selectors.shape_places(
        request.user, list(selectors.my_places(request.user, now=now)), now
    )
    return {
        "days": selectors.by_day(places, lambda p: (p.start, p.shift.circle.tz), now),
        "offered": [p for p in places if p.open_offer_id],
        "now": now,
        "ahead_days": selectors.AHEAD.days,
    }


@login_required
@require_GET
def my_shifts(request: CarerRequest) -> HttpResponse:
    now = timezone.now()
    swaps_to_me, swaps_by_me = selectors.my_swaps(request.user, now=now)
    context = {
        **days_context(request),
        "swaps_to_me": swaps_to_me,
        "swaps_by_me": swaps_by_me,
        "back": request.get_full_path(),
    }
    return render(request, "rota/my_shifts.html", context)


@login_required
@require_POST
def give_away(request: CarerRequest, assignment_id: int) -> HttpResponse:
    place = access_my_place(request.user, assignment_id)
    if not place.is_held:
        outcome = Outcome(refusals=[_("This visit is no longer yours.")])
    elif Offer.objects.filter(assignment=place, status=OfferStatus.OPEN).exists():
        outcome = Outcome(note=_("You are already giving this visit away."))
    else:
        outcome = attempt(
            lambda: services.offer(place, actor=request.user),
            _("Offered to the circle. It stays yours until someone takes it."),
        )
    return place_reply(request, place, outcome)


@login_required
@require_POST
def keep(request: CarerRequest, assignment_id: int) -> HttpResponse:
    """Withdraw the offer: the carer keeps the visit after all."""
    place = access_my_place(request.user, assignment_id)
    offer = Offer.objects.filter(assignment=place, status=OfferStatus.OPEN).first()
    if not place.is_held:
        outcome = Outcome(refusals=[_("This visit is no longer yours.")])
    elif offer is None:
        outcome = Outcome(note=_("You are not giving this visit away any more."))
    else:
        outcome = attempt(
            lambda: services.withdraw_offer(offer, actor=request.user),
            _("You are keeping this visit."),
        )
    return place_reply(request, place, outcome)


def place_reply(request: CarerRequest, place: Assignment, outcome: Outcome) -> HttpResponse:
    """htmx: the place's card, and the list of visits being given away (out of band)."""
    if not request.htmx:
        return redirect_with(request, outcome, back_to(request, "carer:my_shifts"))
    now = timezone.now()
    shaped = selectors.one_place(request.user, place.pk, now=now)
    context = {
        **days_context(request),
        **outcome.context,
        "place": selectors.shape_places(request.user, [shaped], now)[0] if shaped else place,
        "gone": shaped is None,
        "back": back_to(request, "carer:my_shifts"),
    }
    return render(request, "rota/my_shifts.html#place-reply", context)

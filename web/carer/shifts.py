"""My shifts: the coming days, giving a visit away and keeping it after all."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rota import services
from rota.models import Assignment, Offer, OfferStatus
from web.carer import queries
from web.carer.access import access_my_place, carer_required
from web.http import Outcome, Request, answer, attempt, back_to


def days_context(request: Request) -> dict[str, object]:
    """The days of My shifts, and the places being given away, as the page shows them."""
    now = timezone.now()
    places = queries.my_places(request.user, now=now)
    return {
        "days": queries.by_day(places, lambda p: (p.place.start, p.place.shift.circle.tz), now),
        "offered": [p for p in places if p.giving_away],
        "now": now,
        "ahead_days": queries.AHEAD.days,
    }


@carer_required
@require_GET
def my_shifts(request: Request) -> HttpResponse:
    now = timezone.now()
    swaps_to_me, swaps_by_me = queries.my_swaps(request.user, now=now)
    context = {
        **days_context(request),
        "swaps_to_me": swaps_to_me,
        "swaps_by_me": swaps_by_me,
        "back": request.get_full_path(),
    }
    return render(request, "carer/my_shifts.html", context)


@carer_required
@require_POST
def give_away(request: Request, assignment_id: int) -> HttpResponse:
    """Offer the visit to the circle: it stays the carer's until someone takes it."""
    return _give_away_or_keep(request, assignment_id, give=True)


@carer_required
@require_POST
def keep(request: Request, assignment_id: int) -> HttpResponse:
    """Withdraw the offer: the carer keeps the visit after all."""
    return _give_away_or_keep(request, assignment_id, give=False)


def _give_away_or_keep(request: Request, assignment_id: int, *, give: bool) -> HttpResponse:
    """A second tap, or one from a stale page, is told how things already stand."""
    place = access_my_place(request.user, assignment_id)
    offer = Offer.objects.filter(assignment=place, status=OfferStatus.OPEN).first()
    if not place.is_held:
        outcome = Outcome(refusals=[_("This visit is no longer yours.")])
    elif give and offer is not None:
        outcome = Outcome(note=_("You are already giving this visit away."))
    elif give:
        outcome = attempt(
            lambda: services.offer(place, actor=request.user),
            _("Offered to the circle. It stays yours until someone takes it."),
        )
    elif offer is None:
        outcome = Outcome(note=_("You are not giving this visit away any more."))
    else:
        outcome = attempt(
            lambda: services.withdraw_offer(offer, actor=request.user),
            _("You are keeping this visit."),
        )
    return place_reply(request, place, outcome)


def place_reply(request: Request, place: Assignment, outcome: Outcome) -> HttpResponse:
    """htmx: the place's card, and the list of visits being given away (out of band)."""

    def context() -> dict[str, object]:
        shaped = queries.one_place(request.user, place.pk, now=timezone.now())
        return {
            **days_context(request),
            "item": shaped or queries.MyPlace(place),
            "gone": shaped is None,
        }

    back = back_to(request, "carer:my_shifts")
    return answer(request, outcome, "carer/my_shifts.html#place-reply", context, back=back)

"""A late visit, as its carer answers: the message asking “Are you on your way?” links here,
to two one-tap answers, “on my way, there in about 10 minutes” and “I can't make it”."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rota import services
from rota.models import Assignment, VisitRecord
from rota.services.lateness import ON_MY_WAY_MINUTES
from web.carer.access import access_my_place, carer_required
from web.http import Request, answer, attempt, posted_minutes

CARD = "carer/late.html#answers"


@carer_required
@require_GET
def late(request: Request, assignment_id: int) -> HttpResponse:
    place = access_my_place(request.user, assignment_id)
    return render(request, "carer/late.html", _context(place))


@carer_required
@require_POST
def on_my_way(request: Request, assignment_id: int) -> HttpResponse:
    """“On my way, there in about 10 minutes”: the family can see it, and the circle is not
    asked till then."""
    place = access_my_place(request.user, assignment_id)
    minutes = posted_minutes(request)
    outcome = attempt(
        lambda: services.on_my_way(place, minutes, actor=request.user),
        _("Thank you. Everyone can see when you'll be there."),
    )
    return _reply(request, place, outcome)


@carer_required
@require_POST
def cant_make_it(request: Request, assignment_id: int) -> HttpResponse:
    """“I can't make it”: the place goes back to the circle, which is asked to cover it."""
    place = access_my_place(request.user, assignment_id)
    outcome = attempt(
        lambda: services.cant_make_it(place, actor=request.user),
        _("Thank you for saying. The circle is being asked to cover your visit."),
    )
    return _reply(request, place, outcome)


def _context(place: Assignment) -> dict[str, object]:
    now = timezone.now()
    place.refresh_from_db(fields=["released_at", "release_reason", "expected_at"])
    arrived = VisitRecord.objects.filter(assignment=place).exists()
    return {
        "place": place,
        "shift": place.shift,
        "client": place.shift.client,
        "arrived": arrived,
        "over": place.shift.end <= now,
        "may_answer": place.is_held and not arrived and place.shift.end > now,
        "minutes_choices": ON_MY_WAY_MINUTES,
    }


def _reply(request: Request, place: Assignment, outcome) -> HttpResponse:
    back = reverse("carer:late", kwargs={"assignment_id": place.pk})
    return answer(request, outcome, CARD, lambda: _context(place), back=back)

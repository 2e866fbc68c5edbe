"""Fair shares: what each carer gives the circle over the last four weeks and the next two
(circles.fairness), for everyone who cares in the circle or leads it to see. Listed by name,
never ranked: it is there so the circle can share its evenings, nights and weekends out
fairly among themselves, not to score anyone."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from circles.permissions import cares_in
from web.carer import queries
from web.carer.access import access_shared_circle, circle_required
from web.http import Request


@circle_required
@require_GET
def fair_shares(request: Request, circle_id: int) -> HttpResponse:
    circle = access_shared_circle(request.user, circle_id)
    now = timezone.now()
    lines = queries.fair_shares(circle, request.user, now=now)
    context = {
        "circle": circle,
        "lines": lines,
        "since": timezone.localdate(now - queries.SHARES_BEFORE, circle.tz),
        "until": timezone.localdate(now + queries.SHARES_AHEAD, circle.tz),
        # A carer of the circle goes back to its board; a team leader to its page.
        "cares_here": cares_in(request.user, circle),
    }
    return render(request, "carer/shares.html", context)

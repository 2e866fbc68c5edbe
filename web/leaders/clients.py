"""A client's page for team leaders: continuity (who came, how familiar, which way it is
going), their visits that need cover, times away from home, and what happened at
their visits of the last 7 days."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from circles.continuity import continuity
from rota.familiarity import new_faces_this_month
from rota.models import Assignment
from web import away
from web.http import Request, get_or_404
from web.leaders.access import access_away, access_client, circles_led, leader_required
from web.leaders.queries import client_carers, uncovered_soon
from web.queries import visits_done
from web.thanks import say_thanks, thanked_by


@leader_required
@require_GET
def client_page(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    now = timezone.now()
    figures = continuity([client.pk], now=now)[client.pk]
    today = timezone.localtime(now, client.circle.tz).date()
    days = visits_done(client, now)
    places = [c.place_id for _day, visits in days for visit in visits for c in visit.carers]
    context = {
        "client": client,
        "figures": figures,
        # New carers this month, against the client's limit (counted as the rule counts).
        "new_faces_met": new_faces_this_month([client], now=now)[client.pk],
        "carers": client_carers(client, figures),
        "gaps": [s for s in uncovered_soon(client.circle, now) if s.client_id == client.pk],
        **away.new_forms(client, away.aways_ahead([client.pk], now), "leaders"),
        # Team leaders read the carers' notes whatever the family may.
        "days": days,
        "today": today,
        "yesterday": today - timedelta(days=1),
        # A team leader thanks a carer for a visit, one who covered at short notice most of all.
        "thank_url": "leaders:thank",
        "thanked": thanked_by(request.user, places),
    }
    return render(request, "leaders/client.html", context)


@leader_required
@require_POST
def record_away(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    return away.record(request, client, _away_section(client.pk))


@leader_required
@require_POST
def back_early(request: Request, away_id: int) -> HttpResponse:
    client_away = access_away(request.user, away_id)
    return away.back_early(request, client_away, _away_section(client_away.client_id))


def _away_section(client_id: int) -> str:
    return reverse("leaders:client", kwargs={"client_id": client_id}) + "#away"


@leader_required
@require_POST
def thank(request: Request, assignment_id: int) -> HttpResponse:
    """A team leader thanks a carer for a visit in a circle they lead, from the client's page
    or from the circle's cover at short notice (`from=circle`), and goes back there."""
    places = Assignment.objects.filter(shift__circle__in=circles_led(request.user))
    assignment = get_or_404(places.select_related("carer", "shift"), pk=assignment_id)
    if request.POST.get("from") == "circle":
        back = reverse("leaders:circle", kwargs={"circle_id": assignment.shift.circle_id})
        return say_thanks(request, assignment, f"{back}#short-notice")
    back = reverse("leaders:client", kwargs={"client_id": assignment.shift.client_id})
    return say_thanks(request, assignment, f"{back}#visit-{assignment.shift_id}")

"""A client's page for team leaders: continuity (who came, how familiar, which way it is
going), their visits that need cover and what happened at their visits of the last 7 days."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from circles.continuity import continuity
from web.http import Request
from web.leaders.access import access_client, leader_required
from web.leaders.queries import client_carers, uncovered_soon
from web.queries import visits_done


@leader_required
@require_GET
def client_page(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    now = timezone.now()
    figures = continuity([client.pk], now=now)[client.pk]
    today = timezone.localtime(now, client.circle.tz).date()
    context = {
        "client": client,
        "figures": figures,
        "carers": client_carers(client, figures),
        "gaps": [s for s in uncovered_soon(client.circle, now) if s.client_id == client.pk],
        # Team leaders read the carers' notes whatever the family may.
        "days": visits_done(client, now),
        "today": today,
        "yesterday": today - timedelta(days=1),
    }
    return render(request, "leaders/client.html", context)

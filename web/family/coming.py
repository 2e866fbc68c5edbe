"""“Who is coming to Mum”: the next 7 days of visits, who comes, and whether she knows them."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from web.family.access import access_clients, family_required, naming
from web.family.queries import coming_visits, current_help_request
from web.http import Request


@family_required
@require_GET
def who_is_coming(request: Request, client_id: int | None = None) -> HttpResponse:
    client, clients = access_clients(request.user, client_id)
    now = timezone.now()
    today = timezone.localtime(now, client.circle.tz).date()
    return render(
        request,
        "family/coming.html",
        {
            **naming(request.user, client),
            "clients": clients,
            "days": coming_visits(client, now),
            "today": today,
            "tomorrow": today + timedelta(days=1),
            "help_request": current_help_request(client, now),
        },
    )

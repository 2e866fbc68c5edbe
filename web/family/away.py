"""“You are away”: the client, or their representative, says the client will be away from
home (hospital, respite, a holiday) and when they are back early. Family see it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rota.services.away import may_record_away
from web import away
from web.family.access import access_away, access_client, family_required, naming
from web.http import Request


@family_required
@require_GET
def away_page(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    aways = away.aways_ahead([client.pk], timezone.now())
    context = {
        **naming(request.user, client),
        **away.new_forms(client, aways, "family"),
        "may_change": may_record_away(request.user, client),
    }
    return render(request, "family/away.html", context)


@family_required
@require_POST
def record_away(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    if not may_record_away(request.user, client):
        # Family see the time away; the client or their representative says it.
        raise PermissionDenied
    return away.record(request, client, _page(client.pk))


@family_required
@require_POST
def back_early(request: Request, away_id: int) -> HttpResponse:
    client_away = access_away(request.user, away_id)
    if not may_record_away(request.user, client_away.client):
        raise PermissionDenied
    return away.back_early(request, client_away, _page(client_away.client_id))


def _page(client_id: int) -> str:
    return reverse("family:away", kwargs={"client_id": client_id})

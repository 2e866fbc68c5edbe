"""A client's page for team leaders: continuity (who came, how familiar, which way it is
going) and their visits that need cover."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from circles.continuity import continuity
from people.models import CarerPreference, Person, Preference
from web.http import Request
from web.leaders.access import access_client
from web.leaders.queries import uncovered_soon


@login_required
@require_GET
def client_page(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    now = timezone.now()
    figures = continuity([client.pk], now=now)[client.pk]
    wishes = dict(
        CarerPreference.objects.filter(client=client).values_list("carer_id", "preference")
    )
    carer_ids = set(figures.recent.by_carer) | set(figures.before.by_carer) | set(wishes)
    people = Person.objects.filter(pk__in=carer_ids).order_by("full_name", "pk")
    carers = [
        {
            "person": person,
            "recent": figures.recent.by_carer.get(person.pk, 0),
            "before": figures.before.by_carer.get(person.pk, 0),
            "familiar": person.pk in figures.recent.familiar,
            "preferred": wishes.get(person.pk) == Preference.PREFERRED,
            "not_wanted": wishes.get(person.pk) == Preference.NOT_WANTED,
        }
        for person in people
    ]
    carers.sort(key=lambda c: (-c["recent"], -c["before"], c["person"].full_name))
    context = {
        "client": client,
        "figures": figures,
        "carers": carers,
        "gaps": [s for s in uncovered_soon(client.circle, now) if s.client_id == client.pk],
    }
    return render(request, "leaders/client.html", context)

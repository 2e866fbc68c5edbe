"""“What happened”: the client's visits of the last 7 days, for the client and the people who
speak for them: who came, when they arrived and left beside the planned times, the tasks done
and not done, each medicine round, the carers' notes, and the visits nobody came to.

The notes are the client's: family read them unless the client, or their representative,
says not (`Client.family_read_notes`); the client and representative always read them and
change it here.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from circles.permissions import clients_of, decides_for
from rota import services
from rota.models import Assignment
from web.family.access import access_client, access_clients, deciders, family_required, naming
from web.family.forms import FamilyReadNotesForm
from web.http import Outcome, Request, attempt, get_or_404, redirect_with
from web.queries import visits_done
from web.thanks import say_thanks, thanked_by


@family_required
@require_GET
def what_happened(request: Request, client_id: int | None = None) -> HttpResponse:
    client, clients = access_clients(request.user, client_id)
    now = timezone.now()
    today = timezone.localtime(now, client.circle.tz).date()
    decides = decides_for(request.user, client)
    show_notes = decides or client.family_read_notes
    days = visits_done(client, now)
    places = [c.place_id for _day, visits in days for visit in visits for c in visit.carers]
    return render(
        request,
        "family/what_happened.html",
        {
            **naming(request.user, client),
            "clients": clients,
            "days": days,
            "today": today,
            "yesterday": today - timedelta(days=1),
            "decides": decides,
            "show_notes": show_notes,
            # Whom a relative asks to share the notes, when they are kept from family.
            "deciders": "" if show_notes else deciders(client),
            # "Say thank you" under each carer who came, once per place.
            "thank_url": "family:thank",
            "thanked": thanked_by(request.user, places),
        },
    )


@family_required
@require_POST
def family_read_notes(request: Request, client_id: int) -> HttpResponse:
    """The client or their representative lets the family read the carers' notes, or not."""
    client = access_client(request.user, client_id)
    if not decides_for(request.user, client):
        raise PermissionDenied
    back = reverse("family:what_happened_for", args=[client.pk]) + "#notes"
    form = FamilyReadNotesForm(request.POST)
    if not form.is_valid():
        return redirect_with(
            request, Outcome(refusals=[str(error) for error in form.errors["read"]]), back
        )
    allowed = form.cleaned_data["read"]
    if allowed:
        done = _("Done: family can read the carers' notes.")
    elif client.is_themselves(request.user):
        done = _("Done: only you and your representative can read the carers' notes.")
    else:
        done = _("Done: family can no longer read the carers' notes.")
    outcome = attempt(
        lambda: services.set_family_read_notes(client, allowed, actor=request.user), done
    )
    return redirect_with(request, outcome, back)


@family_required
@require_POST
def thank(request: Request, assignment_id: int) -> HttpResponse:
    """“Say thank you” to a carer for a visit to a client the person speaks for."""
    places = Assignment.objects.filter(shift__client__in=clients_of(request.user))
    assignment = get_or_404(places.select_related("carer", "shift"), pk=assignment_id)
    back = reverse("family:what_happened_for", args=[assignment.shift.client_id])
    return say_thanks(request, assignment, f"{back}#visit-{assignment.shift_id}")

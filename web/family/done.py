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

from circles.permissions import decides_for
from rota import services
from web.family.access import access_client, access_clients, deciders, family_required, naming
from web.family.forms import FamilyReadNotesForm
from web.http import Outcome, Request, attempt, redirect_with
from web.queries import visits_done


@family_required
@require_GET
def what_happened(request: Request, client_id: int | None = None) -> HttpResponse:
    client, clients = access_clients(request.user, client_id)
    now = timezone.now()
    today = timezone.localtime(now, client.circle.tz).date()
    decides = decides_for(request.user, client)
    show_notes = decides or client.family_read_notes
    return render(
        request,
        "family/what_happened.html",
        {
            **naming(request.user, client),
            "clients": clients,
            "days": visits_done(client, now),
            "today": today,
            "yesterday": today - timedelta(days=1),
            "decides": decides,
            "show_notes": show_notes,
            # Whom a relative asks to share the notes, when they are kept from family.
            "deciders": "" if show_notes else deciders(client),
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

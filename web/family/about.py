"""The client's own page: what matters to them, who they'd rather have and rather not, and
a say about new faces before they come ("no decisions about me without me").

The client, or their representative, decides: says a new carer is fine or rather not, and
changes the likes and wishes. Family members read the same page and are told whom to ask;
the buttons and the edit page are not theirs (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circles.permissions import deciders_for, decides_for
from people.models import CarerPreference, Client, Person, Preference
from rota import services
from web.family.access import (
    access_carer,
    access_client,
    access_clients,
    family_required,
    naming,
)
from web.family.forms import AboutMeForm
from web.family.queries import carer_wishes, new_faces
from web.http import Request, attempt, redirect_with, tell


@family_required
@require_GET
def about(request: Request, client_id: int | None = None) -> HttpResponse:
    client, clients = access_clients(request.user, client_id)
    return render(
        request, "family/about.html", {**_carers_context(request, client), "clients": clients}
    )


@family_required
@require_http_methods(["GET", "POST"])
def edit_about(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    _require_decides(request.user, client)
    form = AboutMeForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            lambda: services.edit_profile(client, form.cleaned_data, actor=request.user),
            _("Saved. The carers in the circle will see this."),
        )
        return redirect_with(request, outcome, reverse("family:about_for", args=[client.pk]))
    return render(
        request,
        "family/about_edit.html",
        {**naming(request.user, client), "form": form},
    )


@family_required
@require_POST
def fine_by_me(request: Request, client_id: int, carer_id: int) -> HttpResponse:
    """“That's fine”: the new carer may come; the prompt stops asking about them."""
    client = access_client(request.user, client_id)
    carer = access_carer(client, carer_id)
    _require_decides(request.user, client)
    faces = {face.carer.pk for face in new_faces(client, timezone.now())}
    if carer.pk in faces:
        if client.is_themselves(request.user):
            done = _("Thank you: %(carer)s is welcome to visit you.") % {"carer": carer}
        else:
            done = _("Thank you: %(carer)s is welcome to visit %(client)s.") % {
                "carer": carer,
                "client": client.preferred_name,
            }
        outcome = attempt(lambda: services.approve_carer(client, carer, actor=request.user), done)
        tell(request, outcome)
    else:
        messages.info(
            request, _("Nothing to do: %(carer)s is not a new face any more.") % {"carer": carer}
        )
    return _carers_changed(request, client)


@family_required
@require_POST
def rather_not(request: Request, client_id: int, carer_id: int) -> HttpResponse:
    """“Rather not”: recorded, and the carer's visits to the client go back to the circle."""
    client = access_client(request.user, client_id)
    carer = access_carer(client, carer_id)
    _require_decides(request.user, client)
    already = CarerPreference.objects.filter(
        client=client, carer=carer, preference=Preference.NOT_WANTED
    ).exists()
    if already:
        messages.info(
            request,
            _("You had already said you'd rather not have %(carer)s. Nothing changed.")
            % {"carer": carer},
        )
        return _carers_changed(request, client)
    outcome = attempt(
        lambda: services.decline_carer(client, carer, actor=request.user),
        _(
            "Noted: %(carer)s won't visit %(client)s. Any visits they had with "
            "%(client)s go back to the circle, who will find someone else."
        )
        % {"carer": carer, "client": client.preferred_name},
    )
    tell(request, outcome)
    return _carers_changed(request, client)


def _require_decides(person: Person, client: Client) -> None:
    """Only the client or their representative answers for the client; family may suggest."""
    if not decides_for(person, client):
        raise PermissionDenied


def _deciders(client: Client) -> str:
    """Whom a relative asks: "Gwen or Rhys", "Rhys", or "" when the client has neither a log-in
    nor a representative."""
    names = deciders_for(client)
    if len(names) == 2:
        return _("%(one)s or %(other)s") % {"one": names[0], "other": names[1]}
    return "".join(names)


def _carers_changed(request: Request, client: Client) -> HttpResponse:
    if request.htmx:
        context = {**_carers_context(request, client), "oob": True}
        return render(request, "family/about.html#answered", context)
    return redirect("family:about_for", client_id=client.pk)


def _carers_context(request: Request, client: Client) -> dict[str, object]:
    return {
        **naming(request.user, client),
        "decides": decides_for(request.user, client),
        "deciders": _deciders(client),
        "new_faces": new_faces(client, timezone.now()),
        "wishes": carer_wishes(client),
    }

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
from django_htmx.http import HttpResponseClientRedirect

from circles.permissions import decides_for
from people.models import CarerPreference, Client, NewFaces, Person, Preference
from rota import services
from rota.familiarity import new_faces_this_month
from rota.services.absences import declined_places
from web.family.access import (
    access_carer,
    access_client,
    access_clients,
    deciders,
    family_required,
    naming,
)
from web.family.forms import AboutMeForm, NewFaceLimitForm
from web.family.queries import carer_wishes, carers_and_wishes, new_faces
from web.http import Outcome, Request, attempt, redirect_with, tell


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
def new_face_limit(request: Request, client_id: int) -> HttpResponse:
    """How many carers new to the client they meet in a month, and what happens to one more:
    the client or their representative says."""
    client = access_client(request.user, client_id)
    _require_decides(request.user, client)
    back = reverse("family:about_for", args=[client.pk]) + "#new-face-limit"
    form = NewFaceLimitForm(request.POST)
    if not form.is_valid():
        refusals = [str(error) for errors in form.errors.values() for error in errors]
        return redirect_with(request, Outcome(refusals=refusals), back)
    outcome = attempt(
        lambda: services.set_new_face_limit(
            client,
            form.cleaned_data["per_month"],
            past_limit=form.cleaned_data["past_limit"],
            actor=request.user,
        ),
        _("Saved. The rota keeps to it from now on; visits already booked stay as they are."),
    )
    return redirect_with(request, outcome, back)


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
@require_http_methods(["GET", "POST"])
def rather_not(request: Request, client_id: int, carer_id: int) -> HttpResponse:
    """“Rather not”: first what it will do (which visits go back to the circle) and "are you
    sure?"; then recorded, and the carer's visits to the client go back to the circle."""
    client = access_client(request.user, client_id)
    carer = access_carer(client, carer_id)
    _require_decides(request.user, client)
    if _wish_of(client, carer) == Preference.NOT_WANTED:
        messages.info(
            request,
            _("You had already said you'd rather not have %(carer)s. Nothing changed.")
            % {"carer": carer},
        )
        return _back_to_about(request, client)
    if request.method == "GET":
        places = list(declined_places(client, carer, timezone.now()).select_related("shift"))
        return render(
            request,
            "family/rather_not.html",
            {**naming(request.user, client), "carer": carer, "places": places},
        )
    if client.is_themselves(request.user):
        done = _(
            "Noted: %(carer)s won't visit you. Any visits they had with you go back to the "
            "circle, who will find someone else."
        ) % {"carer": carer}
    else:
        done = _(
            "Noted: %(carer)s won't visit %(client)s. Any visits they had with "
            "%(client)s go back to the circle, who will find someone else."
        ) % {"carer": carer, "client": client.preferred_name}
    tell(request, attempt(lambda: services.decline_carer(client, carer, actor=request.user), done))
    return _back_to_about(request, client)


@family_required
@require_GET
def carers(request: Request, client_id: int) -> HttpResponse:
    """Every carer of the client's circle, and whether the client would rather have them,
    rather not, or does not mind: to change it, carer by carer."""
    client = access_client(request.user, client_id)
    _require_decides(request.user, client)
    return render(
        request,
        "family/carers.html",
        {**naming(request.user, client), "carers": carers_and_wishes(client)},
    )


@family_required
@require_POST
def prefer(request: Request, client_id: int, carer_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    carer = access_carer(client, carer_id)
    _require_decides(request.user, client)
    outcome = attempt(
        lambda: services.prefer_carer(client, carer, actor=request.user),
        _("Noted: you'd rather have %(carer)s. The circle will see this.") % {"carer": carer},
    )
    return redirect_with(request, outcome, reverse("family:carers", args=[client.pk]))


@family_required
@require_POST
def welcome_back(request: Request, client_id: int, carer_id: int) -> HttpResponse:
    """No wish either way: after a "rather not", "I'd be happy to see them again"."""
    client = access_client(request.user, client_id)
    carer = access_carer(client, carer_id)
    _require_decides(request.user, client)
    was = _wish_of(client, carer)
    if was == Preference.NOT_WANTED:
        done = _(
            "Noted: %(carer)s may visit again. Visits already given to other carers stay "
            "with them; from now on %(carer)s can take visits again, including any still "
            "waiting for a carer."
        ) % {"carer": carer}
    else:
        done = _("Noted: no wish either way about %(carer)s.") % {"carer": carer}
    outcome = attempt(lambda: services.clear_carer_wish(client, carer, actor=request.user), done)
    return redirect_with(request, outcome, reverse("family:carers", args=[client.pk]))


def _wish_of(client: Client, carer: Person) -> str | None:
    wishes = CarerPreference.objects.filter(client=client, carer=carer)
    return wishes.values_list("preference", flat=True).first()


def _back_to_about(request: Request, client: Client) -> HttpResponse:
    """Back to the about page; htmx (the confirm form) is told to go there too."""
    to = reverse("family:about_for", args=[client.pk])
    if request.htmx:
        return HttpResponseClientRedirect(to)
    return redirect(to)


def _require_decides(person: Person, client: Client) -> None:
    """Only the client or their representative answers for the client; family may suggest."""
    if not decides_for(person, client):
        raise PermissionDenied


def _carers_changed(request: Request, client: Client) -> HttpResponse:
    if request.htmx:
        context = {**_carers_context(request, client), "oob": True}
        return render(request, "family/about.html#answered", context)
    return redirect("family:about_for", client_id=client.pk)


def _carers_context(request: Request, client: Client) -> dict[str, object]:
    return {
        **naming(request.user, client),
        "decides": decides_for(request.user, client),
        "deciders": deciders(client),
        "new_faces": new_faces(client, timezone.now()),
        "wishes": carer_wishes(client),
        # New carers this month, against the client's limit (the new-face rule counts them).
        "new_faces_met": new_faces_this_month([client], now=timezone.now())[client.pk],
        "past_limit_choices": NewFaces.choices,
    }

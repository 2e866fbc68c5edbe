"""A carer's own load, from their settings page: what is "enough" for them (the most
evenings and weekend visits a week, which the rule `enough` of rota.rules then holds them
to, in their words), and "I'm running low" for a few days (asked for cover last, one team
leader told so someone can check in; nobody else)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.models import CarerProfile
from rota import services
from rota.models import RunningLow
from web.account.forms import EnoughForm, RunningLowForm
from web.account.views import preferences_page
from web.http import Request, attempt, get_or_404, tell


@login_required
@require_POST
def enough(request: Request) -> HttpResponse:
    """Save the carer's own limits; a number out of range changes nothing, and says why."""
    if not CarerProfile.objects.filter(person=request.user).exists():
        raise Http404
    form = EnoughForm(request.POST)
    if not form.is_valid():
        return preferences_page(request, enough_form=form, status=400)
    outcome = attempt(
        lambda: services.set_enough(
            request.user,
            evenings=form.cleaned_data["evenings"],
            weekends=form.cleaned_data["weekends"],
            actor=request.user,
        ),
        _("Saved. You won't be given more than that."),
    )
    tell(request, outcome)
    return redirect("account:preferences")


@login_required
@require_POST
def running_low(request: Request) -> HttpResponse:
    """ "I'm running low" for the days chosen; days that make no sense change nothing, and
    the page says why."""
    if not CarerProfile.objects.filter(person=request.user).exists():
        raise Http404
    form = RunningLowForm(request.POST)
    if not form.is_valid():
        return preferences_page(request, running_low_form=form, status=400)
    outcome = attempt(
        lambda: services.say_running_low(
            request.user,
            form.cleaned_data["first_day"],
            form.cleaned_data["last_day"],
            actor=request.user,
        ),
        _(
            "Thank you for saying. You'll be asked for cover last on those days, and one team "
            "leader will hear, so someone can check in with you."
        ),
    )
    tell(request, outcome)
    return redirect("account:preferences")


@login_required
@require_POST
def end_running_low(request: Request, running_low_id: int) -> HttpResponse:
    """ "I'm better now": from today on they are asked as anyone is. Only their own."""
    flag = get_or_404(
        RunningLow.objects.select_related("carer"), pk=running_low_id, carer=request.user
    )
    outcome = attempt(
        lambda: services.end_running_low(flag, actor=request.user),
        _("Glad to hear it. From today you are asked for cover as everyone is."),
    )
    tell(request, outcome)
    return redirect("account:preferences")

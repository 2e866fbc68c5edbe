"""A carer's own "enough": the most evenings and weekend visits a week they want, set on
their settings page. The rule `enough` (rota.rules) then holds them to it, in their words."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.models import CarerProfile
from rota import services
from web.account.forms import EnoughForm
from web.account.views import preferences_page
from web.http import Request, attempt, tell


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

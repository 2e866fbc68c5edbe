"""The thanks a carer was given, newest first, and their choice for each of whether the
circle sees it (only they do until they say)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rota import services
from rota.models import Thanks
from web.carer.access import carer_required
from web.http import Request, attempt, get_or_404, redirect_with
from web.thanks import received


@carer_required
@require_GET
def thanks(request: Request) -> HttpResponse:
    return render(request, "carer/thanks.html", {"thanks": received(request.user)})


@carer_required
@require_POST
def share(request: Request, thanks_id: int) -> HttpResponse:
    """“Let the circle see this” or “Keep it to myself”."""
    said = get_or_404(Thanks.objects.filter(assignment__carer=request.user), pk=thanks_id)
    shared = request.POST.get("shared") == "yes"
    done = (
        _("Done: the circle can see these thanks on its board.")
        if shared
        else _("Done: only you see these thanks.")
    )
    outcome = attempt(lambda: services.share_thanks(said, shared, actor=request.user), done)
    return redirect_with(request, outcome, reverse("carer:thanks") + f"#thanks-{said.pk}")

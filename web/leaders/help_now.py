"""Calls for help no carer answered in time, as the team leaders meet them: pinned at the
top of the dashboard and of the circle's page, with the numbers to call, and “I'm on it” so
the other leader knows."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rota import services
from rota.models import HelpRequest
from web.http import Outcome, Request, answer, attempt, back_to
from web.leaders.access import access_help_request, leader_required


@leader_required
@require_POST
def acknowledge_help(request: Request, request_id: int) -> HttpResponse:
    """“I'm on it”: the other leaders see who is, and stop worrying about it."""
    help_request = access_help_request(request.user, request_id)
    outcome = attempt(
        lambda: services.acknowledge_help_request(help_request, actor=request.user),
        _("You're on it. The other team leaders can see it."),
    )
    acknowledged: HelpRequest | None = outcome.value
    if acknowledged is not None and acknowledged.acknowledged_by_id != request.user.pk:
        # Another leader said so a moment before: the service leaves their word standing.
        name = acknowledged.acknowledged_by.get_short_name() if acknowledged.acknowledged_by else ""
        outcome = Outcome(note=_("%(name)s is on it already.") % {"name": name})
    return answer(
        request,
        outcome,
        "leaders/_help_calls.html#call",
        lambda: {"call": _call(help_request)},
        back=back_to(request, "leaders:dashboard"),
    )


def _call(help_request: HelpRequest) -> HelpRequest:
    """The call's card as it stands now."""
    return HelpRequest.objects.select_related(
        "client__circle", "raised_by", "acknowledged_by", "shift"
    ).get(pk=help_request.pk)

"""“Mum needs help now”: one button, a confirmation that says to call 999 if someone is in
danger, then a status page that follows the request as carers and team leaders answer."""

from django.contrib import messages
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circles import notify
from circles.models import Notification, NotificationKind
from rota import services
from rota.models import Assignment, HelpRequest, HelpStatus
from web.family.access import access_client, access_help_request, family_required, naming
from web.family.queries import open_help_request
from web.http import Request, attempt, tell

# Nothing more happens to a request once a carer has said yes or it is cancelled.
SETTLED = (HelpStatus.ACCEPTED, HelpStatus.CANCELLED)


@family_required
@require_http_methods(["GET", "POST"])
def ask_for_help(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    if request.method == "GET":
        return render(
            request,
            "family/help_confirm.html",
            {**naming(request.user, client), "help_request": open_help_request(client)},
        )
    # A second press, or a second relative at the same moment, finds the open request.
    outcome = attempt(lambda: services.raise_help_request(client, actor=request.user), "")
    if outcome.value is None:
        tell(request, outcome)
        return redirect("family:help", client_id=client.pk)
    return redirect("family:help_status", request_id=outcome.value.pk)


@family_required
@require_GET
def help_status(request: Request, request_id: int) -> HttpResponse:
    """The page polls itself every 10 seconds with htmx until the carer going says when they
    will be there; without JavaScript, reload it.

    A poll says which state it shows (`seen`); when nothing has changed the answer is 204,
    so htmx swaps nothing and screen readers do not hear the same news again.
    """
    help_request = access_help_request(request.user, request_id)
    context = {**_status_context(help_request), **naming(request.user, help_request.client)}
    if request.htmx:
        if request.GET.get("seen") == context["seen"]:
            return HttpResponse(status=204)
        return render(request, "family/help_status.html#status", context)
    return render(request, "family/help_status.html", context)


@family_required
@require_POST
def cancel_help(request: Request, request_id: int) -> HttpResponse:
    help_request = access_help_request(request.user, request_id)
    if help_request.status == HelpStatus.CANCELLED:
        messages.info(request, _("This call for help was already cancelled."))
    else:
        outcome = attempt(
            lambda: services.cancel_help_request(help_request, actor=request.user),
            _("Cancelled. The circle knows help is no longer needed."),
        )
        tell(request, outcome)
    return redirect("family:help_status", request_id=help_request.pk)


def _status_context(help_request: HelpRequest) -> dict[str, object]:
    accepted = (
        Assignment.objects.filter(shift_id=help_request.shift_id)
        .select_related("carer")
        .order_by(F("released_at").asc(nulls_first=True), "created_at")  # held first
        .first()
        if help_request.accepted_at
        else None
    )
    # What has happened so far, in the order it happened (a carer may say yes after the
    # team leaders were told).
    steps = [
        (step, at)
        for step, at in (
            ("asked", help_request.raised_at),
            ("escalated", help_request.escalated_at),
            ("acknowledged", help_request.acknowledged_at),
            ("accepted", help_request.accepted_at),
            (
                "cancelled",
                help_request.closed_at if help_request.status == HelpStatus.CANCELLED else None,
            ),
        )
        if at is not None
    ]
    steps.sort(key=lambda step: step[1])
    # How many carers were asked: each was sent one message about this call.
    asked = Notification.objects.filter(
        key=notify.help_key(NotificationKind.HELP_NEEDED, help_request.pk)
    ).count()
    over = help_request.shift.end <= timezone.now()
    return {
        "help_request": help_request,
        "steps": steps,
        "asked": asked,
        "accepted_by": accepted.carer if accepted else None,
        "settled": help_request.status in SETTLED,
        # Worth asking again until the carer going has said when they will be there.
        "polling": not over
        and (
            help_request.status not in SETTLED
            or (help_request.status == HelpStatus.ACCEPTED and help_request.expected_at is None)
        ),
        "can_cancel": help_request.status != HelpStatus.CANCELLED and not over,
        "seen": "-".join(
            str(part)
            for part in (
                help_request.status,
                asked,
                accepted.carer_id if accepted else "",
                int(help_request.escalated_at is not None),
                help_request.acknowledged_by_id or "",
                int(help_request.expected_at.timestamp()) if help_request.expected_at else "",
            )
        ),
    }

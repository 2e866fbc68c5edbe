"""Calls for help, as carers answer them: pinned at the top of every carer page for whoever
may go, one page per call (where the message asking them links), “I can go”, “there in
about 20 minutes”, and a carer at a visit calling for a second pair of hands."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rota import services
from rota.models import HelpRequest, HelpStatus
from rota.services.help import ARRIVAL_MINUTES
from web.carer import queries
from web.carer.access import access_help_request, access_visit_held, carer_required
from web.http import Outcome, Request, answer, attempt, posted_minutes, redirect_with

# The card of one call for help, on every carer page and on the call's own page.
CARD = "carer/_help_calls.html#call"


def pinned(request: HttpRequest) -> dict[str, object]:
    """Context processor: the calls for help pinned at the top of every carer page (those in
    the carer namespace; htmx parts and other people's pages read nothing)."""
    match = request.resolver_match
    if (
        match is None
        or match.namespace != "carer"
        or not request.user.is_authenticated
        or getattr(request, "htmx", False)
    ):
        return {}
    shown = match.kwargs.get("request_id") if match.url_name == "help" else None
    return {
        "help_calls": queries.help_calls(request.user, now=timezone.now(), leave_out=shown),
        "arrival_minutes": ARRIVAL_MINUTES,
    }


@carer_required
@require_GET
def help_call(request: Request, request_id: int) -> HttpResponse:
    """One call for help: “I can go” if the carer may, else who is going or what became of
    it. The message asking a carer links here, through sign-in if need be."""
    return render(request, "carer/help.html", {"call": _call(request, request_id), "page": True})


@carer_required
@require_POST
def accept_help(request: Request, request_id: int) -> HttpResponse:
    """“I can go”: the first carer to say so gets the visit; anyone later is told, and
    nothing changes."""
    help_request = access_help_request(request.user, request_id)
    if _is_going(help_request, request):
        # A double tap, or a second tab: they are going already.
        outcome = Outcome(note=_("You said you can go already. Thank you."))
    else:
        outcome = attempt(
            lambda: services.accept_help_request(help_request, request.user, actor=request.user),
            _("Thank you: you're going. Say when you'll be there, so the family knows."),
        )
    return _reply(request, help_request, outcome)


@carer_required
@require_POST
def help_eta(request: Request, request_id: int) -> HttpResponse:
    """“There in about 20 minutes”, from the carer going."""
    help_request = access_help_request(request.user, request_id)
    minutes = posted_minutes(request)
    outcome = attempt(
        lambda: services.expect_arrival(help_request, minutes, actor=request.user),
        _("Thank you. The family can see when you'll be there."),
    )
    return _reply(request, help_request, outcome)


@carer_required
@require_POST
def raise_help(request: Request, shift_id: int) -> HttpResponse:
    """“I need a second pair of hands”: the carer at a visit calls the circle for its client."""
    place = access_visit_held(request.user, shift_id)
    now = timezone.now()
    if place.end <= now:
        outcome = Outcome(refusals=[_("This visit is over.")])
    elif place.start > now + queries.HELP_BEFORE_VISIT:
        outcome = Outcome(
            refusals=[_("You can call for help from half an hour before your visit.")]
        )
    else:
        outcome = attempt(
            lambda: services.raise_help_request(place.shift.client, actor=request.user),
            _("The carers who can go are being asked now."),
        )
    if outcome.value is None:
        return redirect_with(request, outcome, reverse("carer:my_shifts"))
    return redirect_with(request, outcome, reverse("carer:help", args=[outcome.value.pk]))


def _call(request: Request, request_id: int) -> queries.HelpCall:
    call = queries.one_help_call(request.user, request_id, now=timezone.now())
    if call is None:
        raise Http404
    return call


def _is_going(help_request: HelpRequest, request: Request) -> bool:
    return (
        help_request.status == HelpStatus.ACCEPTED
        and help_request.shift.assignments.filter(
            carer=request.user, released_at__isnull=True
        ).exists()
    )


def _reply(request: Request, help_request: HelpRequest, outcome: Outcome) -> HttpResponse:
    """htmx: the call's card again, the outcome beside it. A plain form post: the call's own
    page, where the carer going finds the address and says when they will be there."""
    return answer(
        request,
        outcome,
        CARD,
        lambda: {
            "call": _call(request, help_request.pk),
            "arrival_minutes": ARRIVAL_MINUTES,
            "page": bool(request.POST.get("page")),
        },
        back=reverse("carer:help", args=[help_request.pk]),
    )

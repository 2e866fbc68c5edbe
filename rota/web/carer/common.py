"""What the carer's views share: running one service call and answering in kind.

An action answers htmx with the card that changed (its outcome beside the button) and a
plain form post with a redirect and a message, so every page works with JavaScript off.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from people.models import Person
from rota.rules import Refused, RuleBroken


class CarerRequest(HttpRequest):
    htmx: HtmxDetails
    user: Person


@dataclass
class Outcome:
    """What came of an action: a note to show, or the refusals (a rule's words) instead."""

    note: str = ""
    refusals: list[str] = field(default_factory=list)
    # What the service returned, when it made the change.
    value: object = None

    @property
    def context(self) -> dict:
        return {"note": self.note, "refusals": self.refusals}


def attempt(change: Callable[[], object], done: str) -> Outcome:
    """Make one change through its service; a refusal comes back in the rule's own words."""
    try:
        value = change()
    except RuleBroken as error:
        return Outcome(refusals=[v.message for v in error.violations])
    except Refused as error:
        return Outcome(refusals=[error.message])
    return Outcome(note=done, value=value)


def back_to(request: HttpRequest, default: str) -> str:
    """Where a plain form post returns: the page it came from, if it is one of ours."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return back
    return reverse(default)


def redirect_with(request: HttpRequest, outcome: Outcome, back: str) -> HttpResponse:
    if outcome.refusals:
        messages.error(request, " ".join(outcome.refusals))
    elif outcome.note:
        messages.success(request, outcome.note)
    return redirect(back)

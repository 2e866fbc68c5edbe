"""What the team leaders' views share: the request's type, and one rota change made
through its service with a refusal kept in the rule's own words."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.middleware import HtmxDetails

from people.models import Person
from rota.rules import Refused, RuleBroken


class LeaderRequest(HttpRequest):
    htmx: HtmxDetails
    user: Person


@dataclass
class Outcome:
    """What came of an action: a note to show, or the refusals (a rule's words) instead."""

    note: str = ""
    refusals: list[str] = field(default_factory=list)


def attempt(change: Callable[[], object], done: str) -> Outcome:
    """Make one change through its service; a refusal comes back as the service says it."""
    try:
        change()
    except RuleBroken as error:
        return Outcome(refusals=[v.message for v in error.violations])
    except Refused as error:
        return Outcome(refusals=[error.message])
    return Outcome(note=done)


def redirect_with(request: HttpRequest, outcome: Outcome, to: str) -> HttpResponse:
    """Without JavaScript: back to the page, the outcome shown as a message."""
    if outcome.refusals:
        messages.error(request, " ".join(outcome.refusals))
    elif outcome.note:
        messages.success(request, outcome.note)
    return redirect(to)

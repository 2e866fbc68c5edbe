"""What every page shares: the typed request, one rota change made through its service and
its outcome, fetching what a person asks for or answering 404, and the answer to an action
(the part that changed for htmx, a redirect and a message for a plain form post).

Every action works without JavaScript: a plain post is answered with a redirect back to
the page, the outcome shown as a message; htmx gets the part of the page that changed,
the outcome beside it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from people.models import Person
from rota.rules import AskedFirst, Refusal
from web import outage

M = TypeVar("M", bound=Model)


class Request(HttpRequest):
    """A signed-in person's request, as django-htmx and the session middleware leave it."""

    htmx: HtmxDetails
    user: Person


@dataclass
class Outcome:
    """What came of an action: a note to show, or the refusals (a rule's words) instead."""

    note: str = ""
    refusals: list[str] = field(default_factory=list)
    # What the service returned, when it made the change.
    value: Any = None

    @property
    def context(self) -> dict[str, object]:
        return {"note": self.note, "refusals": self.refusals}


def attempt(change: Callable[[], object], done: str) -> Outcome:
    """Make one change through its service; a refusal comes back in the service's own words."""
    try:
        value = change()
    except AskedFirst as asked:
        # Not made, but not refused either: the client was asked, and the person is told so.
        outage.saved.set(asked.message)
        return Outcome(note=asked.message, value=asked.request)
    except Refusal as refusal:
        return Outcome(refusals=refusal.messages)
    # Committed: should drawing the answer fail now, the person is still told it is saved.
    outage.saved.set(done)
    return Outcome(note=done, value=value)


def get_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    """The one object of `queryset` matching `lookup`, or 404: what a person may not see
    looks exactly like what does not exist."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def posted_minutes(request: HttpRequest) -> int:
    """The minutes a one-tap answer posts ("there in about 20 minutes"); 0, which the
    service refuses in its own words, for anything that is not a whole number."""
    try:
        return int(request.POST.get("minutes", ""))
    except ValueError:
        return 0


def back_to(request: HttpRequest, default: str, *, source: QueryDict | None = None) -> str:
    """Where a plain form post returns, or a sign-in leads: the `next` page of the post (or
    of `source`), if it is a path on this site; else the page named `default`."""
    back = (request.POST if source is None else source).get("next", "")
    ours = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    )
    return back if ours else reverse(default)


def tell(request: HttpRequest, outcome: Outcome) -> None:
    """The outcome as a message on the next page the person sees."""
    if outcome.refusals:
        messages.error(request, " ".join(outcome.refusals))
    elif outcome.note:
        messages.success(request, outcome.note)


def redirect_with(request: HttpRequest, outcome: Outcome, to: str) -> HttpResponse:
    tell(request, outcome)
    return redirect(to)


def answer(
    request: Request,
    outcome: Outcome,
    partial: str,
    context: Callable[[], dict[str, object]],
    *,
    back: str,
) -> HttpResponse:
    """htmx: `partial` drawn with `context()` and the outcome beside it; a plain form post:
    back to `back`, the outcome as a message (the partial's context is never read then).

    `back` is also where the partial's own forms return (their `next`).
    """
    if not request.htmx:
        return redirect_with(request, outcome, back)
    return render(request, partial, {**context(), **outcome.context, "back": back})

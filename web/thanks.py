"""Saying thank you for a visit, from the pages of whoever says it (the family's "What
happened", a team leader's client page), and the carer's thanks received: each with who
said it and for which visit, and the carer's choice of whether the circle sees it.

Thanks are never counted on any page: they are words between people, not a score."""

from datetime import datetime, timedelta

from django.http import HttpResponse
from django.utils.translation import gettext as _

from circles.models import Circle
from people.models import Person
from rota import services
from rota.models import Assignment, Thanks
from web.http import Outcome, Request, attempt, redirect_with

# The circle board shows the thanks its carers chose to share from this far back.
SHARED_SINCE = timedelta(weeks=4)

THANKS_FIELDS = (
    "author",
    "assignment__carer",
    "assignment__shift__client",
    "assignment__shift__circle",
)


def say_thanks(request: Request, assignment: Assignment, back: str) -> HttpResponse:
    """Thank the carer of `assignment` in the posted line, then back to `back`."""
    message = request.POST.get("message", "")
    done = _("Sent: %(carer)s will see your thanks.") % {"carer": assignment.carer}
    outcome: Outcome = attempt(
        lambda: services.thank(assignment, message, actor=request.user), done
    )
    return redirect_with(request, outcome, back)


def thanked_by(person: Person, assignment_ids: list[int]) -> set[int]:
    """Which of these places the person has thanked already: the form is not offered again."""
    if not assignment_ids:
        return set()
    return set(
        Thanks.objects.filter(author=person, assignment__in=assignment_ids).values_list(
            "assignment_id", flat=True
        )
    )


def received(carer: Person) -> list[Thanks]:
    """The thanks the carer was given, newest first."""
    return list(
        Thanks.objects.filter(assignment__carer=carer)
        .select_related(*THANKS_FIELDS)
        .order_by("-at", "-pk")
    )


def shared_in(circle: Circle, now: datetime) -> list[Thanks]:
    """The thanks the circle's carers let it see, of the last four weeks, newest first."""
    return list(
        Thanks.objects.filter(
            shared=True, assignment__shift__circle=circle, at__gt=now - SHARED_SINCE
        )
        .select_related(*THANKS_FIELDS)
        .order_by("-at", "-pk")
    )

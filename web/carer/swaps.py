"""Swaps: choose a colleague, then one of their visits that fits, to ask for; and answer or
withdraw a proposal."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from people.models import Person
from rota import services
from rota.models import Swap, SwapStatus
from web.carer import queries
from web.carer.access import access_colleague_place, access_my_place, access_swap, carer_required
from web.carer.shifts import days_context
from web.http import Outcome, Request, answer, attempt, back_to


@dataclass(frozen=True)
class Colleague:
    """A colleague to ask, and how many of their visits fit with the carer's."""

    person: Person
    fitting: int


@carer_required
@require_GET
def choose(request: Request, assignment_id: int) -> HttpResponse:
    """Start from the colleague: choose a person, then their visits that fit (the rules pass
    for the carer taking it in exchange), nearest first. A fortnight of the whole circle's
    visits would be far too long on a phone."""
    mine = access_my_place(request.user, assignment_id)
    now = timezone.now()
    if not mine.is_held or mine.start <= now:
        messages.error(request, _("This visit is no longer yours to swap."))
        return redirect("carer:my_shifts")
    asking = (
        Swap.objects.filter(offered=mine, status=SwapStatus.PROPOSED)
        .select_related("wanted__carer")
        .first()
    )
    fitting: list[queries.SwapChoice] = []
    if asking is None:
        fitting = [c for c in queries.swap_choices(mine, now=now) if c.reason is None]
    counts = Counter(choice.place.carer for choice in fitting)
    colleagues = [Colleague(p, counts[p]) for p in sorted(counts, key=str)]
    chosen = next(
        (c.person for c in colleagues if str(c.person.pk) == request.GET.get("with")), None
    )
    theirs = [choice for choice in fitting if choice.place.carer == chosen]
    context = {
        "mine": mine,
        "asking": asking,
        "colleagues": colleagues,
        "chosen": chosen,
        "days": queries.by_day(theirs, lambda c: (c.place.start, c.place.shift.circle.tz), now),
        "back": request.get_full_path(),
        "ahead_days": queries.AHEAD.days,
    }
    return render(request, "carer/swap.html", context)


@carer_required
@require_POST
def propose(request: Request, assignment_id: int, other_id: int) -> HttpResponse:
    mine = access_my_place(request.user, assignment_id)
    theirs = access_colleague_place(request.user, mine, other_id)
    outcome = attempt(
        lambda: services.propose_swap(mine, theirs, actor=request.user),
        _("Asked %(name)s. The swap happens only if they accept.")
        % {"name": theirs.carer.get_short_name()},
    )

    def context() -> dict[str, object]:
        shaped = queries.one_choice(mine, theirs.pk, now=timezone.now())
        return {
            "mine": mine,
            "choice": shaped or queries.SwapChoice(theirs),
            "gone": shaped is None,
        }

    back = back_to(request, "carer:my_shifts")
    return answer(request, outcome, "carer/swap.html#choice-card", context, back=back)


def _swapped(swap: Swap) -> str:
    shift = swap.offered.shift
    when = dateformat.format(timezone.localtime(shift.start, shift.circle.tz), "D j M H:i")
    return _("Swapped. Your visit to %(client)s on %(when)s is in your shifts now.") % {
        "client": shift.client.preferred_name,
        "when": when,
    }


# How a swap is answered: the service, and what the person is told when it is done.
ANSWERS: dict[str, tuple[Callable[..., Swap], Callable[[Swap], str]]] = {
    "accept": (services.accept_swap, _swapped),
    "decline": (
        services.decline_swap,
        lambda swap: (
            _("Declined. %(name)s keeps their visit and you keep yours.")
            % {"name": swap.offered.carer.get_short_name()}
        ),
    ),
    "withdraw": (services.withdraw_swap, lambda swap: _("Withdrawn. You keep your visit.")),
}


@carer_required
@require_POST
def answer_swap(request: Request, swap_id: int, how: str) -> HttpResponse:
    """Accept or decline a swap asked of the carer, or withdraw one they asked for."""
    swap = access_swap(request.user, swap_id)
    change, done = ANSWERS[how]
    outcome = attempt(lambda: change(swap, actor=request.user), done(swap))
    return swap_reply(request, swap, outcome)


def swap_reply(request: Request, swap: Swap, outcome: Outcome) -> HttpResponse:
    """htmx: the swap's card; after an accepted swap the days too, since places moved."""

    def context() -> dict[str, object]:
        answered = access_swap(request.user, swap.pk)
        if answered.status == SwapStatus.ACCEPTED and not outcome.refusals:
            return {"swap": answered, "moved": True, **days_context(request)}
        return {"swap": answered, "moved": False}

    back = back_to(request, "carer:my_shifts")
    return answer(request, outcome, "carer/my_shifts.html#swap-reply", context, back=back)

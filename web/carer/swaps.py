"""Swaps: choose a colleague's visit to ask for, and answer or withdraw a proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rota import services
from rota.models import Swap, SwapStatus
from web.carer import queries
from web.carer.access import access_colleague_place, access_my_place, access_swap
from web.carer.shifts import days_context
from web.http import Outcome, Request, answer, attempt, back_to


@login_required
@require_GET
def choose(request: Request, assignment_id: int) -> HttpResponse:
    """The colleagues' visits in the same circle that the carer could ask for in exchange."""
    mine = access_my_place(request.user, assignment_id)
    now = timezone.now()
    if not mine.is_held or mine.start <= now:
        messages.error(request, _("This visit is no longer yours to swap."))
        return redirect("carer:my_shifts")
    choices = queries.shape_choices(mine, list(queries.swap_choices(mine, now=now)), now)
    # A fortnight of a circle's visits is long on a phone: narrow it to one colleague.
    colleagues = sorted({choice.carer for choice in choices}, key=str)
    chosen = request.GET.get("with", "")
    if chosen.isdigit():
        choices = [choice for choice in choices if choice.carer_id == int(chosen)]
    context = {
        "mine": mine,
        "colleagues": colleagues,
        "chosen": int(chosen) if chosen.isdigit() else None,
        "days": queries.by_day(choices, lambda a: (a.start, a.shift.circle.tz), now),
        "back": request.get_full_path(),
        "ahead_days": queries.AHEAD.days,
    }
    return render(request, "carer/swap.html", context)


@login_required
@require_POST
def propose(request: Request, assignment_id: int, other_id: int) -> HttpResponse:
    mine = access_my_place(request.user, assignment_id)
    theirs = access_colleague_place(request.user, mine, other_id)
    outcome = attempt(
        lambda: services.propose_swap(mine, theirs, actor=request.user),
        _("Asked %(name)s. The swap happens only if they accept.")
        % {"name": theirs.carer.get_short_name()},
    )
    back = back_to(request, "carer:my_shifts")

    def context() -> dict[str, object]:
        now = timezone.now()
        shaped = queries.swap_choices(mine, now=now).filter(pk=theirs.pk).first()
        if shaped is not None:
            queries.shape_choices(mine, [shaped], now)
        return {"mine": mine, "choice": shaped or theirs, "gone": shaped is None, "back": back}

    return answer(
        request, outcome, back=back, partial="carer/swap.html#choice-card", context=context
    )


@login_required
@require_POST
def accept(request: Request, swap_id: int) -> HttpResponse:
    swap = access_swap(request.user, swap_id)
    shift = swap.offered.shift
    when = dateformat.format(timezone.localtime(shift.start, shift.circle.tz), "D j M H:i")
    outcome = attempt(
        lambda: services.accept_swap(swap, actor=request.user),
        _("Swapped. Your visit to %(client)s on %(when)s is in your shifts now.")
        % {"client": shift.client.preferred_name, "when": when},
    )
    return swap_reply(request, swap, outcome)


@login_required
@require_POST
def decline(request: Request, swap_id: int) -> HttpResponse:
    swap = access_swap(request.user, swap_id)
    outcome = attempt(
        lambda: services.decline_swap(swap, actor=request.user),
        _("Declined. %(name)s keeps their visit and you keep yours.")
        % {"name": swap.offered.carer.get_short_name()},
    )
    return swap_reply(request, swap, outcome)


@login_required
@require_POST
def withdraw(request: Request, swap_id: int) -> HttpResponse:
    swap = access_swap(request.user, swap_id)
    outcome = attempt(
        lambda: services.withdraw_swap(swap, actor=request.user),
        _("Withdrawn. You keep your visit."),
    )
    return swap_reply(request, swap, outcome)


def swap_reply(request: Request, swap: Swap, outcome: Outcome) -> HttpResponse:
    """htmx: the swap's card; after an accepted swap the days too, since places moved."""
    back = back_to(request, "carer:my_shifts")

    def context() -> dict[str, object]:
        now_swap = access_swap(request.user, swap.pk)
        moved = now_swap.status == SwapStatus.ACCEPTED and not outcome.refusals
        return {
            "swap": now_swap,
            "moved": moved,
            "back": back,
            **(days_context(request) if moved else {}),
        }

    return answer(
        request, outcome, back=back, partial="carer/my_shifts.html#swap-reply", context=context
    )

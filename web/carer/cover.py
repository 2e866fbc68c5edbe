"""Needs cover and the circle board: visits with a place to take, and taking one."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circles.forecast import forecast
from circles.models import Circle
from rota import services
from rota.rules import check_many
from rota.services.places import EveryWeek, day_and_reason, every_week
from web import away
from web.carer import queries
from web.carer.access import access_circle, access_shift, carer_required, my_circles
from web.http import Outcome, Request, answer, attempt, back_to
from web.thanks import shared_in


@carer_required
@require_GET
def needs_cover(request: Request) -> HttpResponse:
    now = timezone.now()
    items = queries.needs_cover(request.user, now=now)
    context = {
        "days": queries.by_day(items, lambda i: (i.shift.start, i.shift.circle.tz), now),
        "back": request.get_full_path(),
        "ahead_days": queries.AHEAD.days,
    }
    return render(request, "carer/needs_cover.html", context)


@carer_required
@require_POST
def take(request: Request, shift_id: int) -> HttpResponse:
    """“I'll take it”: claim a free place, or one its holder is giving away."""
    shift = access_shift(request.user, shift_id)
    if shift.assignments.filter(carer=request.user, released_at__isnull=True).exists():
        # A double tap, or a second tab: it is already theirs.
        outcome = Outcome(note=_("This visit is already yours."))
    else:
        outcome = attempt(
            lambda: services.claim(shift, request.user, actor=request.user),
            _("It's yours. Thank you!"),
        )
    return answer(
        request,
        outcome,
        "carer/needs_cover.html#cover-card",
        lambda: {
            "item": queries.one_visit(request.user, shift.pk, now=timezone.now()),
            "show_day": bool(request.POST.get("show_day")),
        },
        back=back_to(request, "carer:needs_cover"),
    )


@carer_required
@require_http_methods(["GET", "POST"])
def take_every_week(request: Request, shift_id: int) -> HttpResponse:
    """“Take every week”: asked first, listing the dates it would take and those the rules
    stop, in words; only its button takes them."""
    shift = access_shift(request.user, shift_id)
    now = timezone.now()
    if request.method == "GET":
        found = every_week(shift, request.user, now=now)
        judged = check_many(request.user, found, now=now)
        context = {
            "shift": shift,
            "taking": [s for s in found if not judged[s.pk]],
            "not_taking": [
                day_and_reason(s, [v.message for v in judged[s.pk]]) for s in found if judged[s.pk]
            ],
        }
        return render(request, "carer/every_week.html", context)
    outcome = attempt(
        lambda: services.claim_every_week(shift, request.user, actor=request.user),
        _("Thank you! The visits you could take are yours."),
    )
    if outcome.value is None:
        messages.error(request, " ".join(outcome.refusals))
        return redirect("carer:needs_cover")
    result: EveryWeek = outcome.value
    taken = len(result.taken)
    later = _("Later weeks are not on the rota yet.")
    if taken:
        messages.success(
            request,
            ngettext(
                "You took %(count)d visit. Thank you!",
                "You took %(count)d visits. Thank you!",
                taken,
            )
            % {"count": taken}
            + " "
            + later,
        )
    for line in result.refused_in_words:
        messages.warning(request, _("Not taken: %(line)s") % {"line": line})
    return redirect("carer:needs_cover")


@carer_required
@require_GET
def board(request: Request, circle_id: int | None = None) -> HttpResponse:
    """The circle's next fortnight as the whole group sees it: gaps first, then each day."""
    circles = list(my_circles(request.user))
    circle: Circle | None
    if circle_id is not None:
        circle = access_circle(request.user, circle_id)
    else:
        circle = circles[0] if circles else None
    now = timezone.now()
    visits = queries.board(circle, now=now) if circle else []
    gaps = sorted(
        (v.shift for v in visits if v.is_gap),
        key=lambda s: (not s.essential, s.start, s.pk),
    )
    context = {
        "circle": circle,
        "circles": circles,
        "gaps": queries.cover_for(request.user, gaps, now=now),
        # Each gap's familiar carers, named first: the client's continuity before anyone's.
        "familiar": queries.familiar_faces(circle, gaps, now=now) if circle else {},
        "days": queries.by_day(visits, lambda v: (v.shift.start, v.shift.circle.tz), now),
        "now": now,
        "back": request.get_full_path(),
        "ahead_days": queries.AHEAD.days,
        # Clients away: the hours their visits are not needed, for the circle to plan with.
        "circle_aways": away.aways_ahead(circle.clients.all(), now) if circle else [],
        # Thanks the carers let the circle see: in words, never counted.
        "shared_thanks": shared_in(circle, now) if circle else [],
        # When the circle's cover is likely to cross its threshold, if it is: for everyone.
        "forecast": forecast(circle, now) if circle else None,
    }
    return render(request, "carer/circle_board.html", context)

"""The circle's monthly check-in (circles.checkins): the three questions on one page, the
circle's trend of the months that are over, and the circle's choice of whether its team
leaders see the figures. For the circle's carers only: the team leaders see what the circle
shares on their own circle page."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circles import checkins
from circles.models import CHECK_IN_CHANGE_LIMIT
from rota import services
from rota.services.checkins import check_in_month
from web.carer.access import access_circle, carer_required
from web.http import Request, attempt, redirect_with


def _scale(words: Mapping[int, Any]) -> list[tuple[int, Any]]:
    """Each point and its words ("2 · Struggling"), translated when the form is drawn."""
    return [(point, format_lazy("{} · {}", point, words[point])) for point in checkins.SCALE]


class CheckInForm(forms.Form):
    coping = forms.TypedChoiceField(
        label=gettext_lazy("How is the circle coping?"),
        choices=_scale(checkins.COPING_WORDS),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how the circle is coping, from 1 to 5."),
            "invalid_choice": gettext_lazy("Choose how the circle is coping, from 1 to 5."),
        },
    )
    me = forms.TypedChoiceField(
        label=gettext_lazy("How are you?"),
        choices=_scale(checkins.ME_WORDS),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how you are, from 1 to 5."),
            "invalid_choice": gettext_lazy("Choose how you are, from 1 to 5."),
        },
    )
    change = forms.CharField(
        label=gettext_lazy("One thing you would change (if you like)"),
        help_text=gettext_lazy(
            "A line, up to 200 characters. The circle sees it without your name."
        ),
        max_length=CHECK_IN_CHANGE_LIMIT,
        required=False,
        error_messages={
            "max_length": gettext_lazy("Keep the thing to change to 200 characters or fewer.")
        },
    )


@carer_required
@require_http_methods(["GET", "POST"])
def check_in(request: Request, circle_id: int) -> HttpResponse:
    """This month's three questions. Answered already, the form holds the answers given,
    and sending it again changes them: one answer each a month, the last one counts."""
    circle = access_circle(request.user, circle_id)
    mine = checkins.answered(circle, request.user.pk)
    initial = {"coping": mine.coping, "me": mine.me, "change": mine.change} if mine else None
    # Bound on every post, an empty one too, so that it is told what is missing.
    form = CheckInForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            lambda: services.answer_check_in(
                circle,
                coping=data["coping"],
                me=data["me"],
                change=data["change"],
                actor=request.user,
            ),
            _("Thank you: your answers are in. You can change them until the end of the month.")
            if mine is None
            else _("Your answers are changed. The last ones you give this month count."),
        )
        if outcome.value is not None:
            messages.success(request, outcome.note)
            return redirect("carer:check_ins", circle_id=circle.pk)
        for refusal in outcome.refusals:
            form.add_error(None, refusal)
    context = {
        "circle": circle,
        "form": form,
        "mine": mine,
        "month": check_in_month(circle),
        "least": checkins.MIN_ANSWERS,
    }
    return render(request, "carer/check_in.html", context)


@carer_required
@require_GET
def check_ins(request: Request, circle_id: int) -> HttpResponse:
    """How the circle is doing, month by month, newest first, without a name anywhere."""
    circle = access_circle(request.user, circle_id)
    now = timezone.now()
    months = checkins.trend(circle, now=now)
    context = {
        "circle": circle,
        "months": list(reversed(months)),
        "fell": checkins.fell_sharply(months),
        "answered": checkins.answered(circle, request.user.pk, now) is not None,
        "month": check_in_month(circle, now),
        "least": checkins.MIN_ANSWERS,
    }
    return render(request, "carer/check_ins.html", context)


@carer_required
@require_POST
def share(request: Request, circle_id: int) -> HttpResponse:
    """The circle's choice: the team leaders see the monthly figures, or only after a sharp
    fall. Any carer of the circle may make it; the trail keeps who did."""
    circle = access_circle(request.user, circle_id)
    shared = request.POST.get("shared") == "yes"
    done = (
        _("Done: the team leaders now see the circle's monthly figures.")
        if shared
        else _("Done: the figures stay with the circle, unless they fall sharply.")
    )
    outcome = attempt(lambda: services.share_check_ins(circle, shared, actor=request.user), done)
    return redirect_with(request, outcome, reverse("carer:check_ins", args=[circle.pk]) + "#share")

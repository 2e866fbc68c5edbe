"""I'm off: sick today (asked first, showing the visits it will release), or a holiday,
training or other time off as days; and "I'm better", ending time off early."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rota import services
from rota.models import Absence, AbsenceKind, Action, Assignment, AuditEvent
from rota.recurrence import aware_local
from rota.services.absences import releases
from web.carer import queries
from web.carer.access import PLACE_FIELDS, access_absence, carer_required
from web.carer.reasons import first_reasons
from web.forms import DayField, LocalForm, day_picker
from web.http import Request, attempt, tell

# Longer absences are arranged with the team leaders, not from a phone.
LONGEST = timedelta(days=366)


class TimeOffForm(LocalForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Why"),
        choices=[
            (AbsenceKind.HOLIDAY, gettext_lazy("Holiday")),
            (AbsenceKind.TRAINING, gettext_lazy("Training")),
            (AbsenceKind.SICK, gettext_lazy("Sick")),
            (AbsenceKind.OTHER, gettext_lazy("Something else")),
        ],
        initial=AbsenceKind.HOLIDAY,
        widget=forms.RadioSelect,
    )
    first_day = DayField(
        label=gettext_lazy("First day off"),
        input_formats=["%Y-%m-%d"],
        widget=day_picker(),
    )
    last_day = DayField(
        label=gettext_lazy("Last day off"),
        help_text=gettext_lazy("You are off all of this day too."),
        input_formats=["%Y-%m-%d"],
        widget=day_picker(),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError(
                    _("The last day can't be before the first day."), code="backwards"
                )
            if first < self.today:
                raise forms.ValidationError(_("The first day can't be in the past."), code="past")
            if last - first >= LONGEST:
                raise forms.ValidationError(
                    _("That is more than a year: please talk to your team leaders."),
                    code="too_long",
                )
        return data


def span_words(absence: Absence, tz: ZoneInfo) -> str:
    """When the time off runs, as a person says it: whole days end "at the end of" the
    last day rather than at midnight of the next."""
    start, end = timezone.localtime(absence.start, tz), timezone.localtime(absence.end, tz)
    if end.time() != time.min:
        return _("From %(start)s to %(end)s.") % {
            "start": dateformat.format(start, "l j F, H:i"),
            "end": dateformat.format(end, "l j F, H:i"),
        }
    last = dateformat.format(end.date() - timedelta(days=1), "l j F")
    if start.time() == time.min:
        return _("From %(first)s to the end of %(last)s.") % {
            "first": dateformat.format(start, "l j F"),
            "last": last,
        }
    return _("From %(start)s to the end of %(last)s.") % {
        "start": dateformat.format(start, "l j F, H:i"),
        "last": last,
    }


def _local_span(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """From the start of the first local day to the end of the last (inclusive)."""
    return aware_local(first, time.min, tz), aware_local(last + timedelta(days=1), time.min, tz)


@carer_required
@require_http_methods(["GET", "POST"])
def off(request: Request) -> HttpResponse:
    tz = queries.home_tz(request.user)
    now = timezone.now()
    form = TimeOffForm(request.POST or None, tz=tz)
    if request.method == "POST" and form.is_valid():
        start, end = _local_span(form.cleaned_data["first_day"], form.cleaned_data["last_day"], tz)
        kind = form.cleaned_data["kind"]
        same = Absence.objects.filter(carer=request.user, kind=kind, start=start, end=end).first()
        if same is not None:
            # A second tap of the button, or the form sent again from the history.
            messages.info(request, _("You have already told the circle about this time off."))
            return redirect("carer:absence", absence_id=same.pk)
        outcome = attempt(
            lambda: services.record_absence(request.user, kind, start, end, actor=request.user),
            _("Thank you for telling the circle."),
        )
        if outcome.value is not None:
            messages.success(request, outcome.note)
            return redirect("carer:absence", absence_id=outcome.value.pk)
        for refusal in outcome.refusals:
            form.add_error(None, refusal)
    coming = [
        queries.TimeOff(absence, span_words(absence, tz))
        for absence in Absence.objects.filter(carer=request.user, end__gt=now).order_by("start")
    ]
    context = {"form": form, "coming": coming}
    return render(request, "carer/off.html", context)


@carer_required
@require_http_methods(["GET", "POST"])
def sick_today(request: Request) -> HttpResponse:
    """Off sick from now to the end of today (local time). Asked first: the page lists the
    visits that will go to the circle, and only its button records it."""
    tz = queries.home_tz(request.user)
    now = timezone.now()
    today = timezone.localtime(now, tz).date()
    end = aware_local(today + timedelta(days=1), time.min, tz)
    already = Absence.objects.filter(
        carer=request.user, kind=AbsenceKind.SICK, start__lte=now, end__gte=end
    ).first()
    if already is not None:
        messages.info(request, _("You have already told the circle you are off sick today."))
        return redirect("carer:absence", absence_id=already.pk)
    if request.method == "GET":
        places = releases(request.user, now, end, now).select_related(*PLACE_FIELDS)
        context = {"places": list(places.order_by("start", "pk")), "now": now}
        return render(request, "carer/sick_today.html", context)
    outcome = attempt(
        lambda: services.record_absence(
            request.user, AbsenceKind.SICK, now, end, actor=request.user
        ),
        _("Get well soon. The circle has been told you are off sick today."),
    )
    if outcome.value is None:
        messages.error(request, " ".join(outcome.refusals))
        return redirect("carer:off")
    messages.success(request, outcome.note)
    return redirect("carer:absence", absence_id=outcome.value.pk)


@carer_required
@require_GET
def absence(request: Request, absence_id: int) -> HttpResponse:
    """Time off, which of the carer's visits went to the circle for cover, and, while it is
    under way, "I'm better": after it, which visits are theirs again and why not the others."""
    absence = access_absence(request.user, absence_id)
    now = timezone.now()
    places = list(absence.released.select_related(*PLACE_FIELDS).order_by("start", "pk"))
    ended_early = AuditEvent.objects.filter(
        action=Action.END_ABSENCE_EARLY, subject_type="rota.absence", subject_id=absence.pk
    ).exists()
    back = set(
        Assignment.objects.filter(
            carer=request.user,
            released_at__isnull=True,
            shift_id__in=[p.shift_id for p in places],
        ).values_list("shift_id", flat=True)
    )
    # Why a visit did not come back: the rules' words, asked now, for those not yet started.
    still_to_come = [p.shift for p in places if p.shift_id not in back and p.start > now]
    why = first_reasons(request.user, still_to_come, now=now) if ended_early else {}
    released = [
        # A visit already under way when they said so went to the circle as a call for help.
        queries.ReleasedPlace(
            place,
            was_under_way=place.start <= absence.created_at,
            back=place.shift_id in back,
            why=why.get(place.shift_id) or _not_back(place, back, ended_early, now),
        )
        for place in places
    ]
    time_off = queries.TimeOff(absence, span_words(absence, queries.home_tz(request.user)))
    context = {
        "time_off": time_off,
        "released": released,
        "under_way": absence.start < now < absence.end,
    }
    return render(request, "carer/absence.html", context)


def _not_back(place: Assignment, back: set[int], ended_early: bool, now: datetime) -> str | None:
    """Why a released visit did not come back when the rules themselves found nothing: it
    was cancelled or freed, or someone is giving their place away (theirs to hand on)."""
    if not ended_early or place.shift_id in back or place.start <= now:
        return None
    if not place.shift.is_live:
        return _("This visit is not needed any more.")
    return _("Someone else has this visit now.")


@carer_required
@require_POST
def better(request: Request, absence_id: int) -> HttpResponse:
    """“I'm better”: the time off ends now; visits nobody has taken come back."""
    absence = access_absence(request.user, absence_id)
    outcome = attempt(
        lambda: services.end_absence_early(absence, actor=request.user),
        _("Welcome back. The visits nobody had taken are yours again, as listed here."),
    )
    tell(request, outcome)
    return redirect("carer:absence", absence_id=absence.pk)

"""A client away from home, as the team leaders' client page and the client's own pages show
it: the times away to come with the hours of visits they free, the form that records one and
"Back early". Both audiences post to their own URLs, which call these."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from circles.fanout import AWAY_BODIES
from people.models import Client
from rota import services
from rota.models import AwayReason, ClientAway, ShiftStatus
from rota.recurrence import aware_local
from rota.services.away import LONGEST_AWAY
from web.forms import DayField, LocalForm, WindowForm, day_picker, time_picker
from web.http import Outcome, Request, attempt, tell

# The client reads of their own time away: spoken to, never about (Client.is_themselves).
AWAY_TO_YOU = {
    AwayReason.HOSPITAL: gettext_lazy("You are in hospital until %(until)s."),
    AwayReason.RESPITE: gettext_lazy("You are in respite care until %(until)s."),
    AwayReason.HOLIDAY: gettext_lazy("You are on holiday until %(until)s."),
    AwayReason.OTHER: gettext_lazy("You are away until %(until)s."),
}


def _short(moment: datetime, tz: Any) -> str:
    return dateformat.format(timezone.localtime(moment, tz), "D j M H:i")


@dataclass(frozen=True)
class Away:
    """A time away now or to come, and the hours of its visits still not needed from now."""

    away: ClientAway
    hours: float
    started: bool

    @property
    def hours_words(self) -> str:
        shown = f"{self.hours:.1f}".removesuffix(".0")
        return ngettext(
            "%(hours)s hour of visits not needed.",
            "%(hours)s hours of visits not needed.",
            math.ceil(self.hours),
        ) % {"hours": shown}

    @property
    def to_you(self) -> str:
        """The same, said to the client: “You are in hospital until Fri 12 Dec 10:00.”"""
        away = self.away
        tz = away.client.circle.tz
        said = AWAY_TO_YOU[AwayReason(away.reason)] % {"until": _short(away.end, tz)}
        if not self.started:
            said = _("From %(start)s:") % {"start": _short(away.start, tz)} + " " + said
        return f"{said} {self.hours_words}"

    @property
    def sentence(self) -> str:
        """“Gwen is in hospital until Fri 12 Dec 10:00. 14 hours of visits not needed.”, with
        “From Mon 8 Dec 10:00:” before it for a time away still to come."""
        away = self.away
        tz = away.client.circle.tz
        said = AWAY_BODIES[AwayReason(away.reason)] % {
            "client": away.client.preferred_name,
            "until": _short(away.end, tz),
        }
        if not self.started:
            said = _("From %(start)s:") % {"start": _short(away.start, tz)} + " " + said
        return f"{said} {self.hours_words}"


def aways_ahead(clients: Any, now: datetime) -> list[Away]:
    """The times away of `clients` (ids or a queryset) not over yet, soonest first, each with
    the hours of its freed visits still ahead: one query."""
    duration = ExpressionWrapper(
        F("freed_shifts__end") - F("freed_shifts__start"), output_field=DurationField()
    )
    still_freed = Q(freed_shifts__status=ShiftStatus.NOT_NEEDED, freed_shifts__end__gt=now)
    rows = (
        ClientAway.objects.filter(client__in=clients, end__gt=now)
        .select_related("client__circle")
        .annotate(freed=Sum(duration, filter=still_freed))
        .order_by("start", "pk")
    )
    return [
        Away(
            away=row,
            hours=(row.freed or timedelta()).total_seconds() / 3600,
            started=row.start <= now,
        )
        for row in rows
    ]


class AwayForm(WindowForm):
    """Away from home: from a day and time until a day and time, in the circle's local time,
    and where (hospital, respite, a holiday, somewhere else)."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Where"), choices=AwayReason.choices, widget=forms.RadioSelect
    )
    longest = LONGEST_AWAY
    end_before_start = gettext_lazy("“Until” must be later than “from”. Nothing has been saved.")
    too_long = gettext_lazy(
        "A time away can last at most a year. For longer, the care plan needs changing "
        "instead. Nothing has been saved."
    )


class BackEarlyForm(LocalForm):
    """Back home earlier than said: the day and time of the return."""

    day = DayField(label=gettext_lazy("Day"), widget=day_picker())
    time = forms.TimeField(label=gettext_lazy("Time"), widget=time_picker())

    @property
    def moment(self) -> datetime:
        return aware_local(self.cleaned_data["day"], self.cleaned_data["time"], self.tz)


def new_forms(client: Client, aways: list[Away], pages: str) -> dict[str, object]:
    """The empty forms a page shows: a new time away from now, and "back early" (today, the
    next hour) for each time away listed; posted to the URLs of `pages` ("leaders",
    "family")."""
    tz = client.circle.tz
    now = timezone.localtime(timezone.now(), tz)
    soon = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return {
        "away_form": AwayForm(
            initial={"day": now.date(), "start": soon.time(), "end_day": now.date()},
            tz=tz,
            auto_id="away_%s",
        ),
        "record_away_url": reverse(f"{pages}:record_away", kwargs={"client_id": client.pk}),
        "aways": [
            (
                item,
                BackEarlyForm(
                    initial={"day": soon.date(), "time": soon.time()},
                    tz=tz,
                    auto_id=f"back{item.away.pk}_%s",
                ),
                reverse(f"{pages}:back_early", kwargs={"away_id": item.away.pk}),
            )
            for item in aways
        ],
    }


def record(request: Request, client: Client, back: str) -> HttpResponse:
    """Save the posted time away, or say why not; back to `back` either way."""
    form = AwayForm(request.POST, tz=client.circle.tz)
    if not form.is_valid():
        tell(request, _refused(form))
        return redirect(back)
    start, end = form.cleaned_data["start_at"], form.cleaned_data["end_at"]
    reason = form.cleaned_data["reason"]
    outcome = attempt(
        lambda: services.record_client_away(client, start, end, reason=reason, actor=request.user),
        "",
    )
    if outcome.value is not None:
        away: ClientAway = outcome.value
        freed = away.freed_shifts.count()
        outcome.note = _("Saved: %(when)s.") % {"when": _window(client, start, end)}
        outcome.note += " " + ngettext(
            "%(count)d visit is not needed then; its carer has been told.",
            "%(count)d visits are not needed then; their carers have been told.",
            freed,
        ) % {"count": freed}
    tell(request, outcome)
    return redirect(back)


def back_early(request: Request, away: ClientAway, back: str) -> HttpResponse:
    """Save the posted return, or say why not; back to `back` either way."""
    client = away.client
    form = BackEarlyForm(request.POST, tz=client.circle.tz)
    if not form.is_valid():
        tell(request, _refused(form))
        return redirect(back)
    outcome = attempt(
        lambda: services.end_client_away(away, form.moment, actor=request.user),
        _(
            "Saved: back home from %(when)s. Visits from then on are planned again, with "
            "their carers where they are free; the circle is asked to cover the rest."
        )
        % {
            "when": dateformat.format(
                timezone.localtime(form.moment, client.circle.tz), "l j F, H:i"
            )
        },
    )
    tell(request, outcome)
    return redirect(back)


def _refused(form: forms.Form) -> Outcome:
    """A form's errors as a refusal, each field's named: the page shows it as a message."""
    refusals = [str(error) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != NON_FIELD_ERRORS:
            label = form.fields[name].label
            refusals += [f"{label}: {error}" for error in errors]
    return Outcome(refusals=refusals)


def _window(client: Client, start: datetime, end: datetime) -> str:
    tz = client.circle.tz
    return _("%(start)s to %(end)s") % {
        "start": dateformat.format(timezone.localtime(start, tz), "l j F, H:i"),
        "end": dateformat.format(timezone.localtime(end, tz), "l j F, H:i"),
    }

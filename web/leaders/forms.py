"""The team leaders' forms: a circle's thresholds, a carer's leaving day and the audit
trail's filters (the payroll export's period is circles.payroll.PayrollForm, shared with the
admin)."""

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from people.models import Client, Person
from web.forms import DayField, LocalForm, day_picker


class ThresholdsForm(forms.ModelForm):
    """When the circle counts as strained or not coping. The model's constraints have the
    last word (ModelForm validates them): inverted or out-of-range values are refused with
    their message, and nothing is saved."""

    class Meta:
        model = Circle
        fields = ["strained_below_percent", "not_coping_below_percent", "essential_gap_hours"]
        labels = {
            "strained_below_percent": _("Strained when fewer than this % of places are filled"),
            "not_coping_below_percent": _("Not coping when fewer than this % of places are filled"),
            "essential_gap_hours": _(
                "Not coping when an essential visit this many hours away has nobody"
            ),
        }
        help_texts = {
            "strained_below_percent": _("Over the next 14 days. Between 0 and 100."),
            "not_coping_below_percent": _("At or below the strained figure."),
            "essential_gap_hours": _("48 hours is two days."),
        }


class LeavingForm(LocalForm):
    """The day a carer leaves the circle: the first day they no longer visit, today or later
    in the circle's time zone (rota.services.end_membership says the same)."""

    day = DayField(
        label=_("First day they no longer visit"),
        help_text=_("Their visits from this day go to the circle for cover."),
        input_formats=["%Y-%m-%d"],
        widget=day_picker(),
    )

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day < self.today:
            raise ValidationError(
                _("Choose today or a later day: a day already past can't change."), code="past"
            )
        return day


class TrailFilter(forms.Form):
    """Which audit events to show. Every choice is limited to what the leader may see, so a
    guessed id of another circle's client is "not one of the choices"."""

    circle = forms.ModelChoiceField(
        label=_("Circle"), queryset=Circle.objects.none(), required=False, empty_label=_("All")
    )
    client = forms.ModelChoiceField(
        label=_("Client"), queryset=Client.objects.none(), required=False, empty_label=_("All")
    )
    carer = forms.ModelChoiceField(
        label=_("Carer"), queryset=Person.objects.none(), required=False, empty_label=_("All")
    )
    since = DayField(
        label=_("From"),
        required=False,
        widget=day_picker(),
    )
    until = DayField(
        label=_("To"),
        required=False,
        widget=day_picker(),
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        circles: QuerySet[Circle],
        clients: QuerySet[Client],
        carers: QuerySet[Person],
    ) -> None:
        super().__init__(data)
        # All three are declared above as ModelChoiceFields; self.fields holds copies of them.
        cast("forms.ModelChoiceField[Circle]", self.fields["circle"]).queryset = circles
        cast("forms.ModelChoiceField[Client]", self.fields["client"]).queryset = clients
        cast("forms.ModelChoiceField[Person]", self.fields["carer"]).queryset = carers

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise ValidationError(_("The “to” date is before the “from” date."))
        return data

    def moments(self) -> tuple[datetime | None, datetime | None]:
        """The dates as a range of moments, "to" included, in local time."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        return (
            _midnight(since) if since else None,
            _midnight(until + timedelta(days=1)) if until else None,
        )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))

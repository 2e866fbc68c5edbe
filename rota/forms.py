"""Forms for the rota: a care-plan item edited as weekday boxes, never as an RFC 5545 rule."""

from datetime import date
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from rota.models import LINE_LIMIT, LINES_LIMIT, VisitPlan
from rota.recurrence import rule_for_weekdays, weekdays_of_rule

WEEKDAY_CHOICES = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


def describe_rule(rule: str) -> str:
    """A plan's repeat rule in words, e.g. "Every day" or "Mon, Wed"."""
    days = weekdays_of_rule(rule)
    if len(days) == 7:
        return str(_("Every day"))
    labels = dict(WEEKDAY_CHOICES)
    return ", ".join(str(labels[day]) for day in days)


class LinesField(forms.Field):
    """A short list written one item a line (a plan's tasks, its medicines): blank lines are
    dropped, and each line and the number of lines are bounded as the database bounds them."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, encoder=None, decoder=None, show_hidden_initial=False, **kwargs) -> None:
        # What a JSON field offers its form field; the lines are read and bounded here. No
        # hidden copy of the initial value (offered for a field whose default is a callable):
        # the form compares with its initial value all the same.
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        text = value if isinstance(value, str) else ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > LINES_LIMIT:
            raise forms.ValidationError(
                _("Write at most %(limit)d lines.") % {"limit": LINES_LIMIT}
            )
        too_long = [line for line in lines if len(line) > LINE_LIMIT]
        if too_long:
            raise forms.ValidationError(
                _("Keep each line under %(limit)d characters: “%(line)s…” is longer.")
                % {"limit": LINE_LIMIT, "line": too_long[0][:40]}
            )
        return lines


class DatesField(forms.Field):
    """Dates written one a line, day first as the rest of the site writes them (25/12/2026;
    a date picker's 2026-12-25 too): blank lines dropped, each date once, in order. A year
    more than a hundred years from now is a slip, and said so."""

    widget = forms.Textarea(attrs={"rows": 4})
    REACH_YEARS = 100
    LIMIT = 100

    def __init__(self, *, encoder=None, decoder=None, show_hidden_initial=False, **kwargs) -> None:
        # What a JSON field offers its form field; the dates are read here, and no hidden copy
        # of the initial value is kept (as for LinesField).
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(
                formats.date_format(day, "SHORT_DATE_FORMAT") if isinstance(day, date) else day
                for day in value
            )
        return value

    def to_python(self, value) -> list[date]:
        text = value if isinstance(value, str) else ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        this_year = timezone.localdate().year
        first, last = this_year - self.REACH_YEARS, this_year + self.REACH_YEARS
        days: set[date] = set()
        for line in lines:
            try:
                day = forms.DateField().to_python(line)
                if day is None:  # never for a line with text in it
                    raise forms.ValidationError("")
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a date: write one date a line, like 25/12/2026.")
                    % {"line": line[:40]},
                    code="invalid",
                ) from None
            if not first <= day.year <= last:
                raise forms.ValidationError(
                    _("“%(line)s” is too far off: choose dates between %(first)d and %(last)d.")
                    % {"line": line[:40], "first": first, "last": last},
                    code="out_of_reach",
                )
            days.add(day)
        if len(days) > self.LIMIT:
            raise forms.ValidationError(
                _(
                    "Skip at most %(limit)d dates. For a day of the week the visit never "
                    "happens, untick that day instead."
                )
                % {"limit": self.LIMIT}
            )
        return sorted(days)


class VisitPlanForm(forms.ModelForm):
    """A visit plan with weekday boxes; the stored rule is built from the ticked days.

    Refusals (no carer, no time, ending before starting) come from the model's own
    constraints, which ModelForm validation runs, so their messages reach the page.
    """

    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one day of the week for this visit.")},
    )

    class Meta:
        model = VisitPlan
        fields = [
            "client",
            "title",
            "weekdays",
            "start_time",
            "duration_minutes",
            "carers_needed",
            "credentials_needed",
            "essential",
            "starts_on",
            "ends_on",
            "skipped_dates",
            "late_after_minutes",
            "tasks",
            "medicines",
        ]
        field_classes = {"tasks": LinesField, "medicines": LinesField, "skipped_dates": DatesField}
        labels = {"duration_minutes": _("How long (minutes)")}
        help_texts = {
            "duration_minutes": _("Between 1 and 1440 minutes (a whole day)."),
            "carers_needed": _("1, or 2 for a double-up."),
            "skipped_dates": _(
                "Days the visit doesn't happen (a day centre day, a hospital appointment): one "
                "date a line, like 25/12/2026. A visit already on the rota that day is not "
                "needed, and its carer is told."
            ),
        }
        widgets = {"credentials_needed": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.rrule:
            self.initial.setdefault("weekdays", weekdays_of_rule(self.instance.rrule))

    def clean(self) -> dict[str, Any]:
        # A model form's clean() returns its cleaned_data (the stubs allow None, for a form
        # whose clean() returns nothing): use it by that name.
        super().clean()
        cleaned = self.cleaned_data
        weekdays = cleaned.get("weekdays")
        if weekdays:
            unchanged = self.instance.rrule and weekdays_of_rule(self.instance.rrule) == sorted(
                weekdays
            )
            # Keep a rule whose days were not changed, so a rule written elsewhere (every
            # other week, say) survives an edit of the time or the tasks.
            if not unchanged:
                self.instance.rrule = rule_for_weekdays(weekdays)
        return cleaned

"""What the pages' forms share: days and times as the phone's own pickers send and show them,
in one time zone (a circle's)."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rota.recurrence import aware_local


class DayField(forms.DateField):
    """A day within a hundred years of today: a slip of the thumb (year 9999, year 1) gets a
    message, not a calendar sum that runs off the end of time."""

    REACH_YEARS = 100

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        this_year = timezone.localdate().year
        first, last = this_year - self.REACH_YEARS, this_year + self.REACH_YEARS
        if not first <= value.year <= last:
            raise forms.ValidationError(
                _("Choose a date between %(first)d and %(last)d.") % {"first": first, "last": last},
                code="out_of_reach",
            )


def day_picker() -> forms.DateInput:
    """The browser's own date picker: it sends and shows ISO dates, whatever the language."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def time_picker() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class LocalForm(forms.Form):
    """A form about days and times in time zone `tz`, whose `today` is that zone's."""

    def __init__(self, *args: Any, tz: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz

    @property
    def today(self) -> date:
        return timezone.localdate(timezone=self.tz)


class WindowForm(LocalForm):
    """From a day and time until a day and time, in the local time of `tz`, at most `longest`
    long: a family visit, a time away. Each says in its own words what is wrong."""

    day = DayField(label=gettext_lazy("Day"), widget=day_picker())
    start = forms.TimeField(label=gettext_lazy("Time"), widget=time_picker())
    end_day = DayField(label=gettext_lazy("Day"), widget=day_picker())
    end = forms.TimeField(label=gettext_lazy("Time"), widget=time_picker())

    longest: timedelta
    end_before_start: str | Promise
    too_long: str | Promise

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        start = aware_local(data["day"], data["start"], self.tz)
        end = aware_local(data["end_day"], data["end"], self.tz)
        if end <= start:
            raise forms.ValidationError(str(self.end_before_start), code="end_before_start")
        if end - start > self.longest:
            raise forms.ValidationError(
                str(self.too_long), code="too_long", params={"days": self.longest.days}
            )
        data["start_at"], data["end_at"] = start, end
        return data

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.cleaned_data["start_at"], self.cleaned_data["end_at"]

    def groups(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        """The fields as the page shows them: “From” a day and time, “Until” a day and time."""
        return [
            (gettext_lazy("From"), [self["day"], self["start"]]),
            (gettext_lazy("Until"), [self["end_day"], self["end"]]),
        ]

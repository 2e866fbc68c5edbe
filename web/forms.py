"""What the pages' forms share: days and times as the phone's own pickers send and show them,
in one time zone (a circle's)."""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _


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

"""What the pages' forms share: days and times as the phone's own pickers send and show them,
in one time zone (a circle's)."""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone


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

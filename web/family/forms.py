"""The family and client pages' forms."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from people.models import Client
from rota.recurrence import aware_local
from rota.services.family import LONGEST
from web.forms import LocalForm, day_picker, time_picker


class FamilyVisitForm(LocalForm):
    """“I'll be with Mum”: from a day and time until a day and time, in the circle's local time:
    an afternoon, a night (Friday 22:00 until Saturday 07:00) or a stay of days."""

    day = forms.DateField(label=_("Day"), widget=day_picker())
    start = forms.TimeField(label=_("Time"), widget=time_picker())
    end_day = forms.DateField(label=_("Day"), widget=day_picker())
    end = forms.TimeField(label=_("Time"), widget=time_picker())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        start = aware_local(data["day"], data["start"], self.tz)
        end = aware_local(data["end_day"], data["end"], self.tz)
        if end <= start:
            raise forms.ValidationError(
                _(
                    "“Until” must be later than “from”. For a night, choose the next day "
                    "under “until”. Nothing has been saved."
                ),
                code="end_before_start",
            )
        if end - start > LONGEST:
            raise forms.ValidationError(
                _("A stay can be at most %(days)d days. Nothing has been saved."),
                code="too_long",
                params={"days": LONGEST.days},
            )
        if end <= timezone.now():
            raise forms.ValidationError(
                _("That time has already passed. Nothing has been saved."), code="in_the_past"
            )
        data["start_at"], data["end_at"] = start, end
        return data

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.cleaned_data["start_at"], self.cleaned_data["end_at"]

    def groups(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        """The fields as the page shows them: “From” a day and time, “Until” a day and time."""
        return [
            (_("From"), [self["day"], self["start"]]),
            (_("Until"), [self["end_day"], self["end"]]),
        ]


# What a text over its limit is told (the browser's maxlength stops most before this).
TOO_LONG = _(
    "Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d). "
    "Nothing has been saved."
)


class AboutMeForm(forms.ModelForm):
    """What a client wants others to know about them: saved by rota.services.edit_profile,
    which keeps the change in the audit trail (the form never saves itself)."""

    class Meta:
        model = Client
        fields = ["what_matters", "likes", "dislikes", "likes_to_give"]
        widgets = {field: forms.Textarea(attrs={"rows": 4}) for field in fields}
        error_messages = {field: {"max_length": TOO_LONG} for field in fields}


class FamilyReadNotesForm(forms.Form):
    """“Family can read the notes”: yes or no, from one button."""

    read = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": _("Say whether family can read the notes. Nothing has been changed."),
            "invalid_choice": _("Say whether family can read the notes. Nothing has been changed."),
        },
    )

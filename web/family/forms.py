"""The family and client pages' forms."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Client
from rota.recurrence import aware_local
from web.forms import LocalForm, day_picker, time_picker


class FamilyVisitForm(LocalForm):
    """“I'll be with Mum”: one day, from and until, in the circle's local time."""

    day = forms.DateField(label=_("Day"), widget=day_picker())
    start = forms.TimeField(label=_("From"), widget=time_picker())
    end = forms.TimeField(label=_("Until"), widget=time_picker())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        start = aware_local(data["day"], data["start"], self.tz)
        end = aware_local(data["day"], data["end"], self.tz)
        if end <= start:
            raise forms.ValidationError(
                _("“Until” must be later than “from”. Nothing has been saved."),
                code="end_before_start",
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

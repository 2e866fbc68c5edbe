"""The family and client pages' forms."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import NEW_FACE_LIMIT_MAX, Client, NewFaces
from rota.services.family import LONGEST
from web.forms import WindowForm


class FamilyVisitForm(WindowForm):
    """“I'll be with Mum”: from a day and time until a day and time, in the circle's local time:
    an afternoon, a night (Friday 22:00 until Saturday 07:00) or a stay of days."""

    longest = LONGEST
    end_before_start = _(
        "“Until” must be later than “from”. For a night, choose the next day under “until”. "
        "Nothing has been saved."
    )
    too_long = _("A stay can be at most %(days)d days. Nothing has been saved.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and data["end_at"] <= timezone.now():
            raise forms.ValidationError(
                _("That time has already passed. Nothing has been saved."), code="in_the_past"
            )
        return data


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


# The most a client may set is NEW_FACE_LIMIT_MAX (20).
NOT_A_LIMIT = _(
    "Write a whole number from 0 to 20, or leave it empty for no limit. Nothing has been changed."
)
NOT_A_CHOICE = _(
    "Choose what happens when one more new carer would come. Nothing has been changed."
)


class NewFaceLimitForm(forms.Form):
    """How many carers new to the client they meet in a month (empty: no limit), and what
    happens to one more: saved by rota.services.set_new_face_limit."""

    per_month = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=NEW_FACE_LIMIT_MAX,
        error_messages={key: NOT_A_LIMIT for key in ("invalid", "min_value", "max_value")},
    )
    past_limit = forms.ChoiceField(
        choices=NewFaces.choices,
        error_messages={"required": NOT_A_CHOICE, "invalid_choice": NOT_A_CHOICE},
    )

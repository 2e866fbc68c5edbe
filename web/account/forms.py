from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Language


class SignInLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    notify_by_email = forms.BooleanField(label=_("Send me emails"), required=False)
    notify_by_push = forms.BooleanField(label=_("Send alerts to my phone"), required=False)
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Nothing routine in your quiet hours. Urgent calls for help still come."),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("quiet_from")) != bool(data.get("quiet_until")):
            raise forms.ValidationError(_("Give both ends of your quiet hours, or neither."))
        return data

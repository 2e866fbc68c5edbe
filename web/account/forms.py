from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from circles.channels import Channels
from circles.models import Topic
from people.models import ABOUT_MAX_CHARS, ENOUGH_EVENINGS_MAX, ENOUGH_WEEKENDS_MAX, Language
from people.photos import PhotoRefused, prepare
from web.forms import DayField, day_picker

KEEP_LABEL = _("Keep me signed in on this phone")
KEEP_HINT = _(
    "For 30 days, on a phone that is yours alone. Not for staff accounts: they sign in every day."
)


class SignInForm(AuthenticationForm):
    """Email and password, and whether to stay signed in on this phone."""

    keep = forms.BooleanField(label=KEEP_LABEL, required=False, help_text=KEEP_HINT)


class SignInLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class CodeForm(forms.Form):
    """The six-digit code an authenticator app shows now."""

    code = forms.CharField(
        label=_("The code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        return code


# What each topic brings, in a line under its name on the settings page.
TOPIC_HINTS: dict[Topic, str | Promise] = {
    Topic.HELP: _("Someone needs help now."),
    Topic.COVER: _("Visits in your circle that you could take."),
    Topic.SWAPS: _("A colleague offers to swap a visit with you."),
    Topic.MY_VISITS: _("Who is coming, and visits changed or cancelled."),
    Topic.REMINDERS: _(
        "At 18:00 the evening before, the visits you have tomorrow; and each visit an hour "
        "before it starts. Off until you turn them on."
    ),
    Topic.ALERTS: _("A circle you lead is not coping, or is coping again."),
    Topic.CHECKS: _("A check or training running out within 30 days."),
    Topic.CHECK_IN: _("Once a month, three quick questions about how the circle is doing."),
}
# Changes to visits mean one thing to a carer and another to a family.
CARERS_VISITS_HINT = _(
    "Your visits taken by someone, no longer yours, not needed or cancelled; your offered "
    "visit still untaken."
)
FAMILYS_VISITS_HINT = _("Who is coming, someone new, and visits cancelled.")


@dataclass(frozen=True)
class TopicRow:
    """One topic on the settings page: its name, what it brings, and its two boxes."""

    topic: Topic
    hint: str | Promise
    email: forms.BoundField
    push: forms.BoundField | None


class PreferencesForm(forms.Form):
    """Language, the channels of each topic the person hears of, and quiet hours.

    The phone boxes are there only when the site can push (settings.VAPID_PRIVATE_KEY).
    """

    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Nothing routine in your quiet hours. Urgent calls for help still come."),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(
        self,
        *args: Any,
        topics: Sequence[Topic],
        channels: dict[Topic, Channels],
        push: bool,
        hints: dict[Topic, str | Promise] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.topics, self.channels, self.push = list(topics), channels, push
        self.hints = {**TOPIC_HINTS, **(hints or {})}
        for topic in self.topics:
            self.fields[f"{topic}_email"] = forms.BooleanField(
                label=_("Email"), required=False, initial=channels[topic].email
            )
            if push:
                self.fields[f"{topic}_push"] = forms.BooleanField(
                    label=_("Phone"), required=False, initial=channels[topic].push
                )

    def topic_rows(self) -> Iterator[TopicRow]:
        for topic in self.topics:
            yield TopicRow(
                topic=topic,
                hint=self.hints[topic],
                email=self[f"{topic}_email"],
                push=self[f"{topic}_push"] if self.push else None,
            )

    def chosen_channels(self) -> dict[Topic, Channels]:
        """The topics shown, as chosen; where the phone was not offered, it stays as it was."""
        data = self.cleaned_data
        return {
            topic: Channels(
                email=data[f"{topic}_email"],
                push=data[f"{topic}_push"] if self.push else self.channels[topic].push,
            )
            for topic in self.topics
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("quiet_from")) != bool(data.get("quiet_until")):
            raise forms.ValidationError(_("Give both ends of your quiet hours, or neither."))
        return data


class AboutMeForm(forms.Form):
    """A carer's photo and two lines about themselves, for the clients and families they visit.

    A photo is checked and made small here (people.photos.prepare): `cleaned_data["photo"]`
    is what will be kept, or None when no new photo was chosen.
    """

    photo = forms.FileField(
        label=_("A photo of you"),
        required=False,
        # "image/*" lets a phone offer its camera as well as its photos.
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        help_text=_("A clear photo of your face helps people know you at the door. Optional."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    about = forms.CharField(
        label=_("About me, in two lines"),
        required=False,
        max_length=ABOUT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: what you like to chat about, what you enjoy doing."),
    )

    def clean_photo(self) -> Any:
        upload = self.cleaned_data["photo"]
        if not upload:
            return None
        try:
            return prepare(upload)
        except PhotoRefused as refused:
            raise forms.ValidationError(str(refused.message)) from refused

    def clean_about(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["about"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > 2:
            raise forms.ValidationError(_("Two lines at most, please."))
        return "\n".join(lines)


class EnoughForm(forms.Form):
    """A carer's own "enough": the most evenings and weekend visits a week (empty: no limit)."""

    evenings = forms.IntegerField(
        label=_("Evenings a week"),
        required=False,
        min_value=0,
        max_value=ENOUGH_EVENINGS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Visits starting from 18:00 to 22:00. Leave it empty for no limit."),
    )
    weekends = forms.IntegerField(
        label=_("Weekend visits a week"),
        required=False,
        min_value=0,
        max_value=ENOUGH_WEEKENDS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Visits on a Saturday or a Sunday. Leave it empty for no limit."),
    )


class RunningLowForm(forms.Form):
    """ "I'm running low": from a day to a day, both included."""

    first_day = DayField(label=_("From"), widget=day_picker())
    last_day = DayField(label=_("Until, and including"), widget=day_picker())

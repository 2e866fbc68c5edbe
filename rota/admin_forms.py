"""The forms of the rota's admin actions, and the loop that runs a rota service once for
each selected object, reporting every refusal against the object it concerns."""

from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.models import Person
from rota.models import CANCEL_REASON_LIMIT, AbsenceKind
from rota.rules import Refusal, Refused

T = TypeVar("T")


def refusal(error: Refusal, *, carer: Person | None = None) -> str:
    """The rule's or the refusal's own words. The rules speak to the carer ("you don't
    have"), so a coordinator reading them is told which carer they are about."""
    words = " ".join(error.messages)
    if isinstance(error, Refused) or carer is None:
        return words
    return gettext("%(carer)s: %(refusal)s") % {"carer": carer, "refusal": words}


def for_each(
    request: HttpRequest,
    objects: Sequence[T],
    change: Callable[[T], object],
    *,
    carer: Person | None = None,
) -> int:
    """Make `change` to each object and return how many were made.

    Each service call is its own transaction: one refused object leaves the others to go
    ahead, and is reported with its own name and the service's reason.
    """
    if not objects:
        messages.warning(request, gettext("Nothing was changed: none of those is yours to change."))
    done = 0
    for obj in objects:
        try:
            change(obj)
        except Refusal as error:
            messages.error(
                request,
                gettext("%(subject)s: %(refusal)s")
                % {"subject": obj, "refusal": refusal(error, carer=carer)},
            )
        else:
            done += 1
    return done


class CancelVisitsForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are they cancelled?"),
        max_length=CANCEL_REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("The carers on these visits are told this."),
        error_messages={"required": _("Say why the visits are cancelled.")},
    )


class PutCarerOnForm(forms.Form):
    carer = forms.ModelChoiceField(
        label=_("Carer"),
        queryset=Person.objects.none(),
        help_text=_("Carers of these visits' circles. The rota's rules are checked for each."),
        error_messages={"required": _("Choose the carer to put on these visits.")},
    )

    def __init__(self, *args, carers: QuerySet[Person], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The field above is a ModelChoiceField: only its choices are set here.
        cast("forms.ModelChoiceField[Person]", self.fields["carer"]).queryset = carers


class RecordAbsenceForm(forms.Form):
    """Times are read in the current time zone, as the coordinator's clock shows them."""

    carer = forms.ModelChoiceField(
        label=_("Carer"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose the carer who is off.")},
    )
    kind = forms.ChoiceField(label=_("Why"), choices=AbsenceKind.choices)
    start = forms.DateTimeField(
        label=_("From"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    end = forms.DateTimeField(
        label=_("Until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, carers: QuerySet[Person], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The field above is a ModelChoiceField: only its choices are set here.
        cast("forms.ModelChoiceField[Person]", self.fields["carer"]).queryset = carers
        zone = timezone.get_current_timezone_name()
        for name in ("start", "end"):
            self.fields[name].help_text = _("Date and time, %(zone)s time.") % {"zone": zone}

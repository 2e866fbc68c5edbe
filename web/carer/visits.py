"""At a visit: “I've arrived” on its card, then “I've left” on one short screen (the plan's
tasks, each medicine's outcome, how the client was).

Both work without JavaScript. With it (static/js/visits.js), each form carries the phone's
time of the tap and an id made on the phone; a tap made offline is kept on the phone and sent
when it is back online, and the service counts it once however often it arrives.
"""

from datetime import datetime
from uuid import UUID

from django import forms
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rota import services
from rota.models import LINE_LIMIT, VISIT_NOTE_LIMIT, Assignment, MedicationOutcome
from rota.rules import Refusal, Refused
from web.carer.access import access_my_place, carer_required
from web.carer.shifts import place_reply
from web.http import Outcome, Request, attempt, tell


def tap_and_time(data: QueryDict) -> tuple[UUID | None, datetime | None]:
    """The tap's id and the phone's time of it, as visits.js fills them in (both empty
    without JavaScript: the server's time then, and no id)."""
    tap, at = data.get("tap", "").strip(), data.get("at", "").strip()
    try:
        return (UUID(tap) if tap else None), (datetime.fromisoformat(at) if at else None)
    except ValueError:
        raise Refused(
            "unreadable_tap", _("Your phone sent a time we could not read. Please tap again.")
        ) from None


@carer_required
@require_POST
def arrive(request: Request, assignment_id: int) -> HttpResponse:
    place = access_my_place(request.user, assignment_id)
    try:
        tap, at = tap_and_time(request.POST)
    except Refused as refusal:
        return place_reply(request, place, Outcome(refusals=refusal.messages))
    outcome = attempt(
        lambda: services.arrive(place, at=at, tap=tap, actor=request.user),
        _("Thank you: you've arrived."),
    )
    return place_reply(request, place, outcome)


class LeftForm(forms.Form):
    """What was done at the visit: the plan's tasks ticked, an answer for each medicine
    (`medicine-N`, with `reason-N` when it was not given) and a short note."""

    tasks = forms.MultipleChoiceField(
        label=_("What did you do?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        required=False,
        max_length=VISIT_NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, place: Assignment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        plan = place.shift.plan
        self.medicines = list(plan.medicines) if plan is not None else []
        tasks = self.fields["tasks"]
        assert isinstance(tasks, forms.MultipleChoiceField)
        tasks.choices = [(task, task) for task in (plan.tasks if plan is not None else [])]
        tasks.error_messages["invalid_choice"] = _("Tick only this visit's tasks.")
        self.fields["note"].label = _("How was %(name)s today?") % {
            "name": place.shift.client.preferred_name
        }
        for index, medicine in enumerate(self.medicines):
            self.fields[f"medicine-{index}"] = forms.ChoiceField(
                label=medicine,
                choices=MedicationOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say whether %(medicine)s was given, refused or not given.")
                    % {"medicine": medicine}
                },
            )
            self.fields[f"reason-{index}"] = forms.CharField(
                label=_("Why was it not given?"), required=False, max_length=LINE_LIMIT
            )

    def rounds(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each medicine's answer and its reason, for the template."""
        return [(self[f"medicine-{i}"], self[f"reason-{i}"]) for i in range(len(self.medicines))]

    def medication(self) -> list[services.MedicineRound]:
        return [
            services.MedicineRound(
                medicine,
                self.cleaned_data[f"medicine-{index}"],
                self.cleaned_data[f"reason-{index}"],
            )
            for index, medicine in enumerate(self.medicines)
        ]


@carer_required
@require_http_methods(["GET", "POST"])
def left(request: Request, assignment_id: int) -> HttpResponse:
    """“I've left”: one short screen. Refused, it is shown again with the words and what
    the carer filled in; nothing is recorded."""
    place = access_my_place(request.user, assignment_id)
    record = getattr(place, "record", None)
    if request.method == "GET":
        form = LeftForm(place=place)
        return render(request, "carer/left.html", _context(place, record, form))
    form = LeftForm(request.POST, place=place)
    if form.is_valid():
        try:
            tap, at = tap_and_time(request.POST)
            record = services.leave(
                place,
                at=at,
                tap=tap,
                tasks_done=form.cleaned_data["tasks"],
                medication=form.medication(),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except Refusal as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            tell(request, Outcome(note=_thanks(place, record)))
            return redirect("carer:my_shifts")
    return render(request, "carer/left.html", _context(place, record, form), status=400)


def _context(place: Assignment, record, form: LeftForm) -> dict[str, object]:
    return {"place": place, "shift": place.shift, "record": record, "form": form}


def _thanks(place: Assignment, record) -> str:
    tz = place.shift.circle.tz
    return _("Thank you. Your visit to %(name)s is recorded: %(arrived)s to %(left)s.") % {
        "name": place.shift.client.preferred_name,
        "arrived": timezone.localtime(record.arrived_at, tz).strftime("%H:%M"),
        "left": timezone.localtime(record.left_at, tz).strftime("%H:%M"),
    }

"""Care plans, the shifts made from them, who holds them, and every change to them.

Every rota change is made by one function of rota.services (docs/design.md, The domain API);
generation is the one other writer of shifts. What the database can hold is a constraint here too.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.constraints import choices_constraint, length_constraint
from rota.constraints import DateListField, JsonLength, PostgresExclusionConstraint, TsTzRange
from rota.recurrence import validate_rule

PERSON = settings.AUTH_USER_MODEL


# The longest one of a plan's tasks or medicines, and the reason a visit is cancelled, may be;
# and how many tasks or medicines a plan lists at most.
LINE_LIMIT = 200
CANCEL_REASON_LIMIT = 200
LINES_LIMIT = 30
# How long a carer's note on a visit may be.
VISIT_NOTE_LIMIT = 1000
# Without an arrival this long after its start, a visit is late (a plan may say otherwise).
LATE_AFTER = timedelta(minutes=15)
LATE_AFTER_ESSENTIAL = timedelta(minutes=10)


def lines_field(verbose_name, help_text) -> models.JSONField:
    """A short list a coordinator edits as lines (a plan's tasks, its medicines), kept as JSON
    so the demo's SQLite holds it too; the form bounds each line (rota.forms.LinesField)."""
    return models.JSONField(
        verbose_name=verbose_name, help_text=help_text, default=list, blank=True
    )


def at_most(field: str, limit: int, name: str, message=None) -> models.CheckConstraint:
    """A JSON list field holds a list of at most `limit` items."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(JsonLength(field), limit),
        name=name,
        violation_error_message=message,
    )


class VisitPlan(models.Model):
    """One item of a client's care plan: e.g. every day 08:00 for an hour, medication."""

    client = models.ForeignKey("people.Client", on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("what the visit is"), max_length=100)
    rrule = models.CharField(
        _("repeats"), max_length=200, validators=[validate_rule], help_text="RFC 5545 RRULE"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"))
    carers_needed = models.PositiveSmallIntegerField(_("carers needed"), default=1)
    credentials_needed = models.ManyToManyField(
        "people.CredentialType",
        verbose_name=_("checks and training needed"),
        blank=True,
        related_name="+",
    )
    essential = models.BooleanField(
        _("essential"), default=False, help_text=_("Still happens when family are visiting.")
    )
    tasks = lines_field(_("tasks"), _("What to do at the visit, one task a line."))
    medicines = lines_field(
        _("medicines"),
        _(
            "One medicine round a line, e.g. “Metformin 500 mg with breakfast”. The carer "
            "says what happened to each as they leave."
        ),
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "With nobody arrived this long after the start, the visit is late and the carer is "
            "asked. Empty: 15 minutes, or 10 for an essential visit."
        ),
    )
    skipped_dates = DateListField(
        verbose_name=_("dates skipped"),
        help_text=_("Days the visit doesn't happen: a day centre day, a hospital appointment."),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("visit plan")
        ordering = ["client", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(carers_needed__gte=1),
                name="visitplan_needs_a_carer",
                violation_error_message=_("A visit needs at least one carer."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=24 * 60),
                name="visitplan_duration_range",
                violation_error_message=_("A visit lasts between a minute and a day."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="visitplan_ends_after_start",
                violation_error_message=_("A plan cannot end before it starts."),
            ),
            at_most(
                "tasks",
                LINES_LIMIT,
                "visitplan_tasks_limit",
                _("A plan lists at most 30 tasks and 30 medicines."),
            ),
            at_most(
                "medicines",
                LINES_LIMIT,
                "visitplan_medicines_limit",
                _("A plan lists at most 30 tasks and 30 medicines."),
            ),
            models.CheckConstraint(
                condition=Q(late_after_minutes__isnull=True)
                | Q(late_after_minutes__gte=1, late_after_minutes__lte=120),
                name="visitplan_late_after_range",
                violation_error_message=_("A visit is late after between 1 and 120 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.title} at {self.start_time:%H:%M}"

    @property
    def late_after(self) -> timedelta:
        if self.late_after_minutes is not None:
            return timedelta(minutes=self.late_after_minutes)
        return LATE_AFTER_ESSENTIAL if self.essential else LATE_AFTER


class ShiftStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NOT_NEEDED = "not_needed", _("Not needed")
    CANCELLED = "cancelled", _("Cancelled")


class Shift(models.Model):
    """One concrete visit, from a plan or (for a help request) ad hoc."""

    circle = models.ForeignKey("circles.Circle", on_delete=models.PROTECT, related_name="shifts")
    client = models.ForeignKey("people.Client", on_delete=models.PROTECT, related_name="shifts")
    # Plans are ended, not deleted, once they have shifts.
    plan = models.ForeignKey(
        VisitPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="shifts"
    )
    plan_date = models.DateField(
        _("plan date"), null=True, blank=True, help_text=_("The local date the plan made it for.")
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    carers_needed = models.PositiveSmallIntegerField(_("carers needed"), default=1)
    # How many places carers rightly hold (rota.counts): kept by each change that moves it,
    # in the change's own transaction, so capacity reads it instead of working it out.
    places_held = models.PositiveSmallIntegerField(_("places held"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ShiftStatus.choices, default=ShiftStatus.PLANNED
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=CANCEL_REASON_LIMIT, blank=True)
    # Bumped on every change, so calendar apps replace their copy (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("shift")
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["circle", "start"]),
            models.Index(fields=["client", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="shift_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(carers_needed__gte=1),
                name="shift_needs_a_carer",
                violation_error_message=_("A shift needs at least one carer."),
            ),
            choices_constraint("status", ShiftStatus, "shift_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ShiftStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="shift_cancelled_has_reason",
                violation_error_message=_("A cancelled shift says why."),
            ),
            models.CheckConstraint(
                condition=Q(plan__isnull=True, plan_date__isnull=True)
                | Q(plan__isnull=False, plan_date__isnull=False),
                name="shift_plan_has_date",
            ),
            models.UniqueConstraint(fields=["plan", "start"], name="shift_one_per_plan_and_start"),
            # A plan visits once a day: a cancelled or freed visit is never brought back.
            models.UniqueConstraint(
                fields=["plan", "plan_date"], name="shift_one_per_plan_and_day"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start, self.circle.tz)
        return f"{self.client} {local:%a %d %b %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status == ShiftStatus.PLANNED

    def has_started(self, now: datetime | None = None) -> bool:
        return self.start <= (now or timezone.now())

    def credentials_needed(self) -> models.QuerySet:
        """A planned visit needs its plan's checks; an emergency visit the client's."""
        if self.plan is not None:
            return self.plan.credentials_needed.all()
        return self.client.emergency_credentials.all()

    @property
    def essential(self) -> bool:
        # A visit made for a help request is never freed by a family visit.
        return self.plan.essential if self.plan is not None else True

    @property
    def late_after(self) -> timedelta:
        return self.plan.late_after if self.plan is not None else LATE_AFTER_ESSENTIAL

    @property
    def needs_medication(self) -> bool:
        return self.plan is not None and bool(self.plan.medicines)


class ReleaseReason(models.TextChoices):
    OFFER_TAKEN = "offer_taken", _("Given away")
    SWAPPED = "swapped", _("Swapped")
    ABSENCE = "absence", _("Off (absence)")
    FAMILY_VISIT = "family_visit", _("Family visiting")
    NOT_WANTED = "not_wanted", _("Client would rather not")
    LEFT_CIRCLE = "left_circle", _("Left the circle")
    CANCELLED = "cancelled", _("Visit cancelled")
    REMOVED = "removed", _("Removed by a team leader")
    CANT_MAKE_IT = "cant_make_it", _("Couldn't make it")
    CLIENT_AWAY = "client_away", _("Client away")
    NOT_IN_PLAN = "not_in_plan", _("Not in the care plan that day")


class Assignment(models.Model):
    """A carer holding a place on a shift. Released places stay as history."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="assignments")
    carer = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="assignments")
    # Copies of the shift's times: an exclusion constraint can only see its own table.
    start = models.DateTimeField()
    end = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(
        max_length=12, choices=ReleaseReason.choices, blank=True, default=""
    )
    # Set when the visit ended with this carer on it and not arrived.
    missed = models.BooleanField(_("missed"), default=False)
    # "On my way, there in about N minutes", said when the visit was late.
    expected_at = models.DateTimeField(_("expected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["carer", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="assignment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, release_reason="")
                | (Q(released_at__isnull=False) & ~Q(release_reason="")),
                name="assignment_release_has_reason",
            ),
            choices_constraint(
                "release_reason", ReleaseReason, "assignment_release_reason_valid", blank=True
            ),
            models.UniqueConstraint(
                fields=["shift", "carer"],
                condition=Q(released_at__isnull=True),
                name="assignment_one_per_carer_and_shift",
                violation_error_message=_("This carer is already on this visit."),
            ),
            # Back-to-back is fine: ranges are half-open, [start, end).
            PostgresExclusionConstraint(
                name="assignment_no_overlap_per_carer",
                expressions=[
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                    ("carer", RangeOperators.EQUAL),
                ],
                condition=Q(released_at__isnull=True),
                violation_error_message=_("This carer is already on another visit at that time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carer} on {self.shift}"

    @property
    def is_held(self) -> bool:
        return self.released_at is None


class AbsenceKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    SICK = "sick", _("Sick")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Absence(models.Model):
    carer = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=10, choices=AbsenceKind.choices)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    released = models.ManyToManyField(Assignment, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("absence")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="absence_ends_after_start",
                violation_error_message=_("An absence must end after it starts."),
            ),
            choices_constraint("kind", AbsenceKind, "absence_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.carer}: {self.get_kind_display()}"


# The longest a carer may say they are running low for, in days: long enough for a hard
# month, short enough that it is looked at again.
RUNNING_LOW_MAX_DAYS = 28


class RunningLow(models.Model):
    """A carer saying, privately, that they are running low on these days (both included, in
    their circles' time): they are asked for cover last, and one team leader hears, once, so
    someone can check in (rota.services.running_low). Nobody else: no board, page or trail
    shows it."""

    carer = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="running_low")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("running low")
        verbose_name_plural = _("running low")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="runninglow_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carer}: {self.first_day} to {self.last_day}"


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TAKEN = "taken", _("Taken")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class Offer(models.Model):
    """A carer giving a shift away to the circle; it stays theirs until someone takes it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="offers")
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)
    taken_as = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="from_offer"
    )

    class Meta:
        verbose_name = _("offer")
        ordering = ["-created_at"]
        constraints = [
            choices_constraint("status", OfferStatus, "offer_status_valid"),
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status=OfferStatus.OPEN),
                name="offer_one_open_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(status=OfferStatus.TAKEN, taken_as__isnull=False)
                | (~Q(status=OfferStatus.TAKEN) & Q(taken_as__isnull=True)),
                name="offer_taken_names_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.assignment}"


class SwapStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class Swap(models.Model):
    """Carer A offers their shift X for carer B's shift Y."""

    offered = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="swaps_offered")
    wanted = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="swaps_wanted")
    status = models.CharField(
        max_length=10, choices=SwapStatus.choices, default=SwapStatus.PROPOSED
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("swap")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(offered=F("wanted")), name="swap_two_assignments"),
            choices_constraint("status", SwapStatus, "swap_status_valid"),
            # One open proposal per visit, on either side: a carer asks one colleague at a
            # time for their visit, and a visit is asked for by one colleague at a time.
            models.UniqueConstraint(
                fields=["offered"],
                condition=Q(status=SwapStatus.PROPOSED),
                name="swap_one_open_per_offered",
            ),
            models.UniqueConstraint(
                fields=["wanted"],
                condition=Q(status=SwapStatus.PROPOSED),
                name="swap_one_open_per_wanted",
            ),
        ]

    def __str__(self) -> str:
        return f"Swap {self.offered} for {self.wanted}"


def frees(start: datetime, end: datetime, now: datetime) -> Q:
    """The visits a family visit from start to end frees: planned, not essential, wholly
    inside the window and not yet started. Recording it, the family's preview and generation
    (for visits made later inside it) all ask the same."""
    return Q(
        status=ShiftStatus.PLANNED,
        plan__essential=False,
        start__gte=start,
        end__lte=end,
        start__gt=now,
    )


def away_frees(start: datetime, end: datetime, now: datetime) -> Q:
    """The visits a client away from start to end frees: planned, essential or not, starting
    inside the window and not yet started (a visit that starts before the client leaves still
    happens). Recording it and generation (for visits made later inside it) ask the same."""
    return Q(status=ShiftStatus.PLANNED, start__gte=start, start__lt=end, start__gt=now)


class FamilyVisitStatus(models.TextChoices):
    ACTIVE = "active", _("Planned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FamilyVisit(models.Model):
    """A family carer with the client: non-essential visits inside the window are freed."""

    family_member = models.ForeignKey(
        PERSON, on_delete=models.PROTECT, related_name="family_visits"
    )
    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="family_visits"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    status = models.CharField(
        max_length=10, choices=FamilyVisitStatus.choices, default=FamilyVisitStatus.ACTIVE
    )
    freed_shifts = models.ManyToManyField(Shift, blank=True, related_name="freed_by")
    released = models.ManyToManyField(Assignment, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("family visit")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="familyvisit_ends_after_start",
                violation_error_message=_("A visit must end after it starts."),
            ),
            choices_constraint("status", FamilyVisitStatus, "familyvisit_status_valid"),
            # A double submit of "I'll be with Mum" records it once.
            models.UniqueConstraint(
                fields=["family_member", "client", "start", "end"],
                condition=Q(status=FamilyVisitStatus.ACTIVE),
                name="familyvisit_once_per_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_member} with {self.client}"


class HelpStatus(models.TextChoices):
    ASKED = "asked", _("Asking carers")
    ACCEPTED = "accepted", _("A carer is on the way")
    ESCALATED = "escalated", _("Team leaders alerted")
    ACKNOWLEDGED = "acknowledged", _("A team leader is on it")
    CANCELLED = "cancelled", _("Cancelled")


class HelpRequest(models.Model):
    """“Needs help now” for a client: an ad-hoc shift from now, first carer to accept gets it."""

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="help_requests"
    )
    shift = models.OneToOneField(Shift, on_delete=models.PROTECT, related_name="help_request")
    raised_by = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=HelpStatus.choices, default=HelpStatus.ASKED)
    raised_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the carer who accepted said they would be there ("in about 20 minutes"), if they did.
    expected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        ordering = ["-raised_at"]
        constraints = [
            choices_constraint("status", HelpStatus, "helprequest_status_valid"),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(
                    status__in=[HelpStatus.ASKED, HelpStatus.ESCALATED, HelpStatus.ACKNOWLEDGED]
                ),
                name="helprequest_one_open_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"Help for {self.client} at {self.raised_at:%H:%M}"


class VisitRecord(models.Model):
    """What happened at one carer's visit: when they arrived and left (kept beside the planned
    times), the plan's tasks done, each medicine round's outcome and a short note.

    A tap made offline carries an id made on the phone and the phone's time: sent again, it
    finds its record by that id and changes nothing."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="record")
    arrived_at = models.DateTimeField(_("arrived"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    arrival_tap = models.UUIDField(null=True, blank=True, unique=True)
    leaving_tap = models.UUIDField(null=True, blank=True, unique=True)
    tasks_done = models.JSONField(default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=VISIT_NOTE_LIMIT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("visit record")
        ordering = ["arrived_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gt=F("arrived_at")),
                name="visitrecord_left_after_arriving",
                violation_error_message=_("You can't leave before you arrived."),
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=False) | Q(leaving_tap__isnull=True),
                name="visitrecord_leaving_tap_has_time",
            ),
            at_most("tasks_done", LINES_LIMIT, "visitrecord_tasks_limit"),
            length_constraint("note", VISIT_NOTE_LIMIT, "visitrecord_note_length"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: arrived {self.arrived_at:%H:%M}"


class MedicationOutcome(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    NOT_GIVEN = "not_given", _("Not given")


class MedicationRound(models.Model):
    """One medicine round of a visit that needs medication, and what happened."""

    record = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="medication")
    medicine = models.CharField(_("medicine"), max_length=LINE_LIMIT)
    outcome = models.CharField(_("outcome"), max_length=10, choices=MedicationOutcome.choices)
    reason = models.CharField(_("why not given"), max_length=LINE_LIMIT, blank=True)

    class Meta:
        verbose_name = _("medicine round")
        ordering = ["record", "id"]
        constraints = [
            choices_constraint("outcome", MedicationOutcome, "medicationround_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(outcome=MedicationOutcome.NOT_GIVEN) | ~Q(reason=""),
                name="medicationround_not_given_says_why",
                violation_error_message=_("Say why a medicine was not given."),
            ),
            models.UniqueConstraint(
                fields=["record", "medicine"], name="medicationround_once_per_medicine"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine}: {self.get_outcome_display()}"


class AwayReason(models.TextChoices):
    HOSPITAL = "hospital", _("In hospital")
    RESPITE = "respite", _("Respite care")
    HOLIDAY = "holiday", _("On holiday")
    OTHER = "other", _("Away")


class ClientAway(models.Model):
    """A client away from home (hospital, respite, a holiday with family): every visit in the
    window is not needed, essential ones too, and their carers are freed."""

    client = models.ForeignKey("people.Client", on_delete=models.CASCADE, related_name="aways")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("where"), max_length=10, choices=AwayReason.choices)
    freed_shifts = models.ManyToManyField(Shift, blank=True, related_name="freed_by_away")
    released = models.ManyToManyField(Assignment, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the client came back before the end first said (`end` is then the return).
    ended_early_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("client away")
        verbose_name_plural = _("clients away")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="clientaway_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            choices_constraint("reason", AwayReason, "clientaway_reason_valid"),
            # A client is away once at a time: a second window over the first is a change to it.
            PostgresExclusionConstraint(
                name="clientaway_no_overlap_per_client",
                expressions=[
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                    ("client", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Already away at some of that time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} away ({self.get_reason_display()})"


class LateStep(models.TextChoices):
    """What a visit nobody has arrived at goes through, in order (rota.lateness)."""

    CARER_ASKED = "carer_asked", _("Carer asked if they are on their way")
    CIRCLE_ASKED = "circle_asked", _("Circle asked to help")
    LEADERS_ALERTED = "leaders_alerted", _("Team leaders alerted")
    MISSED = "missed", _("Missed")


class LateVisitStep(models.Model):
    """One step taken for a late visit; each step is taken once per visit, however many
    sweeps run at the same moment."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="late_steps")
    step = models.CharField(max_length=16, choices=LateStep.choices)
    at = models.DateTimeField(default=timezone.now)
    # The call for help the circle was asked with, at that step.
    help_request = models.OneToOneField(
        HelpRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="late_step"
    )

    class Meta:
        verbose_name = _("late visit step")
        ordering = ["at", "id"]
        constraints = [
            choices_constraint("step", LateStep, "latevisitstep_step_valid"),
            models.UniqueConstraint(fields=["shift", "step"], name="latevisitstep_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.shift}: {self.get_step_display()}"


class Thanks(models.Model):
    """A thank-you in a line for a carer's visit, from the client, whoever speaks for them, a
    fellow carer or a team leader of the circle. The carer sees it; the circle sees it only
    if the carer lets it (`shared`). Counted nowhere: it is said, not scored."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="thanks")
    author = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="thanks_given")
    message = models.CharField(_("thank you"), max_length=LINE_LIMIT)
    at = models.DateTimeField(default=timezone.now)
    # The carer's own choice; until they make it, only they see it.
    shared = models.BooleanField(_("the circle sees it"), default=False)

    class Meta:
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["assignment", "at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="thanks_message_not_empty"),
            length_constraint("message", LINE_LIMIT, "thanks_message_length"),
            # A person thanks a carer for one visit once.
            models.UniqueConstraint(
                fields=["assignment", "author"], name="thanks_once_per_author_and_place"
            ),
        ]

    def __str__(self) -> str:
        return f"Thanks for {self.assignment}"


class NewFaceStatus(models.TextChoices):
    ASKED = "asked", _("Asked")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")


class NewFaceRequest(models.Model):
    """A carer new to a client asked to take one of their visits past the client's new-face
    limit, when the client chose to be asked first (people.NewFaces.ASK_FIRST): the claim
    waits for the client's answer instead of being refused (rota.services.new_faces).

    `swap` is the swap that waits on the answer, when the carer is swapping into the visit.
    Asked, then approved (and the carer placed), declined, or lapsed: the visit started, the
    place was taken meanwhile, or another rule stopped it by the time the client answered
    (`closed_reason` says which, in words)."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="new_face_requests")
    carer = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="new_face_requests")
    swap = models.ForeignKey(
        Swap, on_delete=models.PROTECT, null=True, blank=True, related_name="new_face_requests"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=8, choices=NewFaceStatus.choices, default=NewFaceStatus.ASKED
    )
    decided_by = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("new carer asked about")
        ordering = ["asked_at", "pk"]
        constraints = [
            choices_constraint("status", NewFaceStatus, "newfacerequest_status_valid"),
            # The client is asked once about a carer for a visit while the question is open.
            models.UniqueConstraint(
                fields=["shift", "carer"],
                condition=Q(status=NewFaceStatus.ASKED),
                name="newfacerequest_one_open_per_shift_and_carer",
            ),
            # An open question has no answer yet; every other has its moment.
            models.CheckConstraint(
                condition=Q(status=NewFaceStatus.ASKED, decided_at__isnull=True)
                | (~Q(status=NewFaceStatus.ASKED) & Q(decided_at__isnull=False)),
                name="newfacerequest_decided_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"New face {self.carer_id} for {self.shift_id}: {self.status}"


class Action(models.TextChoices):
    """What an audit event records: each rota service's change (a client's likes and wishes
    and a circle's thresholds too), and the few changes made elsewhere (generation, a plan
    changed, an unanswered call for help, a new face welcomed, the demo set up). The trail
    (circles.trail) has a sentence and the fan-out (circles.fanout) a decision for every one,
    so a new action must be given both."""

    CLAIM = "claim", _("Took a visit that needed cover")
    CLAIM_EVERY_WEEK = "claim_every_week", _("Took a visit every week")
    ASSIGN = "assign", _("Put a carer on a visit")
    OFFER = "offer", _("Gave a visit away")
    TAKE_OFFER = "take_offer", _("Took a visit someone gave away")
    WITHDRAW_OFFER = "withdraw_offer", _("Kept a visit after giving it away")
    CANCEL_SHIFT = "cancel_shift", _("Cancelled a visit")
    PROPOSE_SWAP = "propose_swap", _("Asked to swap visits")
    ACCEPT_SWAP = "accept_swap", _("Accepted a swap")
    DECLINE_SWAP = "decline_swap", _("Declined a swap")
    WITHDRAW_SWAP = "withdraw_swap", _("Withdrew a swap request")
    RECORD_ABSENCE = "record_absence", _("Recorded time off")
    END_ABSENCE = "end_absence", _("Changed when time off ends")
    END_ABSENCE_EARLY = "end_absence_early", _("Back early from time off")
    DECLINE_CARER = "decline_carer", _("Would rather not have a carer")
    END_MEMBERSHIP = "end_membership", _("Left the circle")
    RECORD_FAMILY_VISIT = "record_family_visit", _("Family will be with a client")
    WITHDRAW_FAMILY_VISIT = "withdraw_family_visit", _("Family won't be with a client after all")
    RAISE_HELP_REQUEST = "raise_help_request", _("Asked for help now")
    ACCEPT_HELP_REQUEST = "accept_help_request", _("Answered a call for help")
    ACKNOWLEDGE_HELP_REQUEST = "acknowledge_help_request", _("Dealing with a call for help")
    ESCALATE_HELP_REQUEST = "escalate_help_request", _("A call for help went to the team leaders")
    CANCEL_HELP_REQUEST = "cancel_help_request", _("Cancelled a call for help")
    GENERATE_SHIFTS = "generate_shifts", _("Added visits to the rota")
    FREE_FOR_FAMILY_VISIT = (
        "free_for_family_visit",
        _("Visits added to the rota not needed: family will be there"),
    )
    CHANGE_PLAN = "change_plan", _("Changed a care plan")
    APPROVE_CARER = "approve_carer", _("Said a new carer is welcome")
    EDIT_PROFILE = "edit_profile", _("Changed a client's likes and wishes")
    PREFER_CARER = "prefer_carer", _("Would rather have a carer")
    CLEAR_CARER_WISH = "clear_carer_wish", _("No longer minds which way about a carer")
    SET_THRESHOLDS = "set_thresholds", _("Changed when a circle's team leaders are alerted")
    SET_NEW_FACE_LIMIT = "set_new_face_limit", _("Changed how many new carers a client meets")
    ARRIVE = "arrive", _("Arrived at a visit")
    LEAVE = "leave", _("Left a visit, saying what was done")
    ON_MY_WAY = "on_my_way", _("Said they are on their way to a late visit")
    CANT_MAKE_IT = "cant_make_it", _("Couldn't make a visit")
    VISIT_LATE = "visit_late", _("A visit was late")
    VISIT_MISSED = "visit_missed", _("A visit was missed")
    RECORD_CLIENT_AWAY = "record_client_away", _("A client is away")
    END_CLIENT_AWAY = "end_client_away", _("A client is back early")
    FREE_FOR_CLIENT_AWAY = (
        "free_for_client_away",
        _("Visits added to the rota not needed: the client is away"),
    )
    THANK = "thank", _("Thanked a carer for a visit")
    SHARE_THANKS = "share_thanks", _("Chose whether the circle sees a thank-you")
    SHARE_CHECK_INS = (
        "share_check_ins",
        _("Chose whether the team leaders see the circle's monthly check-in"),
    )
    ASK_NEW_FACE = "ask_new_face", _("Asked a client about a carer new to them")
    APPROVE_NEW_FACE = "approve_new_face", _("Said yes to a carer new to them")
    DECLINE_NEW_FACE = "decline_new_face", _("Said no to a carer new to them")
    SEED_DEMO = "seed_demo", _("Set up the demo")


class AuditEvent(models.Model):
    """Append-only record of a rota change. On PostgreSQL a trigger refuses UPDATE and DELETE.

    The people and things concerned are plain ids, not foreign keys, so that erasing a
    person never cascades into (or is blocked by) the trail; names are resolved on reading.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="None = the system")
    action = models.CharField(max_length=40, choices=Action.choices)
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField(null=True, blank=True)
    circle_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    carer_ids = models.JSONField(default=list, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        ordering = ["-at", "-id"]
        constraints = [
            choices_constraint("action", Action, "auditevent_action_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type} {self.subject_id}"


class OutboxMessage(models.Model):
    """Follow-up work of a rota change, written in the change's own transaction.

    It is sent to Celery after commit and stays pending until the task has run (`done_at`):
    what a crash, a down broker, a broker that lost its queue or a killed worker left
    undone is sent again by the periodic relay, so no follow-up is lost and no request
    waits on Redis.
    """

    task = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # When it was last handed to the broker, and when its task finished.
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(done_at__isnull=True), name="outbox_not_done"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}({self.kwargs})"

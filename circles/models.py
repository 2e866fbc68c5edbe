"""Organisations, circles and who belongs to them in which role."""

import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.validators import validate_timezone
from people.constraints import choices_constraint, length_constraint


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CircleState(models.TextChoices):
    """How a circle is coping with its cover over the next 14 days, best first."""

    OK = "ok", _("Coping")
    STRAINED = "strained", _("Strained")
    NOT_COPING = "not_coping", _("Not coping")

    @property
    def severity(self) -> int:
        return list(CircleState).index(self)


class Circle(models.Model):
    """Three or four clients and the ten or twelve carers who look after all of them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="circles")
    name = models.CharField(_("name"), max_length=150)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/London", validators=[validate_timezone]
    )
    # Thresholds over the next 14 days: the share of carer places filled below which the
    # circle is strained or not coping, and how close an essential gap must be to count.
    strained_below_percent = models.PositiveSmallIntegerField(
        _("strained below (% filled)"), default=95
    )
    not_coping_below_percent = models.PositiveSmallIntegerField(
        _("not coping below (% filled)"), default=85
    )
    essential_gap_hours = models.PositiveSmallIntegerField(
        _("an essential visit without a carer this close is not coping (hours)"), default=48
    )
    # The state last judged by circles.alerts.check_circle, and since when.
    state = models.CharField(
        _("state"), max_length=12, choices=CircleState.choices, default=CircleState.OK
    )
    state_changed_at = models.DateTimeField(_("state since"), null=True, blank=True)
    # The circle's own choice, made by its carers (rota.services.share_check_ins): whether
    # its team leaders see the monthly check-in's figures. Off, they see them only after a
    # sharp fall (circles.checkins).
    check_ins_shared = models.BooleanField(
        _("the team leaders see the monthly check-in"), default=False
    )
    # The forecast crossing its team leaders were last warned of (circles.alerts.warn_early):
    # the day and the state; empty when there is none to warn of.
    warned_crossing_at = models.DateField(_("early warning for"), null=True, blank=True)
    warned_state = models.CharField(
        _("early warning of"), max_length=12, choices=CircleState.choices, blank=True
    )

    class Meta:
        verbose_name = _("circle")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="circle_unique_name"),
            choices_constraint("state", CircleState, "circle_state_valid"),
            models.CheckConstraint(
                condition=Q(strained_below_percent__lte=100)
                & Q(not_coping_below_percent__lte=F("strained_below_percent")),
                name="circle_thresholds_ordered",
                violation_error_message=_(
                    "“Not coping” must be at or below “strained”, and neither above 100 %%."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Role(models.TextChoices):
    CARER = "carer", _("Carer")
    FAMILY = "family", _("Family")
    TEAM_LEADER = "team_leader", _("Team leader")


class MembershipQuerySet(models.QuerySet["Membership"]):
    """Which memberships count: the one definition of "a current member"."""

    def current(self, on: date | None = None) -> "MembershipQuerySet":
        """Memberships in force on `on` (today by default): started on or before that day
        and not ended by it. A member leaving on a day is no longer one that day
        (rota.services.end_membership releases their visits from it); one joining next
        month is not a member yet, and may see and do nothing in the circle until then."""
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )

    def during(self, first_day: date, last_day: date) -> "MembershipQuerySet":
        """Memberships in force on at least one day from `first_day` to `last_day`, both
        included: `current` over a window (a circle's hours over a fortnight)."""
        return self.filter(started_on__lte=last_day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=first_day)
        )


class Membership(models.Model):
    """A person's role in a circle. A family membership names the client it is for.

    It is in force from `started_on` until the day before `ended_on`: ask
    `Membership.objects.current()` for today's members, never the dates themselves.
    """

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    client = models.ForeignKey(
        "people.Client",
        verbose_name=_("family of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_memberships",
    )
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        ordering = ["circle", "role", "person"]
        constraints = [
            choices_constraint("role", Role, "membership_role_valid"),
            models.CheckConstraint(
                condition=Q(role=Role.FAMILY, client__isnull=False)
                | (~Q(role=Role.FAMILY) & Q(client__isnull=True)),
                name="membership_family_names_client",
                violation_error_message=_(
                    "A family member is family of one client; others of none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["circle", "person", "role"],
                condition=Q(client__isnull=True),
                name="membership_one_role_per_circle",
            ),
            models.UniqueConstraint(
                fields=["person", "client"],
                condition=Q(client__isnull=False),
                name="membership_family_once_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} in {self.circle}"

    @staticmethod
    def in_force(day: date, started_on: date, ended_on: date | None) -> bool:
        """`MembershipQuerySet.current` for dates already read: whether a membership from
        `started_on` until `ended_on` counts on `day` (the rules ask it per visit date)."""
        return started_on <= day and (ended_on is None or ended_on > day)

    def clean(self) -> None:
        if self.client is not None and self.circle_id and self.client.circle_id != self.circle_id:
            raise ValidationError({"client": _("That client belongs to another circle.")})


class StateChange(models.Model):
    """A circle crossing from one state to another: the only thing team leaders hear of,
    and only when it is worse, or back to coping (docs/design.md, Who hears what)."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(max_length=12, choices=CircleState.choices)
    to_state = models.CharField(max_length=12, choices=CircleState.choices)
    at = models.DateTimeField(default=timezone.now)
    slots_needed = models.PositiveIntegerField(default=0)
    slots_filled = models.PositiveIntegerField(default=0)
    # Set by a conditional update when the alert goes out, so a retry never sends it twice.
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("change of state")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_state=F("to_state")), name="statechange_is_a_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle}: {self.from_state} → {self.to_state}"


class NotificationKind(models.TextChoices):
    CIRCLE_WORSE = "circle_worse", _("A circle's cover got worse")
    CIRCLE_RECOVERED = "circle_recovered", _("A circle is coping again")
    THRESHOLDS_CHANGED = "thresholds_changed", _("A circle's alert thresholds changed")
    HELP_ESCALATED = "help_escalated", _("A call for help was not answered")
    HELP_NEEDED = "help_needed", _("Someone needs help now")
    NEEDS_COVER = "needs_cover", _("A visit you could take needs cover")
    SWAP_OFFERED = "swap_offered", _("A swap is offered to you")
    SHIFT_CHANGED = "shift_changed", _("One of your visits changed")
    VISIT_CHANGED = "visit_changed", _("A visit changed")
    UNFAMILIAR_CARER = "unfamiliar_carer", _("Someone new is coming")
    OFFER_UNTAKEN = "offer_untaken", _("Nobody has taken your offered visit yet")
    CREDENTIAL_EXPIRING = "credential_expiring", _("A check or training expires soon")
    VISITS_TOMORROW = "visits_tomorrow", _("Your visits tomorrow")
    VISIT_SOON = "visit_soon", _("Your next visit is in an hour")
    THANKED = "thanked", _("Someone thanked you")
    CHECK_IN_ASKED = "check_in_asked", _("The circle's monthly check-in")
    CHECK_IN_FELL = "check_in_fell", _("A circle says it is coping much less well")
    RUNNING_LOW = "running_low", _("A carer is running low")
    EARLY_WARNING = "early_warning", _("A circle's cover is likely to get worse")


class Topic(models.TextChoices):
    """The kinds of message as a person thinks of them, when choosing how each reaches them.
    Every NotificationKind belongs to one (circles.channels.TOPIC_OF)."""

    HELP = "help", _("Calls for help")
    COVER = "cover", _("Visits needing cover")
    SWAPS = "swaps", _("Swaps")
    MY_VISITS = "my_visits", _("Changes to visits")
    REMINDERS = "reminders", _("Reminders before my visits")
    ALERTS = "alerts", _("Circle alerts")
    CHECKS = "checks", _("Checks and training running out")
    CHECK_IN = "check_in", _("The circle's monthly check-in")


class Notification(models.Model):
    """One message to one person: shown in the app, and sent by email or push as they chose.

    `key` names what it is about (e.g. "state-change:12"): one notification per person per
    key, so a task that runs twice creates nothing twice. Each channel is claimed by a
    conditional update before sending (`email_claimed_at`, `push_claimed_at`) and marked
    sent after (`emailed_at`, `pushed_at`): a worker killed mid-send leaves a claim that
    expires and is sent again, so nothing is lost, and nothing is sent twice in practice.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    push_claimed_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"]),
            # The unread count on every page: only the few unread rows are indexed.
            models.Index(
                fields=["person"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="notification_once_per_key"),
            choices_constraint("kind", NotificationKind, "notification_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"


class ChannelChoice(models.Model):
    """How one person takes one topic's messages beyond the app, where they changed it from
    the topic's default (circles.channels.DEFAULTS). No row: the default.

    A row per chosen topic, not columns on Person: the topics belong with the kinds of
    message up here in circles, and a new topic needs no change to every person.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_choices"
    )
    topic = models.CharField(max_length=12, choices=Topic.choices)
    email = models.BooleanField(_("email"))
    push = models.BooleanField(_("phone"))

    class Meta:
        verbose_name = _("choice of channels")
        verbose_name_plural = _("choices of channels")
        constraints = [
            models.UniqueConstraint(fields=["person", "topic"], name="channelchoice_one_per_topic"),
            choices_constraint("topic", Topic, "channelchoice_topic_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_topic_display()}"


# The check-in's scale, 1 to 5, for both questions.
CHECK_IN_LOWEST, CHECK_IN_HIGHEST = 1, 5
# "One thing to change": a line.
CHECK_IN_CHANGE_LIMIT = 200


class CheckIn(models.Model):
    """One carer's answers to their circle's monthly check-in (circles.checkins): how the
    circle is coping and how they are, each 1 to 5, and one thing they would change.

    `person` is kept only so that nobody answers twice in a month; nothing shows it, and
    once the month is over it is forgotten (set to nothing), so the answers of past months
    belong to nobody. No time is kept either: only the month.
    """

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The first day of the month, in the circle's time zone.
    month = models.DateField(_("month"))
    coping = models.PositiveSmallIntegerField(_("how the circle is coping"))
    me = models.PositiveSmallIntegerField(_("how you are"))
    change = models.CharField(
        _("one thing to change"), max_length=CHECK_IN_CHANGE_LIMIT, blank=True
    )

    class Meta:
        verbose_name = _("check-in")
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "person", "month"], name="checkin_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(coping__gte=CHECK_IN_LOWEST, coping__lte=CHECK_IN_HIGHEST)
                & Q(me__gte=CHECK_IN_LOWEST, me__lte=CHECK_IN_HIGHEST),
                name="checkin_answers_on_the_scale",
            ),
            length_constraint("change", CHECK_IN_CHANGE_LIMIT, "checkin_change_is_a_line"),
        ]

    def __str__(self) -> str:
        return f"{self.circle}, {self.month:%Y-%m}"

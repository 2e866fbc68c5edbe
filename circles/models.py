"""Organisations, circles and who belongs to them in which role."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.validators import validate_timezone


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        verbose_name = _("circle")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="circle_unique_name"),
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


class Membership(models.Model):
    """A person's role in a circle. A family membership names the client it is for."""

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

    class Meta:
        verbose_name = _("membership")
        ordering = ["circle", "role", "person"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
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

    def clean(self) -> None:
        if self.client_id and self.circle_id and self.client.circle_id != self.circle_id:
            raise ValidationError({"client": _("That client belongs to another circle.")})

"""Persons, what kind of carer they are, their checks and training, and clients' profiles."""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.constraints import choices_constraint, length_constraint


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "Person":
        if not email:
            raise ValueError("A person needs an email address to sign in.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Person":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg"


class Person(AbstractBaseUser, PermissionsMixin):
    """A log-in. One person may be a carer in one circle, family in another, and so on."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    short_name = models.CharField(
        _("name to greet them by"), max_length=60, blank=True, help_text=_("Usually a first name.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    organisation = models.ForeignKey(
        "circles.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("Staff with an organisation are its coordinators in the admin."),
    )
    # Nothing routine in their quiet hours; urgent messages ignore them. Which kinds of message
    # also come by email and to their phone is their choice per topic (circles.channels).
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    # The secret in this person's calendar feed address; a new one revokes the old address.
    feed_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    is_staff = models.BooleanField(_("can use the admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            choices_constraint("language", Language, "person_language_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.short_name or self.full_name.split(" ")[0]

    @property
    def initials(self) -> str:
        """What stands in for a photo: "AP" for Ana Price, "C" for Cat."""
        words = self.full_name.split() or [self.email]
        first, last = words[0], words[-1]
        return (first[0] + (last[0] if len(words) > 1 else "")).upper()

    @property
    def is_coordinator(self) -> bool:
        """Staff who belong to an organisation manage that organisation, and only it."""
        return self.is_staff and not self.is_superuser and self.organisation_id is not None


class CarerKind(models.TextChoices):
    COUNCIL = "council", _("Council home-care worker")
    AGENCY = "agency", _("Agency worker")
    DIRECT = "direct", _("Employed by the client")
    INFORMAL = "informal", _("Family, friend or neighbour (unpaid)")


PAID_KINDS = (CarerKind.COUNCIL, CarerKind.AGENCY, CarerKind.DIRECT)
DEFAULT_WEEKLY_LIMIT_HOURS = 48


class Employer(models.Model):
    """Who pays a paid carer, for the payroll export."""

    organisation = models.ForeignKey(
        "circles.Organisation", on_delete=models.CASCADE, related_name="employers"
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("employer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="employer_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


# Two short lines a carer writes about themselves, for the clients and families they visit.
ABOUT_MAX_CHARS = 200
# The most a carer's own "enough" may say: every evening of a week, two weekend visits a day.
ENOUGH_EVENINGS_MAX = 7
ENOUGH_WEEKENDS_MAX = 14


class CarerProfile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="carer_profile")
    kind = models.CharField(_("kind of carer"), max_length=10, choices=CarerKind.choices)
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carers",
        help_text=_("Paid carers only."),
    )
    weekly_limit_hours = models.DecimalField(
        _("most hours a week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Leave empty for the usual 48 hours (paid) or no limit (unpaid)."),
    )
    # In the default storage (MEDIA_ROOT), a new name for each photo (people/photos.py).
    # Shown to the carer's colleagues, team leaders, clients and families only through a
    # page that checks who asks (web/account/photos.py), never at a public address, never
    # in a calendar feed.
    photo = models.ImageField(_("photo"), upload_to="carers/", max_length=200, blank=True)
    about = models.CharField(
        _("about me"),
        max_length=ABOUT_MAX_CHARS,
        blank=True,
        help_text=_("Two short lines for the people you visit."),
    )
    # The carer's own "enough", set by them on their settings page (rota.services.set_enough):
    # at most this many evenings, and this many weekend visits, in a week (empty: no limit).
    # The rule `enough` (rota.rules) holds them to it; evenings and weekends are as
    # rota.times_of_day says.
    enough_evenings = models.PositiveSmallIntegerField(
        _("evenings a week that are enough for me"), null=True, blank=True
    )
    enough_weekends = models.PositiveSmallIntegerField(
        _("weekend visits a week that are enough for me"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("carer profile")
        constraints = [
            choices_constraint("kind", CarerKind, "carerprofile_kind_valid"),
            # Paid carers have an employer for payroll; unpaid carers have none.
            models.CheckConstraint(
                condition=(Q(kind=CarerKind.INFORMAL, employer__isnull=True))
                | (~Q(kind=CarerKind.INFORMAL) & Q(employer__isnull=False)),
                name="carerprofile_employer_iff_paid",
                violation_error_message=_("Paid carers need an employer; unpaid carers have none."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_limit_hours__isnull=True)
                | Q(weekly_limit_hours__gt=0, weekly_limit_hours__lte=168),
                name="carerprofile_weekly_limit_range",
                violation_error_message=_("A week's limit is between 0 and 168 hours."),
            ),
            models.CheckConstraint(
                condition=Q(enough_evenings__isnull=True)
                | Q(enough_evenings__gte=0, enough_evenings__lte=ENOUGH_EVENINGS_MAX),
                name="carerprofile_enough_evenings_range",
            ),
            models.CheckConstraint(
                condition=Q(enough_weekends__isnull=True)
                | Q(enough_weekends__gte=0, enough_weekends__lte=ENOUGH_WEEKENDS_MAX),
                name="carerprofile_enough_weekends_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"

    @property
    def is_paid(self) -> bool:
        return self.kind != CarerKind.INFORMAL

    @property
    def photo_version(self) -> str:
        """Part of the photo's address that changes when the photo does: its file's name."""
        return self.photo.name.rsplit("/", 1)[-1].split(".")[0] if self.photo else ""

    @property
    def weekly_limit(self) -> float | None:
        """The hours a week this carer may work, or None when unlimited."""
        if self.weekly_limit_hours is not None:
            return float(self.weekly_limit_hours)
        return DEFAULT_WEEKLY_LIMIT_HOURS if self.is_paid else None


class CredentialType(models.Model):
    """A check or a piece of training: DBS check, moving and handling, medication..."""

    # The criminal record check every carer who goes into someone's home should hold.
    DBS = "dbs"

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("kind of check or training")
        verbose_name_plural = _("kinds of check or training")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Credential(models.Model):
    """A check or training a person holds; it counts up to and including `valid_until`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credentials")
    type = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="held")
    valid_until = models.DateField(_("valid until"))
    reference = models.CharField(_("certificate or reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("check or training held")
        verbose_name_plural = _("checks and training held")
        ordering = ["person", "type", "-valid_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "type", "valid_until"], name="credential_unique_per_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} until {self.valid_until:%d %b %Y}"

    def counts_on(self, day: date) -> bool:
        return day <= self.valid_until


# The longest each of a client's free texts may be, in characters.
CLIENT_TEXT_LIMITS = {
    "address": 500,
    "access_notes": 1000,
    "who_to_phone": 500,
    "what_matters": 2000,
    "likes": 1000,
    "dislikes": 1000,
    "likes_to_give": 1000,
}


class NewFaces(models.TextChoices):
    """What happens when a carer new to a client would go past the client's new-face limit."""

    REFUSE = "refuse", _("Say no")
    ASK_FIRST = "ask_first", _("Ask me first")


# A client accepts at most this many new carers a month: a circle has 10-12 carers, so a
# higher figure would be no limit at all.
NEW_FACE_LIMIT_MAX = 20


class Client(models.Model):
    """A person the circle looks after, and what they want others to know about them."""

    circle = models.ForeignKey("circles.Circle", on_delete=models.PROTECT, related_name="clients")
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_name = models.CharField(
        _("likes to be called"), max_length=60, help_text=_("Shown in calendar feeds.")
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("their own log-in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_profile",
    )
    representative = models.ForeignKey(
        Person,
        verbose_name=_("representative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="represents",
        help_text=_("A family member who may act for them."),
    )
    # Free text has room for what a person needs to say, and no more: a page that shows it
    # stays readable, and a pasted book is refused in words (people.constraints).
    address = models.TextField(_("address"), max_length=CLIENT_TEXT_LIMITS["address"])
    access_notes = models.TextField(
        _("getting in"),
        blank=True,
        max_length=CLIENT_TEXT_LIMITS["access_notes"],
        help_text=_("Key safe, parking."),
    )
    who_to_phone = models.TextField(
        _("who to phone"), blank=True, max_length=CLIENT_TEXT_LIMITS["who_to_phone"]
    )
    what_matters = models.TextField(
        _("what matters to me"), blank=True, max_length=CLIENT_TEXT_LIMITS["what_matters"]
    )
    likes = models.TextField(_("likes"), blank=True, max_length=CLIENT_TEXT_LIMITS["likes"])
    dislikes = models.TextField(
        _("dislikes"), blank=True, max_length=CLIENT_TEXT_LIMITS["dislikes"]
    )
    likes_to_give = models.TextField(
        _("what I like to give"), blank=True, max_length=CLIENT_TEXT_LIMITS["likes_to_give"]
    )
    emergency_credentials = models.ManyToManyField(
        CredentialType,
        verbose_name=_("checks needed for an emergency visit"),
        blank=True,
        related_name="+",
    )
    # Carers' notes on visits are the client's: family read them unless the client (or their
    # representative) says not.
    family_read_notes = models.BooleanField(_("family can read carers' notes"), default=True)
    # How many carers new to them the client meets in a calendar month (none = no limit), and
    # what happens to one more: refused, or the client is asked first (rota.rules, new_face).
    new_face_limit = models.PositiveSmallIntegerField(
        _("new carers a month"), null=True, blank=True
    )
    new_faces_past_limit = models.CharField(
        _("past that"), max_length=10, choices=NewFaces.choices, default=NewFaces.REFUSE
    )

    class Meta:
        verbose_name = _("client")
        ordering = ["full_name"]
        constraints = [
            *(
                length_constraint(field, limit, f"client_{field}_length")
                for field, limit in CLIENT_TEXT_LIMITS.items()
            ),
            models.CheckConstraint(
                condition=Q(new_face_limit__isnull=True)
                | Q(new_face_limit__gte=0, new_face_limit__lte=NEW_FACE_LIMIT_MAX),
                name="client_new_face_limit_small",
            ),
            choices_constraint("new_faces_past_limit", NewFaces, "client_new_faces_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_themselves(self, person: Person) -> bool:
        """Whether `person` is the client, signed in with their own log-in: their pages and
        messages then speak to them ("who is coming to you"), never about them by name."""
        return self.person_id is not None and self.person_id == person.pk


class Preference(models.TextChoices):
    PREFERRED = "preferred", _("Preferred")
    NOT_WANTED = "not_wanted", _("Rather not")


class CarerPreference(models.Model):
    """A client's wish about one carer. One row per pair, so nobody is both wanted and not."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="carer_preferences")
    carer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="client_preferences")
    preference = models.CharField(max_length=10, choices=Preference.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("preference about a carer")
        verbose_name_plural = _("preferences about carers")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "carer"], name="carerpreference_one_per_pair"
            ),
            choices_constraint("preference", Preference, "carerpreference_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.get_preference_display()} {self.carer}"


class PushSubscription(models.Model):
    """A phone or browser that opted in to Web Push for this person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phone for notifications")
        verbose_name_plural = _("phones for notifications")

    def __str__(self) -> str:
        return f"{self.person}: {self.endpoint[:40]}"

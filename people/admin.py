"""Coordinator admin for people, employers, checks and training, and clients."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from circles.admin import (
    OrganisationScopedModelAdmin,
    ScopedAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
    admin_user,
)
from circles.models import Membership
from people.models import (
    CarerPreference,
    CarerProfile,
    Client,
    Credential,
    CredentialType,
    Employer,
    Person,
)
from people.tasks import send_invitation
from rota.admin import apply_plan_changes
from rota.forms import VisitPlanForm
from rota.models import VisitPlan
from rota.services.clients import PROFILE_FIELDS, edit_profile


def _clean_unique_email(form: forms.ModelForm) -> str:
    """Emails are stored lower-case, and two people never share one in any case."""
    email = Person.objects.normalize_email(form.cleaned_data["email"]).lower()
    others = Person.objects.filter(email__iexact=email)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise ValidationError(_("Someone already signs in with this email address."))
    return email


class PersonCreationForm(forms.ModelForm):
    """A new person: who they are and where to email their invitation. They choose their own
    password from it (people/invitations.py); until then they have none that works."""

    class Meta:
        model = Person
        fields = ["email", "full_name", "language"]

    def clean_email(self) -> str:
        return _clean_unique_email(self)

    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=False)
        person.set_unusable_password()
        if commit:
            person.save()
        return person


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = Person
        fields = "__all__"

    def clean_email(self) -> str:
        return _clean_unique_email(self)


class CarerProfileInline(ScopedStackedInline):
    model = CarerProfile
    fields = ["kind", "employer", "weekly_limit_hours"]
    can_delete = True
    verbose_name_plural = _("carer profile (only for people who care)")


class PersonMembershipInline(ScopedTabularInline):
    model = Membership
    fields = ["circle", "role", "client", "started_on", "ended_on"]
    verbose_name = _("role in a circle")
    verbose_name_plural = _("roles in circles (a family member names the client)")


class CredentialInline(ScopedTabularInline):
    model = Credential
    fields = ["type", "valid_until", "reference"]


@admin.register(Person)
class PersonAdmin(OrganisationScopedModelAdmin, UserAdmin):
    organisation_path = "organisation"
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = [
        "full_name",
        "email",
        "phone",
        "carer_kind",
        "has_set_up",
        "is_staff",
        "is_active",
    ]
    list_select_related = ["carer_profile", "organisation"]
    search_fields = ["full_name", "short_name", "email", "phone"]
    ordering = ["full_name"]
    readonly_fields = ["sign_in", "last_login", "date_joined"]
    inlines = [CarerProfileInline, PersonMembershipInline, CredentialInline]
    add_form_template = "admin/people/person/add_form.html"
    actions = ["send_new_invitation"]

    def scope_to_organisation(self, queryset: QuerySet, organisation_id: int) -> QuerySet:
        # A superuser who also names an organisation stays out of its coordinators' reach.
        return super().scope_to_organisation(queryset, organisation_id).filter(is_superuser=False)

    @admin.display(description=_("kind of carer"), ordering="carer_profile__kind")
    def carer_kind(self, person: Person) -> str:
        profile = getattr(person, "carer_profile", None)
        return profile.get_kind_display() if profile else "—"

    @admin.display(description=_("password chosen"), boolean=True)
    def has_set_up(self, person: Person) -> bool:
        # In the list, so that those still to set up their sign-in can be invited again.
        return person.has_usable_password()

    @admin.display(description=_("sign-in"))
    def sign_in(self, person: Person) -> str:
        """Whether the person has set up their sign-in, in words."""
        if not person.has_usable_password():
            if person.last_login:
                return gettext(
                    "No password yet: they sign in with links by email. "
                    "A new invitation lets them choose one."
                )
            return gettext(
                "Not set up yet: they have not used their invitation. If it has run out, "
                "select them in the list of people and send a new invitation."
            )
        if person.is_staff and not TOTPDevice.objects.filter(user=person, confirmed=True).exists():
            return gettext(
                "Password chosen; no authenticator app yet. They add one when they next sign in."
            )
        return gettext("Set up: they sign in with their password.")

    @admin.action(description=_("Send a new invitation"))
    def send_new_invitation(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Invite the selected people again, to set up their sign-in. Their earlier
        invitations stop working: a fresh unusable password changes what the links were
        made from. Anyone with a password already, or inactive, is left as they are."""
        people = list(queryset)
        invited = [p for p in people if p.is_active and not p.has_usable_password()]
        skipped = [p for p in people if p not in invited]
        for person in invited:
            person.set_unusable_password()
            person.save(update_fields=["password"])
            transaction.on_commit(partial(send_invitation.delay, person.pk))
        if invited:
            messages.success(
                request,
                ngettext(
                    "A new invitation is on its way to %(count)d person.",
                    "A new invitation is on its way to %(count)d people.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
        if skipped:
            messages.warning(
                request,
                gettext(
                    "No invitation sent to %(names)s: they have chosen a password already, "
                    "or are not active."
                )
                % {"names": ", ".join(str(p) for p in skipped)},
            )

    def get_list_display(self, request: HttpRequest) -> list:
        if request.user.is_superuser:
            return [*self.list_display, "organisation"]
        return self.list_display

    def get_list_filter(self, request: HttpRequest) -> list:
        filters = [
            "carer_profile__kind",
            ("memberships__circle", admin.RelatedOnlyFieldListFilter),
            "is_staff",
            "is_active",
        ]
        if request.user.is_superuser:
            filters += [("organisation", admin.RelatedOnlyFieldListFilter), "is_superuser"]
        return filters

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        superuser = request.user.is_superuser
        if obj is None:
            fields = ["email", "full_name", "language"]
            if superuser:
                fields.insert(2, "organisation")
            return [(None, {"classes": ["wide"], "fields": fields})]
        # Coordinators neither see nor set who is a superuser, groups or permissions,
        # and everyone they manage stays in their organisation.
        access = ["is_active", "is_staff"]
        if superuser:
            access = ["organisation", *access, "is_superuser", "groups", "user_permissions"]
        return [
            (None, {"fields": ["email", "sign_in", "password"]}),
            (_("About them"), {"fields": ["full_name", "short_name", "phone", "language"]}),
            (_("Access"), {"fields": access}),
            (_("Dates"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_inline_instances(self, request: HttpRequest, obj=None) -> list:
        # As with Django's users: a person is created first (name, email and language),
        # then their roles, profile and checks are added on the next page.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Person, form, change: bool) -> None:
        user = admin_user(request)
        if user.is_coordinator and not change:
            obj.organisation_id = user.organisation_id
        super().save_model(request, obj, form, change)
        if not change:
            # After the commit, so the worker finds the person the email is for.
            transaction.on_commit(lambda: send_invitation.delay(obj.pk))
            messages.success(
                request,
                gettext("An invitation to set up their sign-in is on its way to %(email)s.")
                % {"email": obj.email},
            )


@admin.register(Employer)
class EmployerAdmin(ScopedAdmin):
    organisation_path = "organisation"
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name"]


@admin.register(CarerProfile)
class CarerProfileAdmin(ScopedAdmin):
    organisation_path = "person__organisation"
    list_display = ["person", "kind", "employer", "weekly_limit_hours"]
    list_select_related = ["person", "employer"]
    list_filter = ["kind", ("employer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__full_name", "person__email"]
    autocomplete_fields = ["person"]
    # A carer's photo and lines about themselves are theirs, set on their settings page,
    # where a photo is made small and stripped (people/photos.py).
    exclude = ["photo", "about"]


@admin.register(CredentialType)
class CredentialTypeAdmin(ScopedAdmin):
    """Shared by every organisation: coordinators look, superusers edit."""

    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Credential)
class CredentialAdmin(ScopedAdmin):
    organisation_path = "person__organisation"
    list_display = ["person", "type", "valid_until", "reference"]
    list_select_related = ["person", "type"]
    list_filter = [("type", admin.RelatedOnlyFieldListFilter), "valid_until"]
    search_fields = ["person__full_name", "person__email", "reference"]
    autocomplete_fields = ["person"]
    date_hierarchy = "valid_until"


class VisitPlanInline(ScopedStackedInline):
    model = VisitPlan
    form = VisitPlanForm
    # The plan's own form, less the client the inline already belongs to.
    fields = [field for field in VisitPlanForm.Meta.fields if field != "client"]
    verbose_name = _("visit in the care plan")
    verbose_name_plural = _("care plan (visits)")


class CarerPreferenceInline(ScopedTabularInline):
    model = CarerPreference
    fields = ["carer", "preference", "recorded_at"]
    readonly_fields = ["recorded_at"]
    autocomplete_fields = ["carer"]
    verbose_name = _("carer they prefer or would rather not have")
    verbose_name_plural = _("carers they prefer or would rather not have")


@admin.register(CarerPreference)
class CarerPreferenceAdmin(ScopedAdmin):
    organisation_path = "client__circle__organisation"
    list_display = ["client", "preference", "carer", "recorded_at"]
    list_select_related = ["client", "carer"]
    list_filter = ["preference", ("client__circle", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["client__full_name", "carer__full_name"]
    autocomplete_fields = ["client", "carer"]
    readonly_fields = ["recorded_at"]


@admin.register(Client)
class ClientAdmin(ScopedAdmin):
    organisation_path = "circle__organisation"
    list_display = ["full_name", "preferred_name", "circle", "representative"]
    list_select_related = ["circle", "representative"]
    list_filter = [("circle", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["full_name", "preferred_name", "address"]
    autocomplete_fields = ["person", "representative"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    fieldsets = [
        (None, {"fields": ["circle", "full_name", "preferred_name", "person", "representative"]}),
        (_("Getting there"), {"fields": ["address", "access_notes", "who_to_phone"]}),
        (
            _("About them"),
            {"fields": ["what_matters", "likes", "dislikes", "likes_to_give"]},
        ),
        (_("Emergencies"), {"fields": ["emergency_credentials"]}),
    ]
    inlines = [VisitPlanInline, CarerPreferenceInline]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        # Whoever answers a call for help goes alone into a vulnerable person's home: a new
        # client's emergency visits need the DBS check unless the coordinator says otherwise.
        dbs = CredentialType.objects.filter(code=CredentialType.DBS).values_list("pk", flat=True)
        initial.setdefault("emergency_credentials", list(dbs))
        return initial

    def save_model(self, request: HttpRequest, obj: Client, form, change: bool) -> None:
        # Likes and wishes are the client's own words: changed here, they go through the same
        # service as on the client's page, so the trail shows the coordinator wrote them down.
        profile = {
            field: form.cleaned_data[field]
            for field in PROFILE_FIELDS
            if change and field in form.changed_data
        }
        for field in profile:
            setattr(obj, field, form.initial[field])
        super().save_model(request, obj, form, change)
        if profile:
            edit_profile(obj, profile, actor=admin_user(request))

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The plans and their checks are saved now: bring their future visits in line.
        plans = [
            plan
            for formset in formsets
            if formset.model is VisitPlan
            for plan in [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        ]
        if plans:
            apply_plan_changes(request, plans)

"""Coordinator admin for organisations, circles and memberships, and the scoping all admin
pages share: a coordinator sees and edits only their own organisation (docs/design.md, People and
circles).

Coordinators hold no Django permission rows: who may use a page is decided here, once.
Every model page declares `organisation_path`, the lookup from its model to the
organisation; querysets, choice lists, autocompletes and inlines are all cut down with it.
"""

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import BaseModelAdmin, IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Field, OuterRef, QuerySet, Subquery
from django.db.models.fields.related import RelatedField
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from circles import payroll
from circles.models import Circle, Membership, Organisation, Role
from circles.payroll import PayrollForm, last_month
from circles.permissions import members
from people.models import Person
from rota import services
from rota.admin_forms import for_each
from rota.services.thresholds import THRESHOLD_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    _AdminBase = BaseModelAdmin[Any]
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    # At run time the mixins below stand before Django's classes in each admin's bases;
    # the checker is told which of Django's methods their super() calls reach.
    _AdminBase = _ModelAdminBase = object


def admin_user(request: HttpRequest) -> Person:
    """The person using an admin page.

    Every admin page and action is behind AdminSite.admin_view, which lets in only active
    staff, so the user here is a signed-in Person and never AnonymousUser. Should that ever
    not hold, the page is refused rather than run for nobody.
    """
    user = request.user
    if not isinstance(user, Person):
        raise PermissionDenied
    return user


def may_use_admin(user: Person | AnonymousUser) -> bool:
    """Superusers see everything; coordinators (staff with an organisation) their own.

    Asked of anyone: the admin's login page lists the apps an anonymous visitor may use.
    """
    # An anonymous visitor is never active, so never may.
    if isinstance(user, AnonymousUser):
        return False
    return user.is_active and (user.is_superuser or user.is_coordinator)


def scoped(site: admin.AdminSite, queryset: QuerySet, user: Person) -> QuerySet:
    """`queryset` cut down to what `user` may see, by the scope of its model's admin page.

    Deny by default: for a coordinator, a model without an organisation-scoped page
    (auth's groups and permissions) offers nothing.
    """
    if user.is_superuser:
        return queryset
    # A coordinator always has an organisation (is_coordinator asks for one).
    if not user.is_coordinator or user.organisation_id is None:
        return queryset.none()
    try:
        model_admin = site.get_model_admin(queryset.model)
    except NotRegistered:
        return queryset.none()
    if not isinstance(model_admin, OrganisationScoped):
        return queryset.none()
    return model_admin.scope_to_organisation(queryset, user.organisation_id)


class ValidAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, writing valid HTML: its search box's language only when the
    box speaks it (none for Welsh, which Django writes as lang="None"), and its empty
    choice labelled as Django's other lists label it."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if attrs.get("lang") is None:
            del attrs["lang"]
        return attrs

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        return super().create_option(
            name, value, label or "---------", selected, index, subindex, attrs
        )

    def optgroups(self, name, value, attr=None):
        # A form sent back with its error shows the chosen row again, looked up by what was
        # posted: what could never be a key (typed over, or forged) is shown as no choice,
        # beside the field's own "Select a valid choice", instead of failing the lookup.
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [v for v in value if _is_key(key, v)], attr)


def _is_key(key: Field, value: object) -> bool:
    try:
        key.get_prep_value(value)
    except (TypeError, ValueError, ValidationError):
        return False
    return True


class ReadableChangeList(ChangeList):
    """An admin list that reads its filters from the address: a date past any calendar
    (?start__year=2200000000, or 31 December 9999 and the day after) is a wrong address,
    answered as Django answers a 13th month, never with an error page."""

    def get_filters(self, request: HttpRequest):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class OrganisationScoped(_AdminBase):
    """Shared by every admin page and inline of the project (mix in before Django's class)."""

    # The lookup from this model to its Organisation, e.g. "circle__organisation";
    # None for global data that every coordinator shares (kinds of check or training).
    organisation_path: str | None = None

    def scope_to_organisation(self, queryset: QuerySet, organisation_id: int) -> QuerySet:
        if self.organisation_path is None:
            return queryset
        return queryset.filter(**{self.organisation_path: organisation_id})

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Change, delete and history views fetch through this, so another organisation's
        # object is "doesn't exist", never shown.
        return scoped(self.admin_site, super().get_queryset(request), admin_user(request))

    def get_field_queryset(
        self, db: str | None, db_field: RelatedField, request: HttpRequest
    ) -> QuerySet | None:
        """Choices of every ForeignKey and ManyToMany field, inlines included."""
        queryset = super().get_field_queryset(db, db_field, request)
        if request.user.is_superuser:
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db)
        return scoped(self.admin_site, queryset, admin_user(request))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request.user)


class OrganisationScopedModelAdmin(OrganisationScoped, _ModelAdminBase):
    """What OrganisationScoped adds to a model's own admin page (not an inline)."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ReadableChangeList

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # Any: Django hands these to the form as they are; the stubs expect strings, as
        # read from the query string, but a preselected organisation is its id.
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        # A coordinator's new circle or employer belongs to their organisation; preselect
        # it (still a form field, so uniqueness within the organisation is checked).
        user = admin_user(request)
        if user.is_coordinator and self.organisation_path == "organisation":
            initial.setdefault("organisation", user.organisation_id)
        return initial


class ScopedAdmin(OrganisationScopedModelAdmin, admin.ModelAdmin):
    pass


class ViewOnlyAdmin(ScopedAdmin):
    """Seen in the admin, changed only through rota.services (docs/design.md, The domain API)."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ConstraintCheckingFormSet(BaseInlineFormSet):
    """Checks each row's constraints again, this time including the parent's key.

    Django leaves the parent's key out of an inline row's constraint checks, so a
    constraint naming it (one preference per client and carer, one role per circle)
    would only be caught by the database, as an error page.
    """

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None:
            return  # a new parent has no rows yet to collide with
        for form in self.forms:
            # _should_delete_form is Django's own test for a row ticked for deletion; the
            # stubs leave it out, being private.
            if (
                not form.has_changed()
                or self._should_delete_form(form)  # type: ignore[attr-defined]
                or not form.is_valid()
            ):
                continue
            try:
                # Still leave out fields the form lacks or that failed; the parent key is a
                # form field, so constraints naming it are checked this time.
                form.instance.validate_constraints(exclude=form._get_validation_exclusions())
            except ValidationError as error:
                form.add_error(None, error)


class ScopedTabularInline(OrganisationScoped, admin.TabularInline):
    formset = ConstraintCheckingFormSet
    extra = 0


class ScopedStackedInline(OrganisationScoped, admin.StackedInline):
    formset = ConstraintCheckingFormSet
    extra = 0


class CircleCount(TypedDict):
    """What OrganisationAdmin.get_queryset annotates each organisation with."""

    circle_count: int


class ClientCount(TypedDict):
    """What CircleAdmin.get_queryset annotates each circle with."""

    client_count: int
    leader_count: int


class CircleMembershipInline(ScopedTabularInline):
    model = Membership
    fields = ["person", "role", "client", "started_on", "ended_on"]
    autocomplete_fields = ["person"]
    verbose_name = _("member")
    verbose_name_plural = _("members (a family member names the client they are family of)")


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    organisation_path = "pk"
    list_display = ["name", "circle_count"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(circle_count=Count("circles"))

    @admin.display(description=_("circles"), ordering="circle_count")
    def circle_count(self, organisation: "WithAnnotations[Organisation, CircleCount]") -> int:
        return organisation.circle_count

    # A coordinator may rename their organisation; only superusers create or remove one.
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Circle)
class CircleAdmin(ScopedAdmin):
    organisation_path = "organisation"
    list_display = [
        "name",
        "organisation",
        "timezone",
        "client_count",
        "leader_count",
        "strained_below_percent",
        "not_coping_below_percent",
        "essential_gap_hours",
    ]
    list_select_related = ["organisation"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["organisation", "name", "timezone"]}),
        (
            _("When the team leaders are alerted"),
            {
                "fields": [
                    "strained_below_percent",
                    "not_coping_below_percent",
                    "essential_gap_hours",
                ],
                "description": _(
                    "Judged over the next 14 days, from the share of carer places filled."
                ),
            },
        ),
    ]
    inlines = [CircleMembershipInline]
    actions = ["export_hours"]

    @admin.action(description=_("Export hours for payroll"))
    def export_hours(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        """To the hours export for the circles ticked."""
        ids = "&".join(f"circle={pk}" for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:circles_circle_hours')}?{ids}")

    def get_urls(self) -> list:
        hours = path(
            "hours/", self.admin_site.admin_view(self.hours_view), name="circles_circle_hours"
        )
        return [hours, *super().get_urls()]

    def save_model(self, request: HttpRequest, obj: Circle, form: Any, change: bool) -> None:
        """Changed thresholds go through their service first, so the trail keeps them and the
        circle's team leaders hear of it; the rest of the circle is saved as usual."""
        if change and set(form.changed_data) & set(THRESHOLD_FIELDS):
            thresholds = {field: getattr(obj, field) for field in THRESHOLD_FIELDS}
            services.set_thresholds(obj, thresholds, actor=admin_user(request))
        super().save_model(request, obj, form, change)

    def hours_view(self, request: HttpRequest) -> HttpResponse:
        """Hours worked per paid carer, by employer, in the coordinator's circles (or those
        ticked): the same export as the team leaders' (circles.payroll)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        circles = self.get_queryset(request)
        if chosen := request.GET.getlist("circle"):
            circles = circles.filter(pk__in=[pk for pk in chosen if pk.isdigit()])
        form = PayrollForm(request.GET if "start" in request.GET else None)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            ids = circles.values_list("pk", flat=True)
            made = payroll.hours(ids, start, end, now=timezone.now())
            return payroll.download(made, form.cleaned_data["file_format"])
        if not form.is_bound:
            form = PayrollForm(initial=last_month(timezone.localdate()))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Hours for payroll"),
            "form": form,
            "circles": circles.order_by("name"),
            "chosen": chosen,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/circles/hours.html", context)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        leaders = Membership.objects.current().filter(circle=OuterRef("pk"), role=Role.TEAM_LEADER)
        return (
            super()
            .get_queryset(request)
            .annotate(
                client_count=Count("clients"),
                leader_count=Subquery(
                    leaders.values("circle").annotate(n=Count("pk")).values("n")[:1]
                ),
            )
        )

    @admin.display(description=_("clients"), ordering="client_count")
    def client_count(self, circle: "WithAnnotations[Circle, ClientCount]") -> int:
        return circle.client_count

    @admin.display(description=_("team leaders"), ordering="leader_count")
    def leader_count(self, circle: "WithAnnotations[Circle, ClientCount]") -> str:
        return str(circle.leader_count) if circle.leader_count else gettext("none")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        circle = self.get_object(request, object_id)
        leaderless = circle is not None and not members(circle, Role.TEAM_LEADER).exists()
        if request.method == "GET" and circle is not None and leaderless:
            messages.warning(
                request,
                gettext(
                    "%(circle)s has no team leader today: until it has one, its alerts go to "
                    "the coordinators of %(organisation)s."
                )
                % {"circle": circle.name, "organisation": circle.organisation.name},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_list_filter(self, request: HttpRequest) -> list:
        # A coordinator has one organisation: filtering by it says nothing.
        if request.user.is_superuser:
            return [("organisation", admin.RelatedOnlyFieldListFilter)]
        return []

    def get_inline_instances(self, request: HttpRequest, obj=None) -> list:
        # Members come once the circle exists: a family member names one of its clients.
        return super().get_inline_instances(request, obj) if obj is not None else []


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    organisation_path = "circle__organisation"
    list_display = ["person", "role", "circle", "client", "started_on", "ended_on"]
    list_select_related = ["person", "circle", "client"]
    list_filter = ["role", ("circle", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__full_name", "person__email", "circle__name", "client__full_name"]
    autocomplete_fields = ["person", "client"]
    actions = ["end_today"]

    @admin.action(description=_("End membership today"))
    def end_today(self, request: HttpRequest, queryset: QuerySet) -> None:
        """A member leaves: through the rota engine, so a carer's visits from today on are
        released for cover. A membership already ended keeps its end."""
        today = timezone.localdate()
        actor = admin_user(request)
        memberships = list(queryset)
        ending = [m for m in memberships if m.ended_on is None or m.ended_on > today]
        for membership in memberships:
            if membership not in ending:
                messages.warning(
                    request,
                    gettext("%(membership)s: already ended on %(date)s.")
                    % {
                        "membership": membership,
                        "date": dateformat.format(membership.ended_on, "j M Y"),
                    },
                )
        # With nothing selected at all, for_each says so; all already ended was said above.
        done = (
            for_each(
                request,
                ending,
                lambda membership: services.end_membership(membership, today, actor=actor),
            )
            if ending or not memberships
            else 0
        )
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d membership ended today.", "%(count)d memberships ended today.", done
                )
                % {"count": done},
            )

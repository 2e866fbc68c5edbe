"""Coordinator admin for care plans, and a read-only view of the rota itself.

Shifts, assignments, offers, swaps, absences, family visits, help requests and the audit
trail change only through rota.services (DESIGN §7): here they are looked at, never edited.
A coordinator changes the rota with admin actions (and the page that records an absence),
each of which calls a service once per object, so the rules and the audit trail apply.
"""

from collections.abc import Iterable, Sequence

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from circles.admin import ScopedAdmin, ViewOnlyAdmin, scoped
from circles.models import Circle
from people.models import Person
from rota import services
from rota.admin_forms import (
    CancelVisitsForm,
    PutCarerOnForm,
    RecordAbsenceForm,
    active_carer_memberships,
    for_each,
    refusal,
)
from rota.forms import VisitPlanForm, describe_rule
from rota.generation import apply_plan_change
from rota.models import (
    Absence,
    Assignment,
    AuditEvent,
    FamilyVisit,
    HelpRequest,
    Offer,
    Shift,
    ShiftStatus,
    Swap,
    VisitPlan,
)
from rota.rules import Refused, RuleBroken


def apply_plan_changes(request: HttpRequest, plans: Iterable[VisitPlan]) -> None:
    """After plans are saved (their checks too): rewrite their future visits, and say so."""
    plans = list(plans)
    rewritten = sum(apply_plan_change(plan, actor=request.user) for plan in plans)
    ahead = Shift.objects.filter(
        plan__in=plans, status=ShiftStatus.PLANNED, start__gt=timezone.now()
    ).count()
    messages.success(
        request,
        ngettext(
            "The care plan is saved: %(count)d future visit was rewritten to match it.",
            "The care plan is saved: %(count)d future visits were rewritten to match it.",
            rewritten,
        )
        % {"count": rewritten}
        + " "
        + ngettext(
            "%(ahead)d visit is planned ahead.", "%(ahead)d visits are planned ahead.", ahead
        )
        % {"ahead": ahead},
    )


def carers_for(
    model_admin: admin.ModelAdmin, request: HttpRequest, circle_ids: Iterable[int] | None = None
) -> QuerySet[Person]:
    """The active carers of these circles (of every circle when None) whom the user may
    see: for a coordinator, those of their own organisation."""
    memberships = active_carer_memberships()
    if circle_ids is not None:
        memberships = memberships.filter(circle_id__in=circle_ids)
    memberships = scoped(model_admin.admin_site, memberships, request.user)
    people = Person.objects.filter(pk__in=memberships.values("person"), is_active=True)
    return scoped(model_admin.admin_site, people, request.user).order_by("full_name")


def form_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form: Form,
    title: str,
    intro: str,
    submit: str,
    objects: Sequence = (),
    action: str | None = None,
) -> TemplateResponse:
    """The page between choosing an action and doing it, which asks what the service needs.

    Django's intermediate-action pattern: the form posts back to the changelist with the
    action, the selected ids and `apply`, and the action then runs with the answers.
    """
    request.current_app = model_admin.admin_site.name
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "intro": intro,
        "form": form,
        "submit": submit,
        "objects": objects,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/rota/service_form.html", context)


@admin.register(VisitPlan)
class VisitPlanAdmin(ScopedAdmin):
    organisation_path = "client__circle__organisation"
    form = VisitPlanForm
    list_display = [
        "title",
        "client",
        "repeats",
        "start_time",
        "duration_minutes",
        "carers_needed",
        "essential",
        "starts_on",
        "ends_on",
    ]
    list_select_related = ["client"]
    list_filter = ["essential", ("client__circle", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "client__full_name", "client__preferred_name"]
    autocomplete_fields = ["client"]
    fieldsets = [
        (None, {"fields": ["client", "title", "task_notes"]}),
        (
            _("When"),
            {"fields": ["weekdays", "start_time", "duration_minutes", "starts_on", "ends_on"]},
        ),
        (_("Who"), {"fields": ["carers_needed", "credentials_needed", "essential"]}),
    ]

    @admin.display(description=_("repeats"))
    def repeats(self, plan: VisitPlan) -> str:
        return describe_rule(plan.rrule)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        apply_plan_changes(request, [form.instance])


@admin.register(Shift)
class ShiftAdmin(ViewOnlyAdmin):
    organisation_path = "circle__organisation"
    list_display = ["local_start", "client", "circle", "status", "carers_needed", "holders"]
    list_select_related = ["client", "circle"]
    list_filter = ["status", ("circle", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["client__full_name", "client__preferred_name"]
    date_hierarchy = "start"
    readonly_fields = ["holders"]
    actions = ["cancel_visits", "put_carer_on"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        held_count = Count("assignments", filter=Q(assignments__released_at__isnull=True))
        held = Assignment.objects.filter(released_at__isnull=True).select_related("carer")
        return (
            super()
            .get_queryset(request)
            .annotate(held_count=held_count)
            .prefetch_related(
                Prefetch("assignments", queryset=held.order_by("carer__full_name"), to_attr="held")
            )
        )

    @admin.display(description=_("starts (circle's local time)"), ordering="start")
    def local_start(self, shift: Shift) -> str:
        return f"{timezone.localtime(shift.start, shift.circle.tz):%a %d %b %Y %H:%M}"

    @admin.display(description=_("carers on it"), ordering="held_count")
    def holders(self, shift: Shift) -> str | None:
        return ", ".join(str(place.carer) for place in shift.held) or None

    @admin.action(description=_("Cancel the selected visits"))
    def cancel_visits(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        shifts = list(queryset)
        form = CancelVisitsForm(request.POST if "apply" in request.POST else None)
        if shifts and not form.is_valid():
            return form_page(
                self,
                request,
                form=form,
                title=_("Cancel visits"),
                intro=_("These visits will be cancelled and their carers taken off them:"),
                submit=_("Cancel these visits"),
                objects=shifts,
                action="cancel_visits",
            )
        done = for_each(
            request,
            shifts,
            lambda shift: services.cancel_shift(
                shift, form.cleaned_data["reason"], actor=request.user
            ),
        )
        if done:
            messages.success(
                request,
                ngettext("%(count)d visit cancelled.", "%(count)d visits cancelled.", done)
                % {"count": done},
            )
        return None

    @admin.action(description=_("Put a carer on the selected visits"))
    def put_carer_on(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        shifts = list(queryset)
        carers = carers_for(self, request, {shift.circle_id for shift in shifts})
        form = PutCarerOnForm(request.POST if "apply" in request.POST else None, carers=carers)
        if shifts and not form.is_valid():
            return form_page(
                self,
                request,
                form=form,
                title=_("Put a carer on visits"),
                intro=_("The carer is put on each of these visits that the rota's rules allow:"),
                submit=_("Put the carer on"),
                objects=shifts,
                action="put_carer_on",
            )
        carer = form.cleaned_data["carer"] if shifts else None
        done = for_each(
            request,
            shifts,
            lambda shift: services.assign(shift, carer, actor=request.user),
            carer=carer,
        )
        if done:
            messages.success(
                request,
                ngettext(
                    "%(carer)s is now on %(count)d visit.",
                    "%(carer)s is now on %(count)d visits.",
                    done,
                )
                % {"carer": carer, "count": done},
            )
        return None


@admin.register(Assignment)
class AssignmentAdmin(ViewOnlyAdmin):
    organisation_path = "shift__circle__organisation"
    list_display = ["carer", "shift", "released_at", "release_reason", "missed"]
    list_select_related = ["carer", "shift__client", "shift__circle"]
    list_filter = ["missed", "release_reason"]
    search_fields = ["carer__full_name", "shift__client__full_name"]
    date_hierarchy = "start"


@admin.register(Offer)
class OfferAdmin(ViewOnlyAdmin):
    organisation_path = "assignment__shift__circle__organisation"
    list_display = ["assignment", "status", "created_at", "closed_at"]
    list_select_related = [
        "assignment__carer",
        "assignment__shift__client",
        "assignment__shift__circle",
    ]
    list_filter = ["status"]
    search_fields = ["assignment__carer__full_name", "assignment__shift__client__full_name"]


@admin.register(Swap)
class SwapAdmin(ViewOnlyAdmin):
    organisation_path = "offered__shift__circle__organisation"
    list_display = ["offered", "wanted", "status", "created_at", "closed_at"]
    list_select_related = [
        "offered__carer",
        "offered__shift__client",
        "offered__shift__circle",
        "wanted__carer",
        "wanted__shift__client",
        "wanted__shift__circle",
    ]
    list_filter = ["status"]
    search_fields = ["offered__carer__full_name", "wanted__carer__full_name"]


def recorded(absence: Absence) -> str:
    """What recording the absence did, in words: who is off when, and the visits it freed."""
    start, end = timezone.localtime(absence.start), timezone.localtime(absence.end)
    said = gettext("%(carer)s is off (%(kind)s) from %(start)s until %(end)s.") % {
        "carer": absence.carer,
        "kind": absence.get_kind_display().lower(),
        "start": dateformat.format(start, "D j M Y H:i"),
        "end": dateformat.format(end, "D j M Y H:i"),
    }
    released = [
        str(place.shift)
        for place in absence.released.select_related("shift__client", "shift__circle")
    ]
    if not released:
        return said + " " + gettext("None of their visits fell in that time.")
    return (
        said
        + " "
        + ngettext(
            "%(count)d visit was released and needs cover: %(visits)s.",
            "%(count)d visits were released and need cover: %(visits)s.",
            len(released),
        )
        % {"count": len(released), "visits": "; ".join(released)}
    )


@admin.register(Absence)
class AbsenceAdmin(ViewOnlyAdmin):
    organisation_path = "carer__organisation"
    list_display = ["carer", "kind", "start", "end"]
    list_select_related = ["carer"]
    list_filter = ["kind"]
    search_fields = ["carer__full_name"]
    date_hierarchy = "start"

    def get_urls(self) -> list:
        # Before the catch-all "<object_id>/" pages. The add page stays off: an absence is
        # made by the rota engine, which releases the visits it covers, never by a form save.
        record = path(
            "record/",
            self.admin_site.admin_view(self.record_view),
            name="rota_absence_record",
        )
        return [record, *super().get_urls()]

    def record_view(self, request: HttpRequest) -> TemplateResponse | HttpResponseRedirect:
        """A carer phoned in: their absence is recorded by rota.services.record_absence."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = RecordAbsenceForm(
            request.POST if request.method == "POST" else None, carers=carers_for(self, request)
        )
        if form.is_valid():
            answers = form.cleaned_data
            try:
                absence = services.record_absence(
                    answers["carer"],
                    answers["kind"],
                    answers["start"],
                    answers["end"],
                    actor=request.user,
                )
            except (RuleBroken, Refused) as error:
                messages.error(
                    request,
                    gettext("%(subject)s: %(refusal)s")
                    % {"subject": answers["carer"], "refusal": refusal(error)},
                )
            else:
                messages.success(request, recorded(absence))
                return HttpResponseRedirect(reverse("admin:rota_absence_changelist"))
        return form_page(
            self,
            request,
            form=form,
            title=_("Record an absence"),
            intro=_(
                "A carer is off: they are taken off their visits in that time that have not "
                "started, and those visits need cover."
            ),
            submit=_("Record the absence"),
        )


@admin.register(FamilyVisit)
class FamilyVisitAdmin(ViewOnlyAdmin):
    organisation_path = "client__circle__organisation"
    list_display = ["client", "family_member", "start", "end", "status"]
    list_select_related = ["client", "family_member"]
    list_filter = ["status"]
    search_fields = ["client__full_name", "family_member__full_name"]
    date_hierarchy = "start"
    actions = ["withdraw"]

    @admin.action(description=_("Withdraw the selected family visits"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = for_each(
            request,
            list(queryset),
            lambda visit: services.withdraw_family_visit(visit, actor=request.user),
        )
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d family visit withdrawn: the visits it freed are planned again.",
                    "%(count)d family visits withdrawn: the visits they freed are planned again.",
                    done,
                )
                % {"count": done},
            )


@admin.register(HelpRequest)
class HelpRequestAdmin(ViewOnlyAdmin):
    organisation_path = "client__circle__organisation"
    list_display = ["client", "status", "raised_at", "raised_by", "acknowledged_by"]
    list_select_related = ["client", "raised_by", "acknowledged_by"]
    list_filter = ["status"]
    search_fields = ["client__full_name"]
    date_hierarchy = "raised_at"
    actions = ["acknowledge", "cancel_requests"]

    @admin.action(description=_("I'm on it (acknowledge)"))
    def acknowledge(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = for_each(
            request,
            list(queryset),
            lambda help_request: services.acknowledge_help_request(
                help_request, actor=request.user
            ),
        )
        if done:
            messages.success(
                request,
                ngettext(
                    "You are on %(count)d help request; the team leaders can see that.",
                    "You are on %(count)d help requests; the team leaders can see that.",
                    done,
                )
                % {"count": done},
            )

    @admin.action(description=_("Cancel the selected help requests (help no longer needed)"))
    def cancel_requests(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = for_each(
            request,
            list(queryset),
            lambda help_request: services.cancel_help_request(help_request, actor=request.user),
        )
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d help request cancelled.", "%(count)d help requests cancelled.", done
                )
                % {"count": done},
            )


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdmin):
    list_display = ["time", "action", "subject", "circle_id", "actor"]
    list_filter = ["action"]
    search_fields = ["action", "subject_type"]
    date_hierarchy = "at"

    def scope_to_organisation(self, queryset: QuerySet, organisation_id: int) -> QuerySet:
        # The trail names circles by id, without a foreign key, so nothing cascades into it.
        circles = Circle.objects.filter(organisation_id=organisation_id).values("pk")
        return queryset.filter(circle_id__in=circles)

    @admin.display(description=_("time"), ordering="at")
    def time(self, event: AuditEvent):
        return event.at

    @admin.display(description=_("subject"), ordering="subject_type")
    def subject(self, event: AuditEvent) -> str:
        return f"{event.subject_type} {event.subject_id or ''}".strip()

    @admin.display(description=_("actor id"), ordering="actor_id")
    def actor(self, event: AuditEvent) -> str:
        return str(event.actor_id) if event.actor_id is not None else str(_("the system"))

"""Coordinator admin for care plans, and a read-only view of the rota itself.

Shifts, assignments, offers, swaps, absences, family visits, help requests and the audit
trail change only through rota.services (DESIGN §7): here they are looked at, never edited.
"""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from circles.admin import ScopedAdmin, ViewOnlyAdmin
from circles.models import Circle
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

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        held = Count("assignments", filter=Q(assignments__released_at__isnull=True))
        return super().get_queryset(request).annotate(holders=held)

    @admin.display(description=_("starts (circle's local time)"), ordering="start")
    def local_start(self, shift: Shift) -> str:
        return f"{timezone.localtime(shift.start, shift.circle.tz):%a %d %b %Y %H:%M}"

    @admin.display(description=_("carers on it"), ordering="holders")
    def holders(self, shift: Shift) -> int:
        return shift.holders


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


@admin.register(Absence)
class AbsenceAdmin(ViewOnlyAdmin):
    organisation_path = "carer__organisation"
    list_display = ["carer", "kind", "start", "end"]
    list_select_related = ["carer"]
    list_filter = ["kind"]
    search_fields = ["carer__full_name"]
    date_hierarchy = "start"


@admin.register(FamilyVisit)
class FamilyVisitAdmin(ViewOnlyAdmin):
    organisation_path = "client__circle__organisation"
    list_display = ["client", "family_member", "start", "end", "status"]
    list_select_related = ["client", "family_member"]
    list_filter = ["status"]
    search_fields = ["client__full_name", "family_member__full_name"]
    date_hierarchy = "start"


@admin.register(HelpRequest)
class HelpRequestAdmin(ViewOnlyAdmin):
    organisation_path = "client__circle__organisation"
    list_display = ["client", "status", "raised_at", "raised_by", "acknowledged_by"]
    list_select_related = ["client", "raised_by", "acknowledged_by"]
    list_filter = ["status"]
    search_fields = ["client__full_name"]
    date_hierarchy = "raised_at"


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

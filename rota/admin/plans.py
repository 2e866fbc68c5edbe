"""Care plans: a coordinator edits them here, and their future visits are rewritten."""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from circles.admin import ScopedAdmin, admin_user
from rota.forms import VisitPlanForm, describe_rule
from rota.models import Shift, ShiftStatus, VisitPlan
from rota.services import change_plan


def apply_plan_changes(request: HttpRequest, plans: Iterable[VisitPlan]) -> None:
    """After plans are saved (their checks too): free their visits on skipped dates, rewrite
    their other future visits, and say so."""
    plans = list(plans)
    actor = admin_user(request)
    rewritten = sum(change_plan(plan, actor=actor) for plan in plans)
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
        (None, {"fields": ["client", "title", "tasks", "medicines"]}),
        (
            _("When"),
            {
                "fields": [
                    "weekdays",
                    "start_time",
                    "duration_minutes",
                    "starts_on",
                    "ends_on",
                    "skipped_dates",
                    "late_after_minutes",
                ]
            },
        ),
        (_("Who"), {"fields": ["carers_needed", "credentials_needed", "essential"]}),
    ]

    @admin.display(description=_("repeats"))
    def repeats(self, plan: VisitPlan) -> str:
        return describe_rule(plan.rrule)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        apply_plan_changes(request, [form.instance])

"""Visits (shifts) and the carers on them (assignments), with the actions that cancel
visits and put a carer on them."""

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from circles.admin import ViewOnlyAdmin, admin_user
from rota import services
from rota.admin.common import carers_for, form_page
from rota.admin_forms import CancelVisitsForm, PutCarerOnForm, for_each
from rota.models import Assignment, Shift

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Held(TypedDict):
    """What ShiftAdmin.get_queryset adds to each visit: the places held, carers fetched."""

    held: list[Assignment]


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
    def holders(self, shift: "WithAnnotations[Shift, Held]") -> str | None:
        return ", ".join(str(place.carer) for place in shift.held) or None

    @admin.action(description=_("Cancel the selected visits"))
    def cancel_visits(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        actor = admin_user(request)
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
            lambda shift: services.cancel_shift(shift, form.cleaned_data["reason"], actor=actor),
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
        actor = admin_user(request)
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
            # Called only for a selected visit, so only once the form was answered.
            lambda shift: services.assign(shift, form.cleaned_data["carer"], actor=actor),
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

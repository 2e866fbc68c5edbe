"""Changes to the rota that carers and families ask for or report (offers, swaps,
absences, family visits, help requests), and the audit trail of every change."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from circles.admin import ViewOnlyAdmin, admin_user
from circles.models import Circle
from rota import services
from rota.admin.common import carers_for, form_page
from rota.admin_forms import RecordAbsenceForm, for_each, refusal
from rota.models import Absence, AuditEvent, FamilyVisit, HelpRequest, Offer, Swap
from rota.rules import Refused, RuleBroken


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
                    actor=admin_user(request),
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
        actor = admin_user(request)
        done = for_each(
            request,
            list(queryset),
            lambda visit: services.withdraw_family_visit(visit, actor=actor),
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
        actor = admin_user(request)
        done = for_each(
            request,
            list(queryset),
            lambda help_request: services.acknowledge_help_request(help_request, actor=actor),
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
        actor = admin_user(request)
        done = for_each(
            request,
            list(queryset),
            lambda help_request: services.cancel_help_request(help_request, actor=actor),
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

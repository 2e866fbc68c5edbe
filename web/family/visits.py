"""“I'll be with Mum”: a family visit frees the visits it covers; withdrawn, they are back."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from people.models import Client
from rota import services
from rota.models import FamilyVisit, FamilyVisitStatus
from web.family.access import access_client, access_family_visit, family_required
from web.family.forms import FamilyVisitForm
from web.family.queries import not_made_after, upcoming_family_visits, window_preview
from web.http import Request, attempt, tell


@family_required
@require_http_methods(["GET", "POST"])
def be_with(request: Request, client_id: int) -> HttpResponse:
    """Step one shows what the window would free (in place with htmx); step two saves it."""
    client = access_client(request.user, client_id)
    if client.is_themselves(request.user):
        # Being with someone frees their visits: it is for the family, not the client.
        raise PermissionDenied
    tz = client.circle.tz
    now = timezone.now()
    if request.method == "GET":
        today = timezone.localdate(now, tz)
        form = FamilyVisitForm(initial={"day": today, "end_day": today}, tz=tz)
    else:
        form = FamilyVisitForm(request.POST, tz=tz)
    preview, window = None, ""
    if request.method == "POST" and form.is_valid():
        if request.POST.get("step") == "save":
            return _save(request, client, form)
        preview = window_preview(client, *form.window, now)
        window = _words(tz, *form.window)
    context = {
        "client": client,
        "form": form,
        "preview": preview,
        "window": window,
        "family_visits": upcoming_family_visits(client, now),
        "now": now,
    }
    if request.htmx and request.method == "POST":
        return render(request, "family/with.html#planner", context)
    return render(request, "family/with.html", context)


def _save(request: Request, client: Client, form: FamilyVisitForm) -> HttpResponse:
    person = request.user
    start, end = form.window
    # A second press of "save" (or a form sent twice) finds the first and changes nothing.
    already = FamilyVisit.objects.filter(
        family_member=person, client=client, start=start, end=end, status=FamilyVisitStatus.ACTIVE
    ).exists()
    if already:
        messages.info(request, _("You had already told us about this visit. Nothing changed."))
        return redirect("family:with", client_id=client.pk)
    outcome = attempt(
        lambda: services.record_family_visit(person, client, start, end, actor=person), ""
    )
    if outcome.value is None:
        tell(request, outcome)
        return redirect("family:with", client_id=client.pk)
    visit = outcome.value
    freed = visit.freed_shifts.count()
    said = _("Thank you: you'll be with %(client)s on %(when)s.") % {
        "client": client.preferred_name,
        "when": _words(client.circle.tz, visit.start, visit.end),
    }
    if freed:
        said += " " + ngettext(
            "%(count)d visit is not needed then, so its carer can help someone else.",
            "%(count)d visits are not needed then, so their carers can help someone else.",
            freed,
        ) % {"count": freed}
    # The rota is made some weeks ahead: visits it makes later in this time are freed as they
    # are made (rota.generation), so the family are told that, not that nothing was freed.
    made_until = not_made_after(client, visit.end)
    if made_until is not None:
        said += " " + _(
            "Visits after %(day)s are not on the rota yet: when they are added, any wholly in "
            "your time will not be needed (essential ones still happen)."
        ) % {"day": dateformat.format(made_until, "l j F")}
    elif not freed:
        said += " " + _("No visits needed freeing in that time.")
    messages.success(request, said)
    return redirect("family:with", client_id=client.pk)


@family_required
@require_POST
def withdraw(request: Request, visit_id: int) -> HttpResponse:
    visit = access_family_visit(request.user, visit_id)
    client = visit.client
    if visit.status == FamilyVisitStatus.WITHDRAWN:
        messages.info(request, _("This visit was already withdrawn. Nothing changed."))
    else:
        outcome = attempt(
            lambda: services.withdraw_family_visit(visit, actor=request.user),
            _(
                "Withdrawn: %(client)s's usual visits on %(when)s are back on, and the "
                "circle will cover any that need a carer."
            )
            % {
                "client": client.preferred_name,
                "when": _words(client.circle.tz, visit.start, visit.end),
            },
        )
        tell(request, outcome)
    if request.htmx:
        return render(
            request,
            "family/with.html#family-visits",
            {
                "client": client,
                "family_visits": upcoming_family_visits(client, timezone.now()),
                "now": timezone.now(),
            },
        )
    return redirect("family:with", client_id=client.pk)


def _words(tz: ZoneInfo, start: datetime, end: datetime) -> str:
    """“Saturday 9 May, 14:00 to 17:00”, or over days “Friday 8 May, 22:00 to Saturday 9 May,
    07:00”, in the circle's time and the reader's language."""
    start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    if start.date() != end.date():
        return _("%(start)s to %(end)s") % {
            "start": dateformat.format(start, "l j F, H:i"),
            "end": dateformat.format(end, "l j F, H:i"),
        }
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": dateformat.format(start, "l j F"),
        "start": dateformat.format(start, "H:i"),
        "end": dateformat.format(end, "H:i"),
    }

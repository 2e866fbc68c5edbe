"""The audit trail for team leaders and coordinators: every rota change in their circles,
filtered by circle, client, carer and dates, in words.

A leader sees the events of the circles they lead, and no other. A carer's time off that
names no circle (they care in several, and it released nothing) is shown only to the
coordinators of that carer's organisation: a leader elsewhere must not learn who is sick.
"""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from circles.models import Circle, Membership, Role
from circles.permissions import coordinates
from circles.trail import concerning, describe
from people.models import Client, Person
from rota.models import AuditEvent
from web.http import Request
from web.leaders.access import circles_led, leader_required
from web.leaders.forms import TrailFilter

PER_PAGE = 50


@leader_required
@require_GET
def trail(request: Request) -> HttpResponse:
    circles = circles_led(request.user).order_by("name", "pk")
    form = TrailFilter(
        request.GET,
        circles=circles,
        clients=Client.objects.filter(circle__in=circles).order_by("full_name", "pk"),
        # Today's carers only: someone who has left is no longer this leader's business.
        carers=Person.objects.filter(
            pk__in=Membership.objects.current()
            .filter(circle__in=circles, role=Role.CARER)
            .values("person_id")
        ).order_by("full_name", "pk"),
    )
    events = AuditEvent.objects.none()
    if form.is_valid():
        events = _filtered(form, circles, request.user)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "lines": describe(list(page.object_list)),
        # The circle field offers exactly these (a copy of the same query).
        "several_circles": len(circles) > 1,
    }
    return render(request, "leaders/trail.html", context)


def _filtered(form: TrailFilter, circles: QuerySet[Circle], reader: Person) -> QuerySet[AuditEvent]:
    data = form.cleaned_data
    scope = Q(circle_id__in=circles.values("pk"))
    events = AuditEvent.objects.all()
    if data["carer"]:
        if coordinates(reader, data["carer"]):
            # A carer's time off in several circles names none of them: their organisation's
            # coordinator still needs to see it.
            scope |= Q(circle_id__isnull=True)
        events = events.filter(Q(actor_id=data["carer"].pk) | Q(concerning(data["carer"].pk)))
    events = events.filter(scope)
    if data["circle"]:
        events = events.filter(circle_id=data["circle"].pk)
    if data["client"]:
        events = events.filter(client_id=data["client"].pk)
    since, until = form.moments()
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lt=until)
    return events.order_by("-at", "-pk")

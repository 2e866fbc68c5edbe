"""A carer leaving the circle, from its page: the leader chooses the first day they no longer
visit and sees, before anything changes, which of their visits will need cover (the same
query that the service then releases, rota.services.absences.leaving_places); only "Confirm"
ends the membership.

Another circle's page answers 404 (access_circle); someone who is not a carer of this circle,
one who has already left, or a day already past is told so in plain words, and nothing
changes.
"""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from circles.models import Membership, Role
from rota import services
from rota.models import Action, AuditEvent
from rota.services.absences import leaving_places
from web.http import Request, attempt, redirect_with
from web.leaders.access import access_circle, leader_required
from web.leaders.forms import LeavingForm

PLACE_FIELDS = ("shift__client", "shift__plan", "shift__circle")


@leader_required
@require_http_methods(["GET", "POST"])
def leaving(request: Request, circle_id: int, carer_id: int) -> HttpResponse:
    """GET: the day asked; with a day, the visits it releases and "Confirm". POST: done."""
    circle = access_circle(request.user, circle_id)
    membership = (
        Membership.objects.filter(circle=circle, person_id=carer_id, role=Role.CARER)
        .select_related("person", "circle")
        .order_by("-started_on", "-pk")
        .first()
    )
    if membership is None:
        # Whoever it is, they are nobody this leader may end here: said without naming them.
        nobody = {"circle": circle, "not_here": True}
        return render(request, "leaders/leaving.html", nobody, status=404)
    today = timezone.localdate(timezone=circle.tz)
    context = {"circle": circle, "membership": membership, "carer": membership.person}
    if membership.ended_on is not None and membership.ended_on <= today:
        return render(request, "leaders/leaving.html", {**context, "gone": True})
    asked = request.POST if request.method == "POST" else request.GET
    form = LeavingForm(asked if "day" in asked else None, tz=circle.tz, initial={"day": today})
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "leaders/leaving.html", {**context, "form": form}, status=status)
    day: date = form.cleaned_data["day"]
    if request.method == "GET":
        places = leaving_places(membership, day, timezone.now()).select_related(*PLACE_FIELDS)
        preview = {"day": day, "places": list(places.order_by("start", "pk"))}
        return render(request, "leaders/leaving.html", {**context, "form": form, **preview})
    words = {
        "carer": membership.person.get_short_name(),
        "circle": circle.name,
        "day": formats.date_format(day, "D j M"),
    }
    outcome = attempt(
        lambda: services.end_membership(membership, day, actor=request.user),
        _("%(carer)s leaves %(circle)s on %(day)s.") % words,
    )
    if outcome.refusals:
        for refusal in outcome.refusals:
            form.add_error(None, refusal)
        return render(request, "leaders/leaving.html", {**context, "form": form}, status=400)
    outcome.note += " " + _need_cover(_released_by(membership))
    return redirect_with(request, outcome, reverse("leaders:circle", args=[circle.pk]))


def _released_by(membership: Membership) -> int:
    """How many places ending the membership just released, as its audit event lists them."""
    event = (
        AuditEvent.objects.filter(
            action=Action.END_MEMBERSHIP,
            subject_type="circles.membership",
            subject_id=membership.pk,
        )
        .order_by("-pk")
        .first()
    )
    return len(event.after.get("released", [])) if event else 0


def _need_cover(released: int) -> str:
    if not released:
        return _("They had no visits from that day.")
    return ngettext(
        "%(count)d visit needs cover; the circle has been told.",
        "%(count)d visits need cover; the circle has been told.",
        released,
    ) % {"count": released}

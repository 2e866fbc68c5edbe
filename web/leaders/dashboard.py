"""Every circle a team leader supports, on one screen, and the payroll hours export."""

from contextlib import suppress
from datetime import datetime

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from redis.exceptions import RedisError

from circles import glance, payroll
from circles.models import Circle
from circles.payroll import PayrollForm, last_month
from web.http import Request
from web.leaders.access import circles_led, leader_required
from web.leaders.queries import DAYS, circles_at_a_glance, escalated_calls, page_of_circles

REFRESH_SECONDS = 60
# The payroll form's "show them here" button: the hours on the page, not as a file.
SHOW = "show"


@leader_required
@require_GET
def dashboard(request: Request) -> HttpResponse:
    """State, cover over the next 14 days, essential gaps, headroom and the last alert of
    each circle, worst first, under the calls for help that went to the team leaders; a
    page of them at a time past a screenful. htmx asks for that part again every minute."""
    now = timezone.now()
    page, waiting = page_of_circles(circles_led(request.user), now, request.GET.get("page"))
    this_page = reverse("leaders:dashboard")
    if page.number > 1:
        this_page += f"?page={page.number}"
    context = {
        "rows": _rows(list(page.object_list), now),
        "page": page,
        "this_page": this_page,
        "calls": escalated_calls(waiting),
        "now": now,
        "days": DAYS,
        "refresh_seconds": REFRESH_SECONDS,
    }
    if request.htmx:
        return render(request, "leaders/dashboard.html#circles", context)
    context["payroll_form"] = PayrollForm(initial=last_month(timezone.localdate()))
    return render(request, "leaders/dashboard.html", context)


def _rows(circle_ids: list[int], now: datetime) -> list[SafeString]:
    """Each circle's row, written out in the page's language: those kept (circles.glance)
    as they were, the others worked out together and kept. Without the cache (Redis away),
    every row is worked out."""
    language = get_language()
    keys = {pk: glance.row_key(pk, language, now) for pk in circle_ids}
    try:
        kept = cache.get_many(list(keys.values()))
    except RedisError:
        kept = {}
    missing = [pk for pk in circle_ids if keys[pk] not in kept]
    if missing:
        fresh = {
            keys[row.circle.pk]: render_to_string("leaders/dashboard.html#row", {"row": row})
            for row in circles_at_a_glance(Circle.objects.filter(pk__in=missing), now)
        }
        with suppress(RedisError):  # without the cache, they are worked out again next time
            cache.set_many(fresh, glance.ROW_SECONDS)
        kept.update(fresh)
    # Written by the template above, from the circle's own figures and names, escaped there.
    return [mark_safe(kept[keys[pk]]) for pk in circle_ids]


@leader_required
@require_GET
def payroll_hours(request: Request) -> HttpResponse:
    """Hours worked per paid carer in the leader's circles and each visit behind them, as a
    file or on the page ("show"). A period with nothing done is said so on the page, not
    given as an empty file; one that makes no sense gets the form again, with what is
    wrong, and nothing is produced."""
    if not request.GET:
        form = PayrollForm(initial=last_month(timezone.localdate()))
        return render(request, "leaders/payroll.html", {"form": form})
    form = PayrollForm(request.GET)
    if not form.is_valid():
        return render(request, "leaders/payroll.html", {"form": form}, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    circle_ids = circles_led(request.user).values_list("pk", flat=True)
    made = payroll.hours(circle_ids, start, end, now=timezone.now())
    if SHOW in request.GET or not made.totals:
        context = {"form": form, "hours": made, "nothing": payroll.nothing_done(start, end)}
        return render(request, "leaders/payroll.html", context)
    return payroll.download(made, form.cleaned_data["file_format"])

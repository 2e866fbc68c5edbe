"""Ana sees Gwen's Tuesday visit needs cover every week, taps “Take every week”, is shown the
dates it would take and those she can't, in words, and takes them with one button."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rota import services
from rota.generation import generate_shifts
from rota.models import AbsenceKind, Assignment, Shift
from tests.factories import VisitPlanFactory
from tests.outcomes import nothing_changes
from tests.stories import WEDNESDAY_NOON, at, planned_visit
from tests.web.pages import cards, words


def tuesdays(client, until: date = date(2026, 6, 3)):
    plan = VisitPlanFactory(
        client=client,
        title="Tuesday lunch",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=WEDNESDAY_NOON.date(),
        start_time=time(12),
    )
    generate_shifts(client.circle, WEDNESDAY_NOON.date(), until)
    return list(Shift.objects.filter(plan=plan).order_by("start"))


def test_a_repeating_visit_offers_take_every_week_and_a_one_off_does_not(client, story):
    tuesday = tuesdays(story.gwen)[0]
    once = planned_visit(story.tom, at(30, 8, month=4), title="Just this once")
    client.force_login(story.ana)

    page = client.get(reverse("carer:needs_cover")).text

    (lunch, *_) = [c for c in cards(page, "visit") if "Tuesday lunch" in c]
    assert "I'll take it Take every week" in lunch
    assert reverse("carer:take_every_week", args=[tuesday.pk]) in page
    (one_off,) = [c for c in cards(page, "visit") if "Just this once" in c]
    assert "I'll take it" in one_off and "Take every week" not in one_off
    assert reverse("carer:take_every_week", args=[once.pk]) not in page


def test_a_visit_whose_other_weeks_are_covered_offers_no_take_every_week(client, story):
    first, *later = tuesdays(story.gwen)
    for shift in later:
        services.claim(shift, story.cat)
    client.force_login(story.ana)

    page = client.get(reverse("carer:needs_cover")).text

    assert reverse("carer:take", args=[first.pk]) in page
    assert "Take every week" not in page


def test_it_asks_first_listing_the_dates_and_those_she_cannot_take(client, story):
    visits = tuesdays(story.gwen)
    services.record_absence(story.ana, AbsenceKind.HOLIDAY, at(19, 0), at(20, 0))
    client.force_login(story.ana)

    with nothing_changes():
        page = words(client.get(reverse("carer:take_every_week", args=[visits[0].pk])).text)

    assert "Gwen, every Tuesday at 12:00 (Tuesday lunch)" in page
    assert "You would take these 4 visits: Tue 5 May , 12:00–13:00 Tue 12 May" in page
    assert (
        "You can't take these: Tue 19 May: You are off (holiday) from Tue 19 May 00:00 "
        "to Wed 20 May 00:00."
    ) in page
    assert "Later weeks are not on the rota yet." in page
    assert "Yes, take these 4 visits" in page


def test_yes_takes_them_and_says_how_many_and_which_not(client, story):
    visits = tuesdays(story.gwen)
    services.record_absence(story.ana, AbsenceKind.HOLIDAY, at(19, 0), at(20, 0))
    client.force_login(story.ana)

    response = client.post(reverse("carer:take_every_week", args=[visits[0].pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("carer:needs_cover")
    page = words(response.text)
    assert "You took 4 visits. Thank you! Later weeks are not on the rota yet." in page
    assert "Not taken: Tue 19 May: You are off (holiday)" in page
    held = Assignment.objects.filter(carer=story.ana, released_at__isnull=True)
    assert sorted(held.values_list("shift_id", flat=True)) == [
        s.pk for s in visits if s.start != at(19, 12)
    ]


def test_pressing_yes_again_takes_nothing_more_and_says_so(client, story):
    visits = tuesdays(story.gwen)
    client.force_login(story.ana)
    client.post(reverse("carer:take_every_week", args=[visits[0].pk]))

    with nothing_changes():
        response = client.post(reverse("carer:take_every_week", args=[visits[0].pk]), follow=True)

    assert "None of these visits needs a carer now. Nothing has changed." in words(response.text)


@pytest.mark.parametrize("page", ["needs_cover", "take_every_week"])
def test_the_pages_cost_the_same_for_two_weeks_as_for_five(client, story, page):
    counted = []
    for until in (date(2026, 5, 13), date(2026, 6, 3)):
        Shift.objects.all().delete()
        first = tuesdays(story.gwen, until)[0]
        client.force_login(story.ana)
        url = reverse(f"carer:{page}", args=[first.pk] if page == "take_every_week" else [])
        with CaptureQueriesContext(connection) as queries:
            assert "Take every week" in client.get(url).text
        counted.append(len(queries))
    assert counted[0] == counted[1]

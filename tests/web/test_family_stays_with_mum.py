"""Sian stays the night with her mum (Friday 22:00 until Saturday 07:00), or weeks on end: the
page takes a day and time for each end, shows the stay across the days, and says what happens
to the visits the rota has not made yet."""

from datetime import date, time

import pytest
from django.urls import reverse

from rota.generation import generate_shifts
from rota.models import FamilyVisit, Shift, ShiftStatus
from tests.factories import VisitPlanFactory
from tests.outcomes import nothing_changes
from tests.stories import at, place, planned_visit
from tests.web.pages import cards, words

NIGHT = {"day": "2026-05-01", "start": "22:00", "end_day": "2026-05-02", "end": "07:00"}
# The rota is made six weeks ahead: on Wednesday 29 April, up to Tuesday 9 June.
JUNE = {"day": "2026-06-05", "start": "10:00", "end_day": "2026-06-15", "end": "10:00"}


@pytest.fixture(autouse=True)
def six_weeks_ahead(settings):
    settings.ROTA_HORIZON_WEEKS = 6


@pytest.fixture
def night(story):
    """Gwen's Friday night: bedtime with Ana at 23:00, getting up at 06:00, breakfast at 07:00."""
    return {
        "bedtime": place(planned_visit(story.gwen, at(1, 23), title="Bedtime"), story.ana).shift,
        "getting_up": planned_visit(story.gwen, at(2, 6), title="Getting up"),
        "breakfast": planned_visit(story.gwen, at(2, 7), title="Breakfast"),
    }


def with_page(story):
    return reverse("family:with", args=[story.gwen.pk])


def test_a_night_is_previewed_across_midnight(client, story, night):
    client.force_login(story.sian)
    with nothing_changes():
        page = client.post(with_page(story), {**NIGHT, "step": "preview"})

    text = words(page.text)
    freed = text[text.index("Not needed while you are there") : text.index("Still happening")]
    assert "Friday 1 May, 22:00 to Saturday 2 May, 07:00" in text
    assert "Fri 1 May 23:00–00:00 Bedtime" in freed
    assert "Sat 2 May 06:00–07:00 Getting up" in freed
    assert "Breakfast" not in text
    assert "not on the rota yet" not in text


def test_saving_a_night_frees_its_visits_and_lists_it_across_the_days(client, story, night):
    client.force_login(story.sian)

    response = client.post(with_page(story), {**NIGHT, "step": "save"}, follow=True)

    assert (
        "Thank you: you'll be with Gwen on Friday 1 May, 22:00 to Saturday 2 May, 07:00. "
        "2 visits are not needed then, so their carers can help someone else."
    ) in words(response.text)
    family_visit = FamilyVisit.objects.get()
    assert (family_visit.start, family_visit.end) == (at(1, 22), at(2, 7))
    statuses = {key: Shift.objects.get(pk=shift.pk).status for key, shift in night.items()}
    assert statuses == {
        "bedtime": ShiftStatus.NOT_NEEDED,
        "getting_up": ShiftStatus.NOT_NEEDED,
        "breakfast": ShiftStatus.PLANNED,
    }
    assert cards(response.text, "family-visit") == [
        "Friday 1 May, 22:00 to Saturday 2 May, 07:00 You will be with Gwen. 2 visits are not "
        "needed. Withdraw Friday 1 May, 22:00"
    ]


def test_a_stay_past_the_rota_says_what_happens_to_the_visits_made_later(client, story):
    VisitPlanFactory(client=story.gwen, starts_on=date(2026, 4, 29), start_time=time(12))
    generate_shifts(story.circle, date(2026, 4, 29), date(2026, 6, 10))
    client.force_login(story.sian)

    preview = client.post(with_page(story), {**JUNE, "step": "preview"})
    saved = client.post(with_page(story), {**JUNE, "step": "save"}, follow=True)

    later = (
        "Visits after Tuesday 9 June are not on the rota yet: when they are added, any wholly "
        "in your time will not be needed (essential ones still happen)."
    )
    assert later in words(preview.text)
    assert "Sat 6 Jun 12:00–13:00 Morning visit" in words(preview.text)
    assert (
        "Thank you: you'll be with Gwen on Friday 5 June, 10:00 to Monday 15 June, 10:00. "
        "5 visits are not needed then, so their carers can help someone else. " + later
    ) in words(saved.text)


def test_a_stay_wholly_past_the_rota_is_not_said_to_free_nothing(client, story):
    client.force_login(story.sian)

    saved = client.post(
        with_page(story),
        {"day": "2026-07-01", "start": "09:00", "end_day": "2026-07-08", "end": "09:00"}
        | {"step": "save"},
        follow=True,
    )

    text = words(saved.text)
    assert "No visits needed freeing" not in text
    assert (
        "Thank you: you'll be with Gwen on Wednesday 1 July, 09:00 to Wednesday 8 July, 09:00. "
        "Visits after Tuesday 9 June are not on the rota yet"
    ) in text
    assert FamilyVisit.objects.count() == 1


@pytest.mark.parametrize(
    ("window", "said"),
    [
        (
            {**NIGHT, "end_day": "2026-05-01"},
            "“Until” must be later than “from”. For a night, choose the next day under "
            "“until”. Nothing has been saved.",
        ),
        (
            {**NIGHT, "end_day": "2026-05-30"},
            "A stay can be at most 28 days. Nothing has been saved.",
        ),
        ({**NIGHT, "end_day": ""}, "This field is required."),
        ({**NIGHT, "end_day": "Saturday"}, "Enter a valid date."),
    ],
    ids=["same day, the night backwards", "longer than four weeks", "no until day", "not a day"],
)
@pytest.mark.parametrize("step", ["preview", "save"])
def test_a_stay_that_makes_no_sense_is_refused_plainly(client, story, window, said, step):
    client.force_login(story.sian)
    with nothing_changes():
        response = client.post(with_page(story), {**window, "step": step})

    assert response.status_code == 200
    assert said in words(response.text)
    assert "Not needed while you are there" not in words(response.text)


def test_the_form_asks_from_and_until_each_a_day_and_a_time(client, story):
    client.force_login(story.sian)

    page = client.get(with_page(story))

    text = words(page.text)
    assert "From Day Time Until Day Time" in text
    for name in ("day", "start", "end_day", "end"):
        assert f'name="{name}"' in page.text
    assert page.text.count('value="2026-04-29"') == 2  # both days start at today

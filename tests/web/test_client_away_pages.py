"""Gwen goes into hospital: Rhian records it on Gwen's page, or Gwen on her own pages, or Rhys
for her; the circle board shows the hours of visits not needed; back early, the visits come
back. Sian, her daughter, sees it and may not change it."""

import pytest
from django.urls import reverse

from rota.models import ClientAway, ShiftStatus
from tests.outcomes import nothing_changes
from tests.stories import at, place, planned_visit
from tests.web.pages import words

HOSPITAL = {
    "day": "2026-05-01",
    "start": "10:00",
    "end_day": "2026-05-08",
    "end": "10:00",
    "reason": "hospital",
}


@pytest.fixture
def gwens_visits(story):
    """Tablets on Saturday 2 May, 11:00 (essential, two hours, Ana's) and lunch on Wednesday
    6 May, 12:00 (an hour and a half, Ben's)."""
    return {
        "tablets": place(
            planned_visit(story.gwen, at(2, 11), essential=True, hours=2), story.ana
        ).shift,
        "lunch": place(planned_visit(story.gwen, at(6, 12), hours=1.5), story.ben).shift,
    }


def client_page(story) -> str:
    return reverse("leaders:client", args=[story.gwen.pk])


def test_a_team_leader_records_gwen_in_hospital_on_her_page(client, story, gwens_visits):
    client.force_login(story.rhian)

    form = words(client.get(client_page(story)).text)
    assert "Away from home" in form and "Gwen is not away from home at any time we know of." in form

    page = client.post(reverse("leaders:record_away", args=[story.gwen.pk]), HOSPITAL, follow=True)

    text = words(page.text)
    assert "Saved: Friday 1 May, 10:00 to Friday 8 May, 10:00." in text
    assert "2 visits are not needed then; their carers have been told." in text
    assert "Gwen is in hospital until Fri 8 May 10:00. 3.5 hours of visits not needed." in text
    for shift in gwens_visits.values():
        shift.refresh_from_db()
        assert shift.status == ShiftStatus.NOT_NEEDED


def test_the_circle_board_and_circle_page_show_the_hours_freed(client, story, gwens_visits):
    client.force_login(story.rhian)
    client.post(reverse("leaders:record_away", args=[story.gwen.pk]), HOSPITAL)

    circle_page = words(client.get(reverse("leaders:circle", args=[story.circle.pk])).text)
    client.force_login(story.cat)
    board = words(client.get(reverse("carer:circle_board", args=[story.circle.pk])).text)

    said = (
        "From Fri 1 May 10:00: Gwen is in hospital until Fri 8 May 10:00. "
        "3.5 hours of visits not needed."
    )
    assert said in circle_page
    assert said in board


def test_back_early_puts_the_visits_from_then_on_back(client, story, gwens_visits):
    client.force_login(story.rhian)
    client.post(reverse("leaders:record_away", args=[story.gwen.pk]), HOSPITAL)
    away = ClientAway.objects.get()

    page = client.post(
        reverse("leaders:back_early", args=[away.pk]),
        {"day": "2026-05-04", "time": "09:00"},
        follow=True,
    )

    text = words(page.text)
    assert "Saved: back home from Monday 4 May, 09:00." in text
    assert "Gwen is in hospital until Mon 4 May 09:00. 2 hours of visits not needed." in text
    lunch = gwens_visits["lunch"]
    lunch.refresh_from_db()
    assert lunch.status == ShiftStatus.PLANNED
    assert lunch.assignments.filter(released_at__isnull=True).get().carer == story.ben


def test_gwen_is_spoken_to_on_her_own_page(client, story, gwens_visits):
    client.force_login(story.gwen_herself)
    page = reverse("family:away", args=[story.gwen.pk])

    client.post(reverse("family:record_away", args=[story.gwen.pk]), HOSPITAL)

    text = words(client.get(page).text)
    assert "You away from home" in text
    assert "From Fri 1 May 10:00: You are in hospital until Fri 8 May 10:00." in text
    assert "Tell the circle you will be away" in text
    assert "Gwen is" not in text


def test_her_representative_can_say_it_and_her_daughter_only_sees_it(client, story, gwens_visits):
    client.force_login(story.rhys)
    client.post(reverse("family:record_away", args=[story.gwen.pk]), HOSPITAL)
    away = ClientAway.objects.get()
    assert away.reason == "hospital"

    client.force_login(story.sian)
    text = words(client.get(reverse("family:away", args=[story.gwen.pk])).text)
    assert "Gwen is in hospital until Fri 8 May 10:00." in text
    assert "Back early" not in text and "Save the time away" not in text
    with nothing_changes():
        refused = client.post(
            reverse("family:back_early", args=[away.pk]), {"day": "2026-05-04", "time": "09:00"}
        )
    assert refused.status_code == 403


def test_bad_input_is_told_in_words_and_nothing_is_saved(client, story, gwens_visits):
    client.force_login(story.rhian)
    backwards = {**HOSPITAL, "end_day": "2026-04-30"}
    far = {**HOSPITAL, "day": "9999-01-01", "end_day": "9999-01-02"}

    with nothing_changes():
        first = client.post(
            reverse("leaders:record_away", args=[story.gwen.pk]), backwards, follow=True
        )
        second = client.post(reverse("leaders:record_away", args=[story.gwen.pk]), far, follow=True)

    assert "“Until” must be later than “from”. Nothing has been saved." in words(first.text)
    assert "Choose a date between" in words(second.text)

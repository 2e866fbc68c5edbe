"""Sian says “I'll be with Mum on Saturday 2–5pm”: the page first shows which visits that
frees and which essential ones still happen; saving frees them; withdrawing puts them back."""

import pytest
import time_machine
from django.urls import reverse

from rota import services
from rota.models import Assignment, FamilyVisit, FamilyVisitStatus, ShiftStatus
from tests.outcomes import nothing_changes
from tests.stories import at, place, planned_visit
from tests.web.pages import HTMX, cards, words

SATURDAY = {"day": "2026-05-02", "start": "14:00", "end_day": "2026-05-02", "end": "17:00"}


@pytest.fixture
def saturday(story):
    """Gwen's Saturday: lunch (partly in the window), tea with Ana, medication (essential),
    and supper after Sian leaves."""
    return {
        "lunch": planned_visit(story.gwen, at(2, 13, 30), title="Lunch"),
        "tea": place(planned_visit(story.gwen, at(2, 15), title="Tea"), story.ana).shift,
        "tablets": planned_visit(story.gwen, at(2, 16), title="Tablets", essential=True),
        "supper": planned_visit(story.gwen, at(2, 18), title="Supper"),
    }


def with_page(client, story):
    return reverse("family:with", args=[story.gwen.pk])


def test_preview_lists_the_visits_freed_and_those_that_still_happen(client, story, saturday):
    client.force_login(story.sian)
    with nothing_changes():  # a preview changes nothing
        page = client.post(with_page(client, story), {**SATURDAY, "step": "preview"})

    text = words(page.text)
    freed = text[text.index("Not needed while you are there") : text.index("Still happening")]
    still = text[text.index("Still happening") : text.index("Save: I'll be with Gwen then")]
    assert "Saturday 2 May, 14:00 to 17:00" in text
    assert "15:00–16:00 Tea" in freed
    assert "Lunch" not in freed and "Tablets" not in freed and "Supper" not in freed
    assert "13:30–14:30 Lunch: only partly in your time, so it still happens." in still
    assert "16:00–17:00 Tablets: essential, so it still happens." in still
    assert "Supper" not in still


def test_with_htmx_the_preview_swaps_in_place(client, story, saturday):
    client.force_login(story.sian)

    response = client.post(with_page(client, story), SATURDAY, headers=HTMX)

    assert "<html" not in response.text
    assert 'id="preview-heading"' in response.text
    assert "15:00–16:00" in words(response.text)


def test_saving_frees_the_visits_and_lists_the_family_visit(client, story, saturday):
    client.force_login(story.sian)

    response = client.post(with_page(client, story), {**SATURDAY, "step": "save"}, follow=True)

    assert response.redirect_chain[-1][0] == with_page(client, story)
    assert (
        "Thank you: you'll be with Gwen on Saturday 2 May, 14:00 to 17:00. 1 visit is not "
        "needed then, so its carer can help someone else."
    ) in words(response.text)
    visit_ = FamilyVisit.objects.get()
    assert (visit_.family_member, visit_.client) == (story.sian, story.gwen)
    assert (visit_.start, visit_.end) == (at(2, 14), at(2, 17))
    saturday["tea"].refresh_from_db()
    assert saturday["tea"].status == ShiftStatus.NOT_NEEDED
    assert not Assignment.objects.filter(shift=saturday["tea"], released_at__isnull=True)
    assert cards(response.text, "family-visit") == [
        "Saturday 2 May, 14:00–17:00 You will be with Gwen. 1 visit is not needed. "
        "Withdraw Saturday 2 May, 14:00"
    ]


def test_pressing_save_twice_records_one_visit(client, story, saturday):
    client.force_login(story.sian)
    client.post(with_page(client, story), {**SATURDAY, "step": "save"})

    again = client.post(with_page(client, story), {**SATURDAY, "step": "save"}, follow=True)

    assert FamilyVisit.objects.count() == 1
    assert "You had already told us about this visit. Nothing changed." in words(again.text)


def test_withdrawing_puts_the_visits_back_with_their_carer(client, story, saturday):
    client.force_login(story.sian)
    client.post(with_page(client, story), {**SATURDAY, "step": "save"})
    family_visit = FamilyVisit.objects.get()

    response = client.post(reverse("family:withdraw", args=[family_visit.pk]), follow=True)

    assert response.redirect_chain[-1][0] == with_page(client, story)
    assert (
        "Withdrawn: Gwen's usual visits on Saturday 2 May, 14:00 to 17:00 are back on, and the "
        "circle will cover any that need a carer."
    ) in words(response.text)
    family_visit.refresh_from_db()
    assert family_visit.status == FamilyVisitStatus.WITHDRAWN
    saturday["tea"].refresh_from_db()
    assert saturday["tea"].status == ShiftStatus.PLANNED
    assert (
        Assignment.objects.get(shift=saturday["tea"], released_at__isnull=True).carer == story.ana
    )
    assert cards(response.text, "family-visit") == []


def test_with_htmx_withdrawing_swaps_the_list_in_place(client, story, saturday):
    client.force_login(story.sian)
    family_visit = services.record_family_visit(story.sian, story.gwen, at(2, 14), at(2, 17))

    response = client.post(reverse("family:withdraw", args=[family_visit.pk]), headers=HTMX)

    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="family-visits">')
    assert "Withdrawn:" in words(response.text)
    assert cards(response.text, "family-visit") == []


def test_withdrawing_twice_changes_nothing_the_second_time(client, story, saturday):
    family_visit = services.record_family_visit(story.sian, story.gwen, at(2, 14), at(2, 17))
    client.force_login(story.sian)
    client.post(reverse("family:withdraw", args=[family_visit.pk]))
    with nothing_changes():
        again = client.post(reverse("family:withdraw", args=[family_visit.pk]), follow=True)

    assert "This visit was already withdrawn. Nothing changed." in words(again.text)


def test_a_visit_under_way_cannot_be_withdrawn(client, story, saturday):
    family_visit = services.record_family_visit(story.sian, story.gwen, at(2, 14), at(2, 17))
    with time_machine.travel(at(2, 15), tick=False):
        # Signed in that afternoon: a session from days before would have ended.
        client.force_login(story.sian)
        page = client.get(with_page(client, story))
        with nothing_changes():
            response = client.post(reverse("family:withdraw", args=[family_visit.pk]), follow=True)

    assert "Under way, so it can no longer be withdrawn." in words(page.text)
    assert "Your visit has already started, so it can't be withdrawn." in words(response.text)


@pytest.mark.parametrize(
    ("window", "said"),
    [
        (
            {**SATURDAY, "start": "17:00", "end": "14:00"},
            "“Until” must be later than “from”. For a night, choose the next day under "
            "“until”. Nothing has been saved.",
        ),
        (
            {"day": "2026-04-28", "start": "14:00", "end_day": "2026-04-28", "end": "17:00"},
            "That time has already passed. Nothing has been saved.",
        ),
        ({**SATURDAY, "start": "teatime"}, "Enter a valid time."),
    ],
    ids=["backwards", "in the past", "not a time"],
)
@pytest.mark.parametrize("step", ["preview", "save"])
def test_a_window_that_makes_no_sense_is_refused_plainly(
    client, story, saturday, window, said, step
):
    client.force_login(story.sian)
    with nothing_changes():
        response = client.post(with_page(client, story), {**window, "step": step})

    assert response.status_code == 200
    assert said in words(response.text)
    assert "Not needed while you are there" not in words(response.text)


def test_someone_elses_family_visit_cannot_be_withdrawn(client, story, saturday):
    """Rhys, who speaks for Gwen, sees Sian's visit but it is Sian's to withdraw; Bryn cannot
    even see it."""
    family_visit = services.record_family_visit(story.sian, story.gwen, at(2, 14), at(2, 17))
    with nothing_changes():
        client.force_login(story.rhys)
        page = client.get(with_page(client, story))
        refused = client.post(reverse("family:withdraw", args=[family_visit.pk]), follow=True)
        client.force_login(story.bryn)
        hidden = client.post(reverse("family:withdraw", args=[family_visit.pk]))
        hidden_htmx = client.post(reverse("family:withdraw", args=[family_visit.pk]), headers=HTMX)
        elsewhere = client.get(with_page(client, story))

    assert cards(page.text, "family-visit") == [
        "Saturday 2 May, 14:00–17:00 Sian Davies will be with Gwen. 1 visit is not needed."
    ]
    assert "You can't make this change for someone else." in words(refused.text)
    assert (hidden.status_code, hidden_htmx.status_code, elsewhere.status_code) == (404, 404, 404)

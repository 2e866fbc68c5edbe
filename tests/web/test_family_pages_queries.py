"""Each family page costs the same number of queries for a quiet week as for a busy one."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rota import services
from tests.stories import WEDNESDAY_NOON, at, missed, place, planned_visit, visited
from tests.web.pages import HTMX


def fill_week(story, visits_a_day: int) -> None:
    """Gwen's next week, `visits_a_day` visits a day shared by Ana, Ben and Cat (some
    familiar, some new), a few uncovered, one freed by Sian, one a double-up."""
    carers = [story.ana, story.ben, story.cat]
    for days_ago in (2, 3):
        place(
            planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=days_ago, hours=1)), story.ana
        )
    for day in range(7):
        for n in range(visits_a_day):
            start = at(30, 7, month=4) + timedelta(days=day, hours=2 * n)
            shift = planned_visit(story.gwen, start, carers_needed=2 if n == 1 else 1)
            if (day + n) % 4:
                place(shift, carers[(day + n) % 3])
    services.record_family_visit(
        story.sian,
        story.gwen,
        at(30, 6, month=4),
        at(30, 7, month=4) + timedelta(hours=2 * visits_a_day),
    )


PAGES = [
    # session, person, whether they speak for anyone (the door of the family pages), clients,
    # shifts with their carers and family visits (3), familiarity, who has visited before,
    # a call for help, and the layout's menu and unread messages (2)
    pytest.param(lambda: reverse("family:coming"), 12, id="who_is_coming"),
    # session, person, the door, clients, places, familiarity, approvals, who has visited
    # before, wishes, new carers this month (against the client's limit), and the layout (2)
    pytest.param(lambda: reverse("family:about"), 12, id="likes_and_wishes"),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
@pytest.mark.parametrize("visits_a_day", [1, 6])
def test_a_page_of_gwens_week_costs_the_same_quiet_or_busy(
    client, story, visits_a_day, url, queries, django_assert_num_queries
):
    fill_week(story, visits_a_day)
    client.force_login(story.sian)
    with django_assert_num_queries(queries):
        client.get(url())


@pytest.mark.parametrize("visits_a_day", [1, 6])
def test_ill_be_with_and_its_preview(client, story, visits_a_day, django_assert_num_queries):
    fill_week(story, visits_a_day)
    client.force_login(story.sian)
    url = reverse("family:with", args=[story.gwen.pk])
    # session, person, the door, client, family visits, and the layout (2)
    with django_assert_num_queries(7):
        client.get(url)
    # the preview in place: session, person, the door, client, what it frees, what still
    # happens, and the layout's context (2), worked out even for a partial
    with django_assert_num_queries(8):
        client.post(
            url,
            {"day": "2026-05-02", "start": "06:00", "end_day": "2026-05-02", "end": "22:00"},
            headers=HTMX,
        )


def test_help_status_and_its_poll(client, story, django_assert_num_queries):
    client.force_login(story.sian)
    request = services.raise_help_request(story.gwen, actor=story.sian)
    url = reverse("family:help_status", args=[request.pk])
    # session, person, the door, the request, how many carers were asked, and the layout (2)
    with django_assert_num_queries(7):
        client.get(url)
    # the poll: session, person, the door, the request, how many were asked, and the
    # layout's context (2), worked out even for a partial
    with django_assert_num_queries(7):
        client.get(url, headers=HTMX)
    services.accept_help_request(request, story.ana, actor=story.ana)
    # and who said yes
    with django_assert_num_queries(8):
        client.get(url)


def fill_last_week(story, visits_a_day: int) -> None:
    """Gwen's last 7 days, `visits_a_day` visits a day by Ana, Ben and Cat, each recorded with
    its tasks, two medicine rounds and a note; every fourth a double-up, every fifth missed."""
    carers = [story.ana, story.ben, story.cat]
    for day in range(1, 7):
        for n in range(visits_a_day):
            start = WEDNESDAY_NOON - timedelta(days=day, hours=2 * n + 1)
            shift = planned_visit(
                story.gwen,
                start,
                carers_needed=2 if n % 4 == 3 else 1,
                tasks=("Breakfast", "Shower"),
                medicines=("Metformin", "Vitamin D"),
            )
            on_it = [carers[(day + n) % 3], carers[(day + n + 1) % 3]][: shift.carers_needed]
            places = [place(shift, carer) for carer in on_it]
            if (day + n) % 5 == 0:
                missed(shift)
                continue
            for held in places:
                visited(
                    held,
                    start,
                    start + timedelta(minutes=50),
                    tasks=("Breakfast",),
                    medication=(("Metformin", "given", ""), ("Vitamin D", "refused", "")),
                    note=f"Day {day}, visit {n}",
                )


@pytest.mark.parametrize("visits_a_day", [1, 6])
@pytest.mark.parametrize(
    ("who", "queries"),
    [
        # session, person, the door, clients, the visits with their plans, their places
        # (carers and records), the medicine rounds, the missed marks, the places she has
        # thanked already, and the layout (2)
        ("sian", 11),
        # the same, and her menu asks whether she speaks for anyone: she has no membership
        ("gwen_herself", 12),
    ],
)
def test_what_happened_costs_the_same_quiet_or_busy(
    client, story, visits_a_day, who, queries, django_assert_num_queries
):
    fill_last_week(story, visits_a_day)
    client.force_login(getattr(story, who))
    with django_assert_num_queries(queries):
        response = client.get(reverse("family:what_happened"))
    assert response.text.count("done-visit") >= 6 * visits_a_day


@pytest.mark.parametrize("visits_a_day", [1, 6])
def test_what_happened_with_notes_kept_from_family_costs_the_same(
    client, story, visits_a_day, django_assert_num_queries
):
    fill_last_week(story, visits_a_day)
    story.gwen.family_read_notes = False
    story.gwen.save(update_fields=["family_read_notes"])
    client.force_login(story.sian)
    # as above: Gwen's representative, named as whom to ask, came with the clients
    with django_assert_num_queries(11):
        client.get(reverse("family:what_happened"))

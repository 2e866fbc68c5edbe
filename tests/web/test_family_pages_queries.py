"""Each family page costs the same number of queries for a quiet week as for a busy one."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rota import services
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
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
    # shifts with their carers and family visits (3), familiarity (2), who has visited
    # before, a call for help, and the layout's menu and unread messages (2)
    pytest.param(lambda: reverse("family:coming"), 13, id="who_is_coming"),
    # session, person, the door, clients, places, familiarity (2), approvals, who has
    # visited before, wishes, and the layout (2)
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

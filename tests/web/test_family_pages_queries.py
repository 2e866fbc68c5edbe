"""Each family page costs the same number of queries for a quiet week as for a busy one."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from rota import services
from tests.web.family_cast import NOW, at, cast, place, visit


@pytest.fixture
def story(db):
    with time_machine.travel(NOW, tick=False):
        yield cast()


def fill_week(story, visits_a_day: int) -> None:
    """Gwen's next week, `visits_a_day` visits a day shared by Ana, Ben and Cat (some
    familiar, some new), a few uncovered, one freed by Sian, one a double-up."""
    carers = [story.ana, story.ben, story.cat]
    for days_ago in (2, 3):
        place(visit(story.gwen, NOW - timedelta(days=days_ago, hours=1)), story.ana)
    for day in range(7):
        for n in range(visits_a_day):
            start = at(30, 7) + timedelta(days=day, hours=2 * n)
            shift = visit(story.gwen, start, carers_needed=2 if n == 1 else 1)
            if (day + n) % 4:
                place(shift, carers[(day + n) % 3])
    services.record_family_visit(
        story.sian, story.gwen, at(30, 6), at(30, 7) + timedelta(hours=2 * visits_a_day)
    )


@pytest.mark.parametrize("visits_a_day", [1, 6])
def test_who_is_coming(client, story, visits_a_day, django_assert_num_queries):
    fill_week(story, visits_a_day)
    client.force_login(story.sian)
    # session, person, clients, shifts with their carers and family visits (3),
    # familiarity (2), a call for help, and the layout's menu and unread messages (2)
    with django_assert_num_queries(11):
        client.get(reverse("family:coming"))


@pytest.mark.parametrize("visits_a_day", [1, 6])
def test_likes_and_wishes(client, story, visits_a_day, django_assert_num_queries):
    fill_week(story, visits_a_day)
    client.force_login(story.sian)
    # session, person, clients, places, familiarity (2), approvals, wishes, and the
    # layout (2)
    with django_assert_num_queries(10):
        client.get(reverse("family:about"))


@pytest.mark.parametrize("visits_a_day", [1, 6])
def test_ill_be_with_and_its_preview(client, story, visits_a_day, django_assert_num_queries):
    fill_week(story, visits_a_day)
    client.force_login(story.sian)
    url = reverse("family:with", args=[story.gwen.pk])
    # session, person, client, family visits, and the layout (2)
    with django_assert_num_queries(6):
        client.get(url)
    # the preview in place: session, person, client, what it frees, what still happens,
    # and the layout's context (2), worked out even for a partial
    with django_assert_num_queries(7):
        client.post(
            url,
            {"day": "2026-05-02", "start": "06:00", "end": "22:00"},
            headers={"HX-Request": "true"},
        )


def test_help_status_and_its_poll(client, story, django_assert_num_queries):
    client.force_login(story.sian)
    request = services.raise_help_request(story.gwen, actor=story.sian)
    url = reverse("family:help_status", args=[request.pk])
    # session, person, the request, and the layout (2)
    with django_assert_num_queries(5):
        client.get(url)
    # the poll: session, person, the request, and the layout's context (2), worked out
    # even for a partial
    with django_assert_num_queries(5):
        client.get(url, headers={"HX-Request": "true"})
    services.accept_help_request(request, story.ana, actor=story.ana)
    # and who said yes
    with django_assert_num_queries(6):
        client.get(url)

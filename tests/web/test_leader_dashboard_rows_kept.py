"""Each circle's row on the dashboard is worked out once in five minutes, not at every look
(circles.glance): a second look reads only which circles and which calls for help; a change
to the circle, or a new state the sweep finds, shows at the next look all the same; the
next five minutes work every row out anew; and with Redis away the dashboard still opens."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from circles.alerts import sweep
from rota import services
from tests.ports import unused_port
from tests.stories import MONDAY_MORNING, at, planned_visit
from tests.web.test_leader_dashboard_queries import DASHBOARD, SIGNED_IN

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MORNING),
    pytest.mark.usefixtures("frozen_now"),
]

# The circles led with their state, and the calls for help waiting in them.
PAGE_ALONE = 2


def the_dashboard(client) -> str:
    return " ".join(client.get(reverse("leaders:dashboard")).content.decode().split())


def rows(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_a_second_look_works_out_no_row(client, story, django_assert_num_queries):
    planned_visit(story.gwen, at(6, 8), essential=True)
    client.force_login(story.rhian)

    with django_assert_num_queries(SIGNED_IN + DASHBOARD):
        first = the_dashboard(client)
    with django_assert_num_queries(SIGNED_IN + PAGE_ALONE):
        second = the_dashboard(client)

    assert '<strong class="gap-count">1</strong>' in first
    assert rows(second) == rows(first)


def test_a_change_to_the_circle_shows_at_the_next_look(
    client, story, eager, django_capture_on_commit_callbacks
):
    gap = planned_visit(story.gwen, at(6, 8), essential=True)
    client.force_login(story.rhian)
    assert '<strong class="gap-count">1</strong>' in the_dashboard(client)

    # Its follow-up checks the circle, which forgets the circle's rows.
    with django_capture_on_commit_callbacks(execute=True):
        services.claim(gap, story.ana, actor=story.ana)

    page = the_dashboard(client)
    assert "gap-count" not in page
    assert "None" in page


def test_a_state_the_sweep_finds_shows_at_the_next_look(client, story):
    client.force_login(story.rhian)
    assert "gap-count" not in the_dashboard(client)

    # Written round the services, and found by the sweep: tomorrow's tablets, nobody on them.
    planned_visit(story.gwen, at(5, 8), essential=True)
    sweep()

    page = the_dashboard(client)
    assert "state-row-not_coping" in page
    assert '<strong class="gap-count">1</strong>' in page


def test_the_next_five_minutes_work_the_rows_out_anew(client, story, frozen_now):
    client.force_login(story.rhian)
    assert "gap-count" not in the_dashboard(client)

    # Written round the services: only time passing can bring it to the page.
    planned_visit(story.gwen, at(6, 8), essential=True)
    assert "gap-count" not in the_dashboard(client)
    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=4, seconds=59))
    assert "gap-count" not in the_dashboard(client)
    frozen_now.move_to(MONDAY_MORNING + timedelta(minutes=5))

    assert '<strong class="gap-count">1</strong>' in the_dashboard(client)


def test_without_redis_every_row_is_worked_out(client, story):
    planned_visit(story.gwen, at(6, 8), essential=True)
    client.force_login(story.rhian)
    nowhere = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
        }
    }

    with override_settings(CACHES=nowhere):
        response = client.get(reverse("leaders:dashboard"))

    assert response.status_code == 200
    assert '<strong class="gap-count">1</strong>' in " ".join(response.content.decode().split())

"""Rhian reads Treforest's audit trail: every change in words, newest first, filtered by
circle, client, carer and dates; Hillside's changes never appear; a carer erased since
reads as "a former carer"; a page costs the same queries for a few events or many."""

import html
import re

import pytest
import time_machine
from django.urls import reverse

from rota import services
from rota.models import AbsenceKind
from tests.factories import CarerProfileFactory
from tests.stories import MONDAY_MORNING, at, planned_visit

pytestmark = pytest.mark.now(MONDAY_MORNING)


@pytest.fixture
def changes(story):
    """Over three days: Ana takes Gwen's visit (Monday), Ben takes Tom's (Tuesday), Hywel
    takes Bart's in Hillside, and Ben is off sick (Wednesday)."""
    with time_machine.travel(at(4, 10), tick=False):
        services.claim(planned_visit(story.gwen, at(8, 8)), story.ana, actor=story.ana)
    with time_machine.travel(at(5, 10), tick=False):
        services.claim(planned_visit(story.tom, at(8, 10)), story.ben, actor=story.ben)
        services.claim(planned_visit(story.bart, at(8, 10)), story.hywel, actor=story.hywel)
    with time_machine.travel(at(6, 10), tick=False):
        services.record_absence(story.ben, AbsenceKind.SICK, at(11, 0), at(12, 0))


def sentences(browser, **filters) -> list[str]:
    page = browser.get(reverse("leaders:trail"), filters).content.decode()
    rows = re.findall(r'<td data-label="What happened">(.*?)</td>', page, re.S)
    return [html.unescape(row.strip()) for row in rows]


GWEN = "Ana Price took Gwen's 08:00 visit on Fri 8 May."
TOM = "Ben Jones took Tom's 10:00 visit on Fri 8 May."
SICK = "Ben Jones is off (sick) from Mon 11 May 00:00 to Tue 12 May 00:00."


def test_the_trail_tells_each_change_in_words_newest_first(client, story, changes):
    client.force_login(story.rhian)

    assert sentences(client) == [SICK, TOM, GWEN]


def test_it_filters_by_client(client, story, changes):
    client.force_login(story.rhian)

    assert sentences(client, client=story.tom.pk) == [TOM]


def test_it_filters_by_carer(client, story, changes):
    client.force_login(story.rhian)

    assert sentences(client, carer=story.ben.pk) == [SICK, TOM]


def test_it_filters_by_dates(client, story, changes):
    client.force_login(story.rhian)

    assert sentences(client, since="2026-05-05", until="2026-05-05") == [TOM]
    assert sentences(client, since="2026-05-05") == [SICK, TOM]


def test_it_filters_by_circle(client, story, changes):
    with time_machine.travel(at(6, 11), tick=False):
        services.claim(planned_visit(story.dilys, at(8, 9)), story.eli, actor=story.eli)
    client.force_login(story.nerys)

    assert sentences(client, circle=story.pontypridd.pk) == [
        "Eli Thomas took Dilys's 09:00 visit on Fri 8 May."
    ]
    assert len(sentences(client)) == 4


def test_another_circles_changes_never_show(client, story, changes):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:trail"), {"circle": story.hillside.pk}).content.decode()

    assert "Select a valid choice" in page
    assert "Hywel" not in page and "Bart" not in page


def test_dates_the_wrong_way_round_are_refused(client, story, changes):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:trail"), {"since": "2026-05-06", "until": "2026-05-04"})

    assert "The “to” date is before the “from” date." in page.content.decode()
    assert sentences(client, since="2026-05-06", until="2026-05-04") == []


def test_an_erased_carer_reads_as_a_former_carer(client, story):
    dai = CarerProfileFactory(person__full_name="Dai Owen").person
    story.circle.memberships.create(person=dai, role="carer")
    # Dai's time off names Treforest: it released nothing, and Treforest is his one circle.
    services.record_absence(dai, AbsenceKind.HOLIDAY, at(11, 0), at(18, 0), actor=dai)
    dai.delete()
    client.force_login(story.rhian)

    assert sentences(client) == [
        "A former carer is off (holiday) from Mon 11 May 00:00 to Mon 18 May 00:00."
    ]


@pytest.mark.parametrize("days", [1, 12])
def test_a_page_costs_the_same_for_few_and_many_changes(
    client, story, django_assert_num_queries, days
):
    for day in range(days):
        start = at(5, 8 + day % 12, month=6)
        services.claim(planned_visit(story.gwen, start), story.ana, actor=story.ana)
        services.offer(
            services.claim(planned_visit(story.tom, at(6, 8 + day % 12, month=6)), story.ben)
        )
        services.record_absence(story.cat, AbsenceKind.OTHER, at(10 + day, 1), at(10 + day, 2))
    client.force_login(story.rhian)

    # The signed-in leaders' page (6); the filters' choices and whether there are several
    # circles (4); the count and the page of events (2); then what they mention, a query a
    # kind: places, offers, time off, visits, circles, clients, people (7).
    with django_assert_num_queries(19):
        response = client.get(reverse("leaders:trail"))

    assert (
        response.content.decode().count("<tr>") == 4 * days + 1
    )  # a row per change, and the header


def test_each_change_says_when_to_the_second_as_html_allows(client, story):
    """A <time datetime> may give at most three digits of a second: the trail gives none."""
    with time_machine.travel(at(4, 10).replace(microsecond=123456), tick=False):
        services.claim(planned_visit(story.gwen, at(8, 8)), story.ana, actor=story.ana)
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:trail")).content.decode()

    assert re.findall(r'<time datetime="([^"]*)"', page) == ["2026-05-04T10:00:00+0100"]

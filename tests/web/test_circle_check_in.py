"""Treforest's monthly check-in, as its carers and team leaders read it: three questions on
one page (answering again changes the answers), the trend of the months that are over with
no name anywhere, and the team leaders' circle page showing it only when the circle shares
it or it fell sharply.

It is Friday 1 May 2026, ten in the morning: April's check-in is over, May's has begun.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circles.models import CheckIn
from rota import services
from tests.factories import carer
from tests.stories import at
from tests.web.pages import words

pytestmark = [pytest.mark.django_db, pytest.mark.now(at(1, 10))]

MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)
NAMES = ["Ana Price", "Ben Jones", "Cat Morgan", "Dai Rowlands", "Efa Jones"]


@pytest.fixture
def answered(story):
    """March and April answered by all five carers, Ana's own May answers in."""
    people = [story.ana, story.ben, story.cat]
    people += [carer(story.circle, full_name=name) for name in NAMES[3:]]
    for month, scores in ((MARCH, [5, 4, 4, 5, 4]), (APRIL, [4, 3, 3, 4, 4])):
        for person, score in zip(people, scores, strict=True):
            CheckIn.objects.create(
                circle=story.circle,
                person=person,
                month=month,
                coping=score,
                me=score,
                change=f"{person.get_short_name()} would change the Saturday rota",
            )
    CheckIn.objects.filter(month__lt=MAY).update(person=None)
    services.answer_check_in(story.circle, coping=4, me=4, actor=story.ana)
    return story


def page(client, person, name, circle):
    client.force_login(person)
    return client.get(reverse(name, args=[circle.pk]))


def check_in_section(markup: str) -> str:
    return re.search(r'<section[^>]*id="check-in".*?</section>', markup, re.S).group(0)


# The three questions


def test_the_form_is_three_questions_with_words_on_each_point(client, story):
    response = page(client, story.ana, "carer:check_in", story.circle)

    text = words(response.text)
    assert "Treforest: the May check-in" in text
    assert "How is the circle coping? 1 · Not coping 2 · Struggling 3 · Getting by" in text
    assert "4 · Coping well 5 · Coping very well" in text
    assert "How are you? 1 · Very low 2 · Low 3 · All right 4 · Good 5 · Very good" in text
    assert response.text.count('type="radio"') == 10
    assert 'maxlength="200"' in response.text


def test_a_carer_answers_then_answering_again_changes_her_answers(client, story):
    url = reverse("carer:check_in", args=[story.circle.pk])
    client.force_login(story.ana)

    first = client.post(
        url, {"coping": "2", "me": "3", "change": "Fewer late finishes"}, follow=True
    )
    assert (
        "Thank you: your answers are in. You can change them until the end of the month."
        in words(first.text)
    )
    again = client.get(url)
    assert "You have answered this month." in words(again.text)
    # The form holds her answers, to change.
    assert re.search(r'name="coping" value="2"[^>]* checked', again.text)
    assert re.search(r'name="me" value="3"[^>]* checked', again.text)
    assert 'value="Fewer late finishes"' in again.text
    second = client.post(url, {"coping": "4", "me": "4", "change": ""}, follow=True)

    assert "Your answers are changed. The last ones you give this month count." in words(
        second.text
    )
    assert list(CheckIn.objects.values_list("person", "month", "coping", "me", "change")) == [
        (story.ana.pk, MAY, 4, 4, "")
    ]


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Choose how the circle is coping, from 1 to 5."),
        ({"me": "3"}, "Choose how the circle is coping, from 1 to 5."),
        ({"coping": "7", "me": "3"}, "Choose how the circle is coping, from 1 to 5."),
        ({"coping": "3", "me": "many"}, "Choose how you are, from 1 to 5."),
        (
            {"coping": "3", "me": "3", "change": "x" * 201},
            "Keep the thing to change to 200 characters or fewer.",
        ),
    ],
)
def test_bad_answers_get_a_clear_message_and_nothing_is_saved(client, story, posted, message):
    client.force_login(story.ana)
    response = client.post(reverse("carer:check_in", args=[story.circle.pk]), posted)

    assert response.status_code == 200
    assert message in words(response.text)
    assert not CheckIn.objects.exists()


def test_only_the_circles_carers_open_the_check_in(client, story):
    for outsider in (story.eli, story.rhian, story.sian):
        for name in ("carer:check_in", "carer:check_ins"):
            assert page(client, outsider, name, story.circle).status_code in (403, 404)


# The trend


def test_the_trend_shows_months_over_without_a_name_anywhere(client, answered):
    response = page(client, answered.ben, "carer:check_ins", answered.circle)

    text = words(response.text)
    assert (
        "April 2026 5 people answered. How is the circle coping? On average 3.6 out of 5." in text
    )
    assert "2 · Struggling 0 people 3 · Getting by 2 people 4 · Coping well 3 people" in text
    assert "March 2026 5 people answered." in text
    assert "May 2026" not in text  # not over yet
    assert "You haven't answered this month yet." in text
    for name in NAMES:
        assert name not in response.text
    # The things to change are there, but whoever wrote a name into one wrote it themselves.
    assert text.count("would change the Saturday rota") == 10


def test_a_month_with_too_few_answers_shows_only_how_many(client, story):
    for _ in range(2):
        CheckIn.objects.create(
            circle=story.circle, person=None, month=APRIL, coping=1, me=1, change="Secret"
        )

    text = words(page(client, story.cat, "carer:check_ins", story.circle).text)

    assert (
        "April 2026 2 people answered. Too few answers to show without telling who said what."
        in text
    )
    assert "Secret" not in text and "On average" not in text


# The team leaders


def test_leaders_see_only_that_the_circle_keeps_it_to_itself(client, answered):
    section = check_in_section(page(client, answered.rhian, "leaders:circle", answered.circle).text)

    assert "The circle keeps its monthly check-in to itself." in words(section)
    assert "April" not in section and "out of 5" not in section


def test_leaders_see_the_figures_when_the_circle_shares_them_never_names_or_lines(client, answered):
    client.force_login(answered.ana)
    client.post(reverse("carer:share_check_ins", args=[answered.circle.pk]), {"shared": "yes"})

    response = page(client, answered.rhian, "leaders:circle", answered.circle)

    section = check_in_section(response.text)
    text = words(section)
    assert "The circle shares these figures with you." in text
    assert "April 2026: 5 answered; coping 3.6 out of 5, how they are 3.6 out of 5." in text
    assert "March 2026: 5 answered; coping 4.4 out of 5" in text
    assert "Saturday rota" not in response.text
    for name in NAMES:
        assert name not in section


def test_leaders_see_a_sharp_fall_unshared(client, story):
    for score in (5, 4, 5):
        CheckIn.objects.create(circle=story.circle, month=MARCH, coping=score, me=3)
    for score in (3, 3, 3):
        CheckIn.objects.create(circle=story.circle, month=APRIL, coping=score, me=3)

    text = words(check_in_section(page(client, story.rhian, "leaders:circle", story.circle).text))

    assert "fell sharply last month" in text
    assert "you see them because they fell sharply" in text
    assert "April 2026: 3 answered; coping 3.0 out of 5" in text
    # The circle reads that its leaders see it now.
    circle_page = words(page(client, story.cat, "carer:check_ins", story.circle).text)
    assert "fell sharply last month, so the team leaders see these figures" in circle_page


def test_the_board_links_to_the_check_in(client, story):
    board = page(client, story.ana, "carer:circle_board", story.circle).text
    assert reverse("carer:check_ins", args=[story.circle.pk]) in board


def test_the_trend_costs_the_same_queries_for_one_month_as_for_six(client, story):
    client.force_login(story.ben)
    url = reverse("carer:check_ins", args=[story.circle.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as run:
            assert client.get(url).status_code == 200
        return len(run.captured_queries)

    CheckIn.objects.bulk_create(
        CheckIn(circle=story.circle, month=APRIL, coping=3, me=3) for _ in range(3)
    )
    one_month = queries()
    CheckIn.objects.bulk_create(
        CheckIn(circle=story.circle, month=date(2025, month, 1), coping=3, me=3, change="x")
        for month in range(11, 13)
        for _ in range(20)
    )
    CheckIn.objects.bulk_create(
        CheckIn(circle=story.circle, month=date(2026, month, 1), coping=2, me=4, change="y")
        for month in range(1, 4)
        for _ in range(20)
    )

    assert queries() == one_month
    assert "November 2025" in words(client.get(url).text)

"""Treforest's fair shares, as its carers and team leaders read them: each carer's visits done
in the last four weeks and booked for the next two, their evenings, nights, weekends and hours
beside the circle's, what they gave away, picked up and answered. Listed by name, the
reader's own line first and spoken to them, never ranked by how much anyone did.

It is Monday 4 May, 09:00. Cat, Gwen's neighbour, did three Saturday evenings in April; Ana
did a Thursday evening and a night, and gave Sunday's evening away to Cat; Ben did a morning.
"""

import pytest
from django.urls import reverse

from people.models import Language
from rota import services
from tests.stories import MONDAY_MORNING, at, place, planned_visit, team_leader
from tests.web.pages import cards, words

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]


@pytest.fixture
def april(story):
    for day in (11, 18, 25):
        place(planned_visit(story.gwen, at(day, 19, month=4), hours=2), story.cat)
    place(planned_visit(story.gwen, at(9, 19, month=4), hours=2), story.ana)
    place(planned_visit(story.tom, at(28, 23, month=4), hours=2), story.ana)
    place(planned_visit(story.tom, at(29, 9, month=4)), story.ben)
    sunday = place(planned_visit(story.gwen, at(10, 18)), story.ana)
    offer = services.offer(sunday, actor=story.ana)
    services.take_offer(offer, story.cat, actor=story.cat)
    return story


def shares_page(client, person, circle):
    client.force_login(person)
    return client.get(reverse("carer:shares", args=[circle.pk]))


def test_a_carer_reads_her_own_share_first_then_everyone_by_name(client, april):
    response = shares_page(client, april.ana, april.circle)

    assert response.status_code == 200
    lines = cards(response.text, "share")
    assert lines[0].startswith("Ana Price (you) You have done 2 visits in the last four weeks.")
    assert "You are down for 0 visits in the next two weeks." in lines[0]
    assert "Evenings (starting 6pm to 10pm) 1 of the circle's 5" in lines[0]
    assert "Nights (starting 10pm to 7am) 1 of the circle's 1" in lines[0]
    assert "You gave 1 visit away to the circle." in lines[0]
    # Then Ben and Cat, by name: Cat did the most, and is still listed last.
    assert [line.split(" ")[0] for line in lines[1:]] == ["Ben", "Cat"]
    assert "Ben has done 1 visit in the last four weeks." in lines[1]
    assert "Cat has done 3 visits in the last four weeks." in lines[2]
    assert "Cat is down for 1 visit in the next two weeks." in lines[2]
    assert "Evenings (starting 6pm to 10pm) 4 of the circle's 5" in lines[2]
    assert "Weekends 4 of the circle's 4" in lines[2]
    assert "Cat picked up 1 visit from someone else." in lines[2]
    # Paid and unpaid alike: Cat's 7 hours beside Ana's 4 and Ben's 1.
    assert "Hours 7 of the circle's 12" in lines[2]


def test_a_team_leader_reads_everyone_by_name_and_nobody_is_you(client, april):
    response = shares_page(client, april.rhian, april.circle)

    assert response.status_code == 200
    lines = cards(response.text, "share")
    assert [line.split(" ")[0] for line in lines] == ["Ana", "Ben", "Cat"]
    assert "(you)" not in words(response.text)
    assert "Ana gave 1 visit away to the circle." in lines[0]
    assert reverse("leaders:circle", args=[april.circle.pk]) in response.text


def test_the_bars_show_each_part_of_the_total_and_an_even_share(client, april):
    page = shares_page(client, april.rhian, april.circle).text

    # Cat's 4 of the 5 evenings is 80 %; an even share of them, among three carers, 33 %.
    cats = page[page.index("Cat Morgan") :]
    assert '<rect class="mine" width="80" height="10"/>' in cats
    assert '<rect class="even" x="33"' in cats
    # Drawn by the server: nothing in the page needs JavaScript.
    assert "<script" not in page[page.index("<main") :]


def test_what_the_circle_has_none_of_is_left_out(client, story):
    place(planned_visit(story.tom, at(29, 9, month=4)), story.ben)

    line = cards(shares_page(client, story.ana, story.circle).text, "share")[0]

    assert line.startswith("Ana Price (you) You have done 0 visits in the last four weeks.")
    assert "Hours 0 of the circle's 1" in line
    assert "Evenings" not in line and "Nights" not in line and "Weekends" not in line
    assert "gave" not in line and "picked up" not in line and "answered" not in line


@pytest.mark.parametrize("who", ["ana", "ben", "cat", "rhian", "owain", "nerys"])
def test_every_carer_and_leader_of_the_circle_may_open_it(client, story, who):
    assert shares_page(client, getattr(story, who), story.circle).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        # Family and the client: not one of their pages.
        ("sian", 403),
        ("rhys", 403),
        ("gwen_herself", 403),
        # A carer of another circle: Treforest looks like a circle that does not exist.
        ("eli", 404),
        ("hywel", 404),
    ],
)
def test_nobody_else_may(client, story, who, status):
    response = shares_page(client, getattr(story, who), story.circle)

    assert response.status_code == status
    assert "Ana Price" not in response.text


def test_a_leader_of_another_circle_finds_nothing(client, story):
    elsewhere = team_leader(story.pontypridd, full_name="Pat Leader")

    assert shares_page(client, elsewhere, story.circle).status_code == 404


def test_someone_signed_out_is_asked_to_sign_in(client, story):
    response = client.get(reverse("carer:shares", args=[story.circle.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))


def test_the_board_and_the_circles_page_link_to_it(client, story):
    link = reverse("carer:shares", args=[story.circle.pk])
    client.force_login(story.ana)
    assert link in client.get(reverse("carer:circle_board", args=[story.circle.pk])).text
    client.force_login(story.rhian)
    assert link in client.get(reverse("leaders:circle", args=[story.circle.pk])).text


def test_a_welsh_carer_reads_it_in_welsh(client, april):
    april.ana.language = Language.WELSH
    april.ana.save(update_fields=["language"])

    text = words(shares_page(client, april.ana, april.circle).text)

    assert "Rhannu'n deg: Treforest" in text
    assert "Rydych chi wedi gwneud 2 ymweliad yn y pedair wythnos diwethaf." in text
    assert "Mae Cat wedi gwneud 3 ymweliad yn y pedair wythnos diwethaf." in text
    assert "1 o 5 y cylch" in text
    assert "You have done" not in text and "has done" not in text

"""Gwen and her family see the carers coming as faces: a photo (or initials), the two lines
each wrote about themselves, and whether they know Gwen or are new to her. A carer who has
never done a visit of Gwen's is "new to you" when Gwen reads, "new to Gwen" for Sian."""

from datetime import timedelta

import pytest
from django.urls import reverse

from people.models import CarerProfile
from tests.factories import with_photo
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
from tests.web.pages import cards

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def week(story):
    """Ana did two of Gwen's visits last week (she knows Gwen); Ben, with a photo and two
    lines, has never been and comes on Thursday; Cat, with neither, comes on Friday."""
    for days_ago in (2, 3):
        place(planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=days_ago)), story.ana)
    with_photo(story.ben, about="From Pontypridd, two dogs.\nAsk me about rugby.")
    place(planned_visit(story.gwen, at(30, 8, month=4), title="Breakfast"), story.ana)
    place(planned_visit(story.gwen, at(30, 17, month=4), title="Tea"), story.ben)
    place(planned_visit(story.gwen, at(1, 8), title="Breakfast"), story.cat)


def photo_of(person) -> str:
    version = CarerProfile.objects.get(person=person).photo_version
    return f'src="/carers/{person.pk}/photo/?v={version}" alt="Photo of {person}"'


def test_gwen_sees_who_is_coming_as_faces_and_who_is_new_to_her(client, story, week):
    client.force_login(story.gwen_herself)

    page = client.get(reverse("family:coming")).text

    assert cards(page, "coming-visit") == [
        "08:00–09:00 Breakfast Ana Price Knows you",
        "17:00–18:00 Tea Ben Jones New to you From Pontypridd, two dogs. Ask me about rugby.",
        "08:00–09:00 Breakfast Cat Morgan New to you",
    ]
    assert photo_of(story.ben) in page
    # No photo: the initials stand in, drawn by the stylesheet and hidden from screen readers.
    assert '<span class="face-initials" data-initials="CM" aria-hidden="true"></span>' in page
    assert '<span class="face-initials" data-initials="AP" aria-hidden="true"></span>' in page


def test_her_daughter_sees_them_new_to_gwen(client, story, week):
    client.force_login(story.sian)

    page = client.get(reverse("family:coming")).text

    tea = cards(page, "coming-visit")[1]
    assert (
        tea
        == "17:00–18:00 Tea Ben Jones New to Gwen From Pontypridd, two dogs. Ask me about rugby."
    )
    assert photo_of(story.ben) in page


def test_the_new_faces_on_her_likes_and_wishes_have_their_photo_and_lines(client, story, week):
    client.force_login(story.gwen_herself)

    page = client.get(reverse("family:about")).text

    faces = cards(page, "new-face")
    assert [face.split(" First visit")[0] for face in faces] == [
        "Ben Jones New to you From Pontypridd, two dogs. Ask me about rugby.",
        "Cat Morgan New to you",
    ]
    assert photo_of(story.ben) in page
    assert '<h3 class="face-name">Ben Jones</h3>' in page


def test_a_carer_who_has_been_before_but_is_not_yet_familiar_is_not_new(client, story, week):
    place(planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=40)), story.cat)
    client.force_login(story.gwen_herself)

    page = client.get(reverse("family:coming")).text

    assert (
        cards(page, "coming-visit")[2] == "08:00–09:00 Breakfast Cat Morgan Has visited you before"
    )
    faces = cards(client.get(reverse("family:about")).text, "new-face")
    assert faces[1].startswith("Cat Morgan Has visited you before First visit: Friday 1 May")


def test_faces_cost_no_query_of_their_own(client, story, week, django_assert_num_queries):
    """Photos and lines come with the carers: the pages cost what they cost without them."""
    with_photo(story.ana, about="Hello.")
    with_photo(story.cat, about="Hello too.")
    client.force_login(story.sian)

    with django_assert_num_queries(12):
        client.get(reverse("family:coming"))
    # The page's own count (tests/web/test_family_pages_queries.py), photos or not.
    with django_assert_num_queries(12):
        client.get(reverse("family:about"))

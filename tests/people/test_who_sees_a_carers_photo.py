"""Ana's photo is personal data: it is served only to people signed in who may see her (her
fellow carers in Treforest, its team leaders and coordinator, its clients and their
families), kept by no shared browser or proxy, and never put in a calendar feed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circles.models import Membership
from tests.factories import PersonFactory, with_photo
from tests.stories import at, place, planned_visit, team_leader

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def photo_url(story) -> str:
    with_photo(story.ana, about="I love gardening.")
    return f"/carers/{story.ana.pk}/photo/"


SEE_HER = ["ana", "ben", "cat", "rhian", "owain", "nerys", "gwen_herself", "rhys", "sian"]


@pytest.mark.parametrize("who", SEE_HER)
def test_the_people_of_her_circle_see_her_photo_and_no_browser_keeps_it(
    client, story, photo_url, who
):
    client.force_login(getattr(story, who))

    response = client.get(photo_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache
    assert "public" not in cache


STRANGERS = ["eli", "bryn", "hywel", "dilys_leader", "hill_coordinator", "dilys_herself"]


@pytest.mark.parametrize("who", STRANGERS)
def test_nobody_outside_her_circle_gets_her_photo(client, story, photo_url, who):
    """Another circle's carer, family, leader and client (even of her own organisation), and
    another organisation's coordinator: the photo does not exist for them."""
    strangers = {
        "eli": story.eli,
        "bryn": story.bryn,
        "hywel": story.hywel,
        "dilys_leader": team_leader(story.pontypridd, full_name="Pat Leader"),
        "hill_coordinator": PersonFactory(organisation=story.hill_care, is_staff=True),
        "dilys_herself": PersonFactory(full_name="Dilys Rees"),
    }
    if who == "dilys_herself":
        story.dilys.person = strangers[who]
        story.dilys.save(update_fields=["person"])
    client.force_login(strangers[who])

    assert client.get(photo_url).status_code == 404


def test_someone_signed_out_is_asked_to_sign_in(client, photo_url):
    response = client.get(photo_url)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_once_she_has_left_the_circle_its_families_no_longer_see_her_photo(
    client, story, photo_url
):
    Membership.objects.filter(person=story.ana).update(ended_on=timezone.localdate())
    client.force_login(story.sian)

    assert client.get(photo_url).status_code == 404


def test_a_carer_with_no_photo_has_none_to_fetch(client, story):
    client.force_login(story.sian)

    assert client.get(f"/carers/{story.ben.pk}/photo/").status_code == 404
    assert client.get(f"/carers/{story.sian.pk}/photo/").status_code == 404


def test_her_calendar_feed_has_no_photo_of_anyone(client, story, photo_url):
    """Calendars are synced through other companies: no photo, no address of one, no lines."""
    with_photo(story.ben, about="Ask me about rugby.")
    story.ana.feed_token = "anas-secret"
    story.ana.save(update_fields=["feed_token"])
    double = planned_visit(story.gwen, at(5, 8), carers_needed=2)
    place(double, story.ana)
    place(double, story.ben)
    place(planned_visit(story.gwen, timezone.now() + timedelta(days=1)), story.ana)

    feed = client.get("/calendar/anas-secret.ics").content.decode()

    assert "BEGIN:VEVENT" in feed
    for trace in ("ATTACH", "IMAGE", "PHOTO", "/photo/", "carers/", "gardening", "rugby"):
        assert trace.lower() not in feed.lower(), trace

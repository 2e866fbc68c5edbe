"""Each person chooses their language, their channels and their quiet hours."""

from datetime import time

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(client, ana):
    """Ana, signed in."""
    client.force_login(ana)
    return ana


def test_the_language_switch_is_remembered_on_the_person(client, ana):
    response = client.post("/language/", {"language": "cy", "next": "/me/"})
    assert response["Location"] == "/me/"
    ana.refresh_from_db()
    assert ana.language == "cy"
    assert '<html lang="cy">' in client.get("/me/").content.decode()


def test_the_language_switch_never_sends_a_person_to_another_site(client, ana):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_channels_and_quiet_hours_are_saved(client, ana):
    response = client.post(
        "/me/",
        {"language": "en", "notify_by_email": "on", "quiet_from": "21:00", "quiet_until": "07:30"},
        follow=True,
    )
    assert "Saved." in response.content.decode()
    ana.refresh_from_db()
    assert ana.notify_by_email and not ana.notify_by_push
    assert (ana.quiet_from, ana.quiet_until) == (time(21), time(7, 30))


def test_half_a_quiet_hours_window_is_refused_and_nothing_saved(client, ana):
    response = client.post("/me/", {"language": "cy", "quiet_from": "21:00"})
    assert "both ends of your quiet hours" in response.content.decode()
    ana.refresh_from_db()
    assert ana.language == "en" and ana.quiet_from is None

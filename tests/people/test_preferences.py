"""Each person chooses their language, their channels and their quiet hours."""

import re
from datetime import time

import pytest

from circles.channels import DEFAULTS, Channels, channels_for, choices_of
from circles.models import NotificationKind, Topic
from tests.web.pages import words

pytestmark = pytest.mark.django_db

EVERY_CARER_TOPIC = ["help", "cover", "swaps", "my_visits", "reminders", "checks", "check_in"]


def topics_shown(page: str) -> dict[str, list[str]]:
    """Each topic on the settings page, by its legend, with the channels it offers."""
    shown = {}
    for fieldset in re.findall(r'<fieldset class="topic">(.*?)</fieldset>', page, re.S):
        legend = re.search(r"<legend>(.*?)</legend>", fieldset, re.S)
        assert legend is not None
        shown[words(legend[1])] = [
            words(label) for label in re.findall(r"<label>(.*?)</label>", fieldset, re.S)
        ]
    return shown


@pytest.fixture
def no_push(settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""


@pytest.fixture
def push(settings):
    # Any value will do: nothing is sent in these tests.
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = "set"


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


def test_quiet_hours_are_saved(client, ana):
    response = client.post(
        "/me/", {"language": "en", "quiet_from": "21:00", "quiet_until": "07:30"}, follow=True
    )
    assert "Saved." in response.content.decode()
    ana.refresh_from_db()
    assert (ana.quiet_from, ana.quiet_until) == (time(21), time(7, 30))


def test_half_a_quiet_hours_window_is_refused_and_nothing_saved(client, ana):
    response = client.post("/me/", {"language": "cy", "quiet_from": "21:00"})
    assert "both ends of your quiet hours" in response.content.decode()
    ana.refresh_from_db()
    assert ana.language == "en" and ana.quiet_from is None


def test_a_carer_chooses_email_and_phone_for_each_topic_of_theirs(client, ana, push):
    shown = topics_shown(client.get("/me/").content.decode())
    assert shown == {
        "Calls for help": ["Email", "Phone"],
        "Visits needing cover": ["Email", "Phone"],
        "Swaps": ["Email", "Phone"],
        "Changes to visits": ["Email", "Phone"],
        "Reminders before my visits": ["Email", "Phone"],
        "Checks and training running out": ["Email", "Phone"],
        "The circle's monthly check-in": ["Email", "Phone"],
    }

    chosen = {f"{topic}_email": "on" for topic in EVERY_CARER_TOPIC if topic != "cover"}
    chosen["help_push"] = "on"
    client.post("/me/", {"language": "en", **chosen})

    assert channels_for(ana, NotificationKind.HELP_NEEDED) == Channels(email=True, push=True)
    assert channels_for(ana, NotificationKind.NEEDS_COVER) == Channels(email=False, push=False)
    assert channels_for(ana, NotificationKind.SWAP_OFFERED) == Channels(email=True, push=False)
    assert channels_for(ana, NotificationKind.VISITS_TOMORROW) == Channels(email=True, push=False)
    assert channels_for(ana, NotificationKind.CHECK_IN_ASKED) == Channels(email=True, push=False)


def test_the_boxes_start_as_the_person_chose(client, ana, push):
    page = client.get("/me/").content.decode()
    ticked = set(re.findall(r'<input type="checkbox" name="(\w+)"[^>]*checked', page))
    # Every topic on by default, both ways, except reminders.
    assert ticked == {
        f"{topic}_{channel}"
        for topic in EVERY_CARER_TOPIC
        if topic != "reminders"
        for channel in ("email", "push")
    }


def test_family_and_team_leaders_see_only_their_topics(client, sian, rhian, no_push):
    client.force_login(sian)
    assert topics_shown(client.get("/me/").content.decode()) == {
        "Calls for help": ["Email"],
        "Changes to visits": ["Email"],
    }
    client.force_login(rhian)
    assert list(topics_shown(client.get("/me/").content.decode())) == [
        "Calls for help",
        "Circle alerts",
    ]


def test_without_push_no_phone_is_offered_and_the_phones_choices_are_kept(client, ana, no_push):
    page = client.get("/me/").content.decode()
    assert "Phone" not in str(topics_shown(page))
    assert "Alerts on this phone" not in page and "push.js" not in page

    client.post("/me/", {"language": "en"})  # every email box cleared

    choices = choices_of(ana)
    assert choices[Topic.HELP] == Channels(email=False, push=True)
    assert choices[Topic.ALERTS] == DEFAULTS[Topic.ALERTS]  # not a carer's topic: untouched


def test_with_push_the_phone_can_be_opted_in(client, ana, push):
    page = client.get("/me/").content.decode()
    assert "Alerts on this phone" in page and "push.js" in page


def test_one_tap_turns_reminders_on_and_returns_to_the_page(client, ana, no_push):
    assert "Remind me before my visits" in client.get("/me/").content.decode()

    response = client.post("/me/reminders/", {"next": "/shifts/"})

    assert response["Location"] == "/shifts/"
    assert channels_for(ana, NotificationKind.VISIT_SOON) == Channels(email=True, push=False)
    page = client.get("/me/").content.decode()
    assert "Reminders are on" in page
    assert "Remind me before my visits" not in page


def test_my_shifts_offers_the_one_tap_until_reminders_are_on(client, ana, no_push):
    assert "Remind me before my visits" in client.get("/shifts/").content.decode()

    client.post("/me/reminders/", {"next": "/shifts/"})

    page = client.get("/shifts/").content.decode()
    assert "Reminders are on" in page
    assert "Remind me before my visits" not in page


def test_one_tap_sends_reminders_to_the_phone_too_where_the_site_can_push(client, ana, push):
    client.post("/me/reminders/")
    assert channels_for(ana, NotificationKind.VISIT_SOON) == Channels(email=True, push=True)


def test_reminders_are_turned_on_only_by_a_signed_in_post(client, ana):
    assert client.get("/me/reminders/").status_code == 405
    client.logout()
    assert client.post("/me/reminders/")["Location"].startswith("/sign-in/")
    assert not channels_for(ana, NotificationKind.VISIT_SOON)


def test_a_coordinator_also_chooses_how_checks_running_out_reach_them(client, nerys, no_push):
    client.force_login(nerys)
    assert list(topics_shown(client.get("/me/").content.decode())) == [
        "Calls for help",
        "Circle alerts",
        "Checks and training running out",
    ]

"""Each person's messages in the app, newest first, only their own."""

import re

import pytest

from circles.models import Notification, NotificationKind
from tests.factories import PersonFactory
from tests.web.pages import words

pytestmark = pytest.mark.django_db


def note(person, key, title):
    return Notification.objects.create(
        person=person, kind=NotificationKind.NEEDS_COVER, key=key, title=title
    )


def test_the_menu_says_how_many_messages_are_unread(client, ana):
    note(ana, "a", "One")
    note(ana, "b", "Two")
    client.force_login(ana)

    page = client.get("/me/").content.decode()

    # Seen as a badge, and heard as words by someone using a screen reader.
    assert '<span class="count">2</span>' in page
    assert '<span class="visually-hidden">Messages, 2 unread</span>' in page


def test_a_person_sees_their_own_messages_the_unread_marked_new(client, ana, ben):
    note(ana, "a", "Gwen's visit on Mon 4 May 08:00 needs a carer")
    note(ben, "b", "Not for Ana")
    client.force_login(ana)
    page = client.get("/messages/").content.decode()
    assert "Gwen&#x27;s visit on Mon 4 May 08:00 needs a carer" in page
    assert "Not for Ana" not in page
    assert words(page).count("New ") == 1


def test_each_message_says_when_to_the_second_as_html_allows(client, ana):
    """A <time datetime> may give at most three digits of a second: messages give none."""
    note(ana, "a", "One")  # made now, to the microsecond
    client.force_login(ana)

    page = client.get("/messages/").content.decode()

    [moment] = re.findall(r'<time datetime="([^"]*)"', page)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", moment), moment


def test_opening_the_messages_reads_them_so_the_count_goes(client, ana, ben):
    note(ana, "a", "One")
    note(ana, "b", "Two")
    note(ben, "c", "Ben's")
    client.force_login(ana)

    first = client.get("/messages/").content.decode()
    again = client.get("/messages/").content.decode()

    assert "Messages, 2 unread" not in first  # the menu knows they are read now
    assert words(first).count("New ") == 2
    assert "New " not in words(again)
    assert not Notification.objects.filter(person=ana, read_at__isnull=True).exists()
    assert Notification.objects.get(person=ben).read_at is None


def test_the_menu_offers_messages_and_settings_to_everyone_signed_in(client):
    person = PersonFactory()  # no role anywhere yet
    client.force_login(person)
    page = client.get("/me/").content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert 'href="/messages/"' in nav and 'href="/me/" aria-current="page"' in nav


def test_the_messages_page_costs_the_same_for_few_and_many(client, ana, django_assert_num_queries):
    client.force_login(ana)
    for count in (2, 40):
        for i in range(count):
            note(ana, f"{count}-{i}", f"Message {i}")
        # session, person, messages, marking them read, the menu's roles (memberships,
        # clients), the unread count
        with django_assert_num_queries(7):
            client.get("/messages/")

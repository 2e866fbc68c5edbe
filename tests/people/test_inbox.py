"""Each person's messages in the app, newest first, only their own."""

import pytest

from circles.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def note(person, key, title):
    return Notification.objects.create(
        person=person, kind=NotificationKind.NEEDS_COVER, key=key, title=title
    )


def test_a_person_sees_their_own_messages_and_the_count_of_new_ones(client, ana, ben):
    note(ana, "a", "Gwen's visit on Mon 4 May 08:00 needs a carer")
    note(ben, "b", "Not for Ana")
    client.force_login(ana)
    page = client.get("/messages/").content.decode()
    assert "Gwen&#x27;s visit on Mon 4 May 08:00 needs a carer" in page
    assert "Not for Ana" not in page
    assert "Messages (1 new)" in page


def test_marking_all_as_read_clears_the_count(client, ana):
    note(ana, "a", "One")
    note(ana, "b", "Two")
    client.force_login(ana)
    client.post("/messages/")
    assert not Notification.objects.filter(person=ana, read_at__isnull=True).exists()
    assert "Messages (" not in client.get("/messages/").content.decode()


def test_the_messages_page_costs_the_same_for_few_and_many(client, ana, django_assert_num_queries):
    client.force_login(ana)
    for count in (2, 40):
        for i in range(count):
            note(ana, f"{count}-{i}", f"Message {i}")
        # session, person, the menu's roles (memberships, clients), unread count, messages
        with django_assert_num_queries(6):
            client.get("/messages/")

"""A late visit, as its carer answers it: the message “Are you on your way?” opens a page with
one tap each for “on my way, there in about N minutes” and “I can't make it”; each works
without JavaScript and with htmx, and a refusal is said in plain words. Every message of a
late visit opens as a page for its reader."""

from datetime import timedelta

import pytest
from django.urls import reverse

from circles.models import Notification
from rota.lateness import check_late_visits
from rota.models import Assignment, HelpRequest, ReleaseReason
from tests.stories import at, place, planned_visit
from tests.web.pages import HTMX, words

START = at(4, 8)

pytestmark = [pytest.mark.django_db, pytest.mark.now(START)]


@pytest.fixture
def late(frozen_now, gwen, ana, sian, rhian):
    """Ana's 08:00 visit to Gwen, nobody there at 08:16: she has been asked."""
    mine = place(planned_visit(gwen, START), ana)
    frozen_now.move_to(START + timedelta(minutes=16))
    check_late_visits()
    return mine


def test_the_message_opens_the_page_with_the_answers(client, late, ana):
    link = ana.notifications.get().link
    client.force_login(ana)

    page = client.get(link)

    text = words(page.text)
    assert "Are you on your way?" in text
    assert "Gwen, 08:00" in text
    for minutes in (5, 10, 15, 20, 30):
        assert f'name="minutes" value="{minutes}"' in page.text
    assert "I can't make it" in text
    assert f'<form method="post" action="{reverse("carer:cant_make_it", args=[late.pk])}"' in (
        page.text
    )


def test_on_my_way_without_javascript(client, late, ana):
    client.force_login(ana)

    page = client.post(reverse("carer:on_my_way", args=[late.pk]), {"minutes": "10"}, follow=True)

    late.refresh_from_db()
    assert late.expected_at == START + timedelta(minutes=26)
    assert "Everyone can see when you'll be there." in words(page.text)
    assert "You said you'll be there at about 08:26." in words(page.text)


def test_on_my_way_with_htmx_answers_with_the_card(client, late, ana):
    client.force_login(ana)

    card = client.post(reverse("carer:on_my_way", args=[late.pk]), {"minutes": "15"}, headers=HTMX)

    assert card.text.lstrip().startswith('<article class="card late-visit"')
    assert "about 08:31" in words(card.text)


def test_bad_minutes_are_refused_in_words(client, late, ana):
    client.force_login(ana)

    card = client.post(reverse("carer:on_my_way", args=[late.pk]), {"minutes": "45"}, headers=HTMX)

    assert "Choose one of 5, 10, 15, 20 or 30 minutes." in words(card.text)
    late.refresh_from_db()
    assert late.expected_at is None


def test_cant_make_it_gives_the_place_back(client, late, ana, gwen):
    client.force_login(ana)

    page = client.post(reverse("carer:cant_make_it", args=[late.pk]), follow=True)

    late.refresh_from_db()
    assert late.release_reason == ReleaseReason.CANT_MAKE_IT
    assert HelpRequest.objects.filter(client=gwen).exists()
    assert "The circle is being asked to cover your visit." in words(page.text)
    assert "This visit is no longer yours." in words(page.text)


def test_someone_elses_place_is_not_found(client, late, ben):
    client.force_login(ben)
    assert client.get(reverse("carer:late", args=[late.pk])).status_code == 404
    assert client.post(reverse("carer:cant_make_it", args=[late.pk])).status_code == 404
    assert Assignment.objects.get(pk=late.pk).is_held


def test_every_message_of_a_late_visit_opens_for_its_reader(client, frozen_now, late):
    for minute in range(17, 62):
        frozen_now.move_to(START + timedelta(minutes=minute))
        check_late_visits()
    notifications = list(Notification.objects.select_related("person"))
    assert len(notifications) == 4  # Ana; Sian twice; Rhian (Owain is not in this story)
    for notification in notifications:
        client.force_login(notification.person)
        assert client.get(notification.link).status_code == 200, notification.link

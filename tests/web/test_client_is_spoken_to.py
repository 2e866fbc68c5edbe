"""Gwen, signed in as herself, is spoken to on her own pages ("Who is coming to you"), in
English and in Welsh; her daughter reads the same pages about Gwen. Being "with Gwen" is for
her family, so Gwen is never offered it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from people.models import Language
from rota import services
from rota.models import AuditEvent
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit, visit
from tests.web.pages import cards, words


def names_gwen(text: str) -> bool:
    """Whether the page speaks of Gwen by name (her full name in the menu aside)."""
    return re.search(r"\bGwen\b(?! Davies)", text) is not None


@pytest.fixture
def week(story):
    """Ana knows Gwen (two visits last week); Cat is new to her and due Friday."""
    for days_ago in (2, 3):
        place(planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=days_ago)), story.ana)
    place(planned_visit(story.gwen, at(30, 8, month=4), title="Breakfast"), story.ana)
    place(planned_visit(story.gwen, at(1, 8), title="Breakfast"), story.cat)


def test_gwen_reads_who_is_coming_to_her(client, story, week):
    client.force_login(story.gwen_herself)

    page = client.get(reverse("family:coming"))

    text = words(page.text)
    assert "<title>Who is coming to you" in page.text
    assert "Who is coming to you" in text
    assert cards(page.text, "coming-visit") == [
        "08:00–09:00 Breakfast Ana Price Knows you",
        "08:00–09:00 Breakfast Cat Morgan New to you",
    ]
    assert "I need help now" in text
    assert not names_gwen(text)
    assert "I'll be with" not in text
    assert reverse("family:with", args=[story.gwen.pk]) not in page.text


def test_her_daughter_reads_the_same_page_about_gwen(client, story, week):
    client.force_login(story.sian)

    text = words(client.get(reverse("family:coming")).text)

    assert "Who is coming to Gwen" in text
    assert "New to Gwen" in text
    assert "I'll be with Gwen" in text and "Gwen needs help now" in text


def test_gwen_reads_her_page_in_welsh(client, story, week):
    story.gwen_herself.language = Language.WELSH
    story.gwen_herself.save(update_fields=["language"])
    client.force_login(story.gwen_herself)

    text = words(client.get(reverse("family:coming")).text)

    assert "Pwy sy'n dod atoch chi" in text
    assert "Newydd i chi" in text
    assert not names_gwen(text)


def test_gwen_is_not_offered_being_with_herself(client, story):
    client.force_login(story.gwen_herself)

    response = client.get(reverse("family:with", args=[story.gwen.pk]))

    assert response.status_code == 403


def test_asking_for_help_speaks_to_gwen(client, story):
    client.force_login(story.gwen_herself)

    text = words(client.get(reverse("family:help", args=[story.gwen.pk])).text)

    assert "Do you need help now?" in text
    assert "Yes, ask for help for me now" in text
    assert "Back to who is coming to you" in text
    assert not names_gwen(text)


def test_saying_a_new_face_is_fine_thanks_gwen_in_her_own_words(client, story, week):
    client.force_login(story.gwen_herself)

    page = client.post(reverse("family:fine", args=[story.gwen.pk, story.cat.pk]), follow=True)

    assert "Thank you: Cat Morgan is welcome to visit you." in words(page.text)


@pytest.mark.usefixtures("frozen_now")
def test_gwen_hears_of_a_new_face_as_you_and_her_daughter_as_gwen(gwen_herself, gwen, sian, ana):
    services.claim(visit(gwen, at(4, 8)), ana)
    tell_people(AuditEvent.objects.latest("pk").pk)

    [hers] = Notification.objects.filter(person=gwen_herself)
    [daughters] = Notification.objects.filter(person=sian)
    assert hers.kind == daughters.kind == NotificationKind.UNFAMILIAR_CARER
    assert hers.title == "Someone new is coming to you: Ana, on Mon 4 May 08:00"
    assert hers.body == "Ana has not visited you recently. You can say if you'd rather not."
    assert daughters.title == "Someone new is coming to Gwen: Ana, on Mon 4 May 08:00"


@pytest.mark.usefixtures("frozen_now")
def test_gwen_hears_her_visit_is_cancelled_as_yours(gwen_herself, gwen, ana, rhian):
    shift = visit(gwen, at(4, 8))
    place(shift, ana)
    services.cancel_shift(shift, "Gwen is in hospital", actor=rhian)
    tell_people(AuditEvent.objects.latest("pk").pk)

    [hers] = Notification.objects.filter(person=gwen_herself)
    [anas] = Notification.objects.filter(person=ana)
    assert hers.title == "Your visit on Mon 4 May 08:00 is cancelled"
    assert anas.title == "The visit to Gwen on Mon 4 May 08:00 is cancelled"

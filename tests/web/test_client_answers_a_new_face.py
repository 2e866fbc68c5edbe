"""Gwen asked to be asked first about new carers past two a month. On Needs cover, Ffion (new
to her, the third) reads why and "Ask Gwen"; tapping it tells her Gwen was asked. Gwen's
message links to "New carers asking", where she says yes (Ffion is on the visit) or no (the
visit stays open), each with a plain form post. Her daughter reads the question but may not
answer (403); other people's questions are 404. In Welsh, the page is Welsh."""

import pytest
from django.urls import reverse

from people.models import Language
from rota import services
from rota.models import NewFaceRequest, NewFaceStatus
from tests.outcomes import holders, nothing_changes
from tests.stories import MONDAY_MORNING, at, place, planned_visit, third_new_face
from tests.web.pages import HTMX, words

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]


@pytest.fixture
def ffion(story):
    return third_new_face(story)


@pytest.fixture
def visit(story):
    return planned_visit(story.gwen, at(5, 10))


def asked_page(story) -> str:
    return reverse("family:asked", args=[story.gwen.pk])


def ffion_asks(client, ffion, visit) -> str:
    client.force_login(ffion)
    response = client.post(reverse("carer:take", args=[visit.pk]), follow=True)
    return words(response.text)


def test_ffion_reads_why_and_asks_gwen(client, ffion, visit):
    client.force_login(ffion)
    cover = words(client.get(reverse("carer:needs_cover")).text)
    assert "Gwen would like to be asked first" in cover
    assert "Ask Gwen" in cover

    text = ffion_asks(client, ffion, visit)

    assert (
        "Gwen asked to be asked first about carers new to them this month. We've asked them; "
        "you'll hear as soon as they answer." in text
    )
    assert holders(visit) == []
    assert NewFaceRequest.objects.get().status == NewFaceStatus.ASKED
    # Needs cover says so, instead of offering to ask again.
    cover = words(client.get(reverse("carer:needs_cover")).text)
    assert "You asked Gwen: you'll hear as soon as they answer." in cover
    assert "Ask Gwen" not in cover


def test_with_htmx_the_card_says_gwen_was_asked(client, ffion, visit):
    client.force_login(ffion)

    response = client.post(reverse("carer:take", args=[visit.pk]), headers=HTMX)

    text = words(response.text)
    assert "We've asked them; you'll hear as soon as they answer." in text
    assert "You asked Gwen: you'll hear as soon as they answer." in text
    assert 'role="alert"' not in response.text


def test_gwen_says_yes_and_ffion_is_on_the_visit(client, story, ffion, visit):
    ffion_asks(client, ffion, visit)
    question = NewFaceRequest.objects.get()
    client.force_login(story.gwen_herself)

    page = words(client.get(asked_page(story)).text)
    response = client.post(reverse("family:say_yes", args=[question.pk]), follow=True)

    assert "New carers asking to visit you" in page
    assert "Ffion Lloyd" in page and "Yes, they are welcome" in page
    assert holders(visit) == [ffion]
    text = words(response.text)
    assert "Thank you: Ffion will visit you on Tuesday 5 May, 10:00." in text
    assert "Nobody is waiting for an answer." in text
    # She said yes already: her likes and wishes page does not ask about Ffion again.
    about = words(client.get(reverse("family:about_for", args=[story.gwen.pk])).text)
    assert "Efa Bowen" in about and "Ffion Lloyd" not in about


def test_rhys_says_no_and_the_visit_stays_open(client, story, ffion, visit):
    ffion_asks(client, ffion, visit)
    question = NewFaceRequest.objects.get()
    client.force_login(story.rhys)

    response = client.post(reverse("family:say_no", args=[question.pk]), follow=True)

    assert "Noted: Ffion has been told, and the visit stays as it was." in words(response.text)
    assert holders(visit) == []
    assert NewFaceRequest.objects.get().status == NewFaceStatus.DECLINED


def test_a_yes_too_late_says_so(client, story, ffion, visit):
    ffion_asks(client, ffion, visit)
    place(planned_visit(story.gwen, at(20, 8, month=4)), story.ana)
    services.claim(visit, story.ana, actor=story.ana)
    client.force_login(story.rhys)

    question = NewFaceRequest.objects.get()
    response = client.post(reverse("family:say_yes", args=[question.pk]), follow=True)

    assert (
        "Thank you. Someone else took the visit meanwhile. So Ffion won't be coming; nothing "
        "has changed." in words(response.text)
    )
    assert holders(visit) == [story.ana]


def test_her_daughter_reads_it_but_may_not_answer(client, story, ffion, visit):
    ffion_asks(client, ffion, visit)
    question = NewFaceRequest.objects.get()
    client.force_login(story.sian)

    text = words(client.get(asked_page(story)).text)
    with nothing_changes():
        yes = client.post(reverse("family:say_yes", args=[question.pk]))

    assert "Ffion Lloyd" in text
    assert "Yes, they are welcome" not in text
    assert "Only Gwen or Rhys can answer." in text
    assert yes.status_code == 403
    assert NewFaceRequest.objects.get().status == NewFaceStatus.ASKED


@pytest.mark.parametrize("who", ["bryn", "ana"])
def test_other_peoples_questions_are_not_found(client, story, ffion, visit, who):
    """Bryn speaks for Bart, not Gwen; Ana is a carer (no family pages at all)."""
    ffion_asks(client, ffion, visit)
    question = NewFaceRequest.objects.get()
    client.force_login(getattr(story, who))

    with nothing_changes():
        yes = client.post(reverse("family:say_yes", args=[question.pk]))
        page = client.get(asked_page(story))

    assert yes.status_code in (403, 404)
    assert page.status_code in (403, 404)
    assert NewFaceRequest.objects.get().status == NewFaceStatus.ASKED


def test_in_welsh(client, story, ffion, visit):
    ffion_asks(client, ffion, visit)
    story.gwen_herself.language = Language.WELSH
    story.gwen_herself.save(update_fields=["language"])
    client.force_login(story.gwen_herself)

    text = words(client.get(asked_page(story)).text)

    assert "Gofalwyr newydd yn gofyn am gael ymweld â chi" in text
    assert "Ydyn, mae croeso iddyn nhw" in text

"""Ana says on her settings page that she is running low, for the days she chooses; the page
says plainly what that does, shows what she said, and lets her end it. Days that make no
sense are refused in words; nobody else may end hers; the circle board, the fair shares and
the family's pages never show it."""

import pytest
from django.urls import reverse

from circles.models import Notification
from rota import services
from rota.models import RunningLow
from tests.stories import MONDAY_MORNING, at, place, planned_visit
from tests.web.pages import words

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

WHAT_IT_DOES = (
    "You'll be asked for cover last on these days, and one team leader will hear, so someone "
    "can check in with you. Nobody else is told."
)


def test_my_shifts_leads_to_it_beside_im_off(client, story):
    client.force_login(story.ana)
    page = client.get(reverse("carer:my_shifts")).text
    assert f'href="{reverse("account:preferences")}#running-low"' in page
    settings = client.get(reverse("account:preferences")).text
    assert 'id="running-low"' in settings


def test_ana_says_it_and_reads_it_back(client, story):
    client.force_login(story.ana)
    page = words(client.get(reverse("account:preferences")).text)
    assert "I'm running low" in page
    assert WHAT_IT_DOES in page

    response = client.post(
        reverse("account:running_low"),
        {"first_day": "2026-05-05", "last_day": "2026-05-07"},
        follow=True,
    )

    page = words(response.text)
    assert "You'll be asked for cover last on those days" in page
    assert "You said you are running low from Tue 5 May to Thu 7 May." in page
    flag = RunningLow.objects.get(carer=story.ana)
    assert (str(flag.first_day), str(flag.last_day)) == ("2026-05-05", "2026-05-07")


def test_she_ends_it_when_she_is_better(client, story):
    flag = services.say_running_low(story.ana, at(5, 0).date(), at(7, 0).date(), actor=story.ana)
    client.force_login(story.ana)

    response = client.post(reverse("account:end_running_low", args=[flag.pk]), follow=True)

    assert "Glad to hear it." in words(response.text)
    assert not RunningLow.objects.exists()


def test_days_the_wrong_way_round_are_refused_in_words(client, story):
    client.force_login(story.ana)

    response = client.post(
        reverse("account:running_low"),
        {"first_day": "2026-05-07", "last_day": "2026-05-05"},
        follow=True,
    )

    assert "The last day must be on or after the first." in words(response.text)
    assert not RunningLow.objects.exists()


def test_nobody_else_may_end_hers(client, story):
    flag = services.say_running_low(story.ana, at(5, 0).date(), at(7, 0).date(), actor=story.ana)
    client.force_login(story.ben)

    response = client.post(reverse("account:end_running_low", args=[flag.pk]))

    assert response.status_code == 404
    assert RunningLow.objects.filter(pk=flag.pk).exists()


def test_the_circle_and_the_family_see_nothing_of_it(client, story):
    place(planned_visit(story.gwen, at(5, 9)), story.ana)
    services.say_running_low(story.ana, at(5, 0).date(), at(7, 0).date(), actor=story.ana)
    pages = [
        (story.ben, reverse("carer:circle_board", args=[story.circle.pk])),
        (story.ben, reverse("carer:shares", args=[story.circle.pk])),
        (story.owain, reverse("leaders:circle", args=[story.circle.pk])),
        (story.sian, reverse("family:coming_for", args=[story.gwen.pk])),
    ]
    for person, url in pages:
        client.force_login(person)
        page = words(client.get(url).text)
        assert "Ana" in page or person == story.sian, url
        assert "running low" not in page.lower(), url
    assert not Notification.objects.exclude(person=story.rhian).exists()

"""A call for help no carer answered in time, as the team leaders meet it: pinned at the top of
Rhian's dashboard and of Treforest's page, with the numbers to call as tap-to-call links, and
“I'm on it”; once she says so, Owain sees “Rhian is on it” instead. The circle's row says a
client is waiting for help whatever its cover figures say. Nobody but a leader of the circle
may say “I'm on it”."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from circles.alerts import escalate
from rota import services
from rota.models import HelpStatus
from tests.outcomes import nothing_changes
from tests.stories import MONDAY_MORNING
from tests.web.pages import HTMX, cards, words

pytestmark = pytest.mark.now(MONDAY_MORNING)

PAGES = ["dashboard", "circle"]


@pytest.fixture
def call(story):
    """Sian asks for help for Gwen at 09:00; nobody answers, so at 09:10 it escalates."""
    story.sian.phone = "07700 900456"
    story.sian.save(update_fields=["phone"])
    call = services.raise_help_request(story.gwen, actor=story.sian)
    escalate(call.pk)
    call.refresh_from_db()
    return call


def page_of(story, name):
    if name == "dashboard":
        return reverse("leaders:dashboard")
    return reverse("leaders:circle", args=[story.circle.pk])


def pinned(response) -> list[str]:
    return cards(response.content.decode(), "leader-call")


def on_it(client, leader, call, **options):
    client.force_login(leader)
    return client.post(reverse("leaders:acknowledge_help", args=[call.pk]), **options)


@pytest.mark.parametrize("name", PAGES)
def test_an_escalated_call_is_pinned_with_the_numbers_to_call(client, story, call, name):
    client.force_login(story.rhian)

    response = client.get(page_of(story, name))

    (card,) = pinned(response)
    assert card.startswith("Gwen needs help now (Treforest) Since 09:00, asked by Sian Davies.")
    assert "No carer has said yes yet." in card
    assert "Who to phone for Gwen: Sian (daughter) 07700 900123" in card
    assert "Sian Davies, who asked: 07700 900456" in card
    page = response.content.decode()
    assert 'href="tel:07700900123"' in page and 'href="tel:07700900456"' in page
    assert f'action="{reverse("leaders:acknowledge_help", args=[call.pk])}"' in page
    assert "I'm on it" in card


def test_a_call_not_yet_escalated_is_not_pinned_but_the_row_shows_gwen_waiting(client, story):
    services.raise_help_request(story.gwen, actor=story.sian)
    client.force_login(story.rhian)

    response = client.get(reverse("leaders:dashboard"))

    assert pinned(response) == []
    assert "Gwen is waiting for help (since 09:00)" in words(response.content.decode())


def test_the_row_shows_gwen_waiting_whatever_its_cover_says(client, story, call):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:dashboard")).content.decode()

    row = page.split('class="circle-row')[1].split("</tr>")[0]
    assert "Gwen is waiting for help (since 09:00)" in words(row)


def test_i_m_on_it_without_javascript(client, story, call):
    response = on_it(
        client, story.rhian, call, data={"next": page_of(story, "circle")}, follow=True
    )

    call.refresh_from_db()
    assert call.status == HelpStatus.ACKNOWLEDGED and call.acknowledged_by == story.rhian
    assert response.redirect_chain == [(page_of(story, "circle"), 302)]
    assert "You're on it. The other team leaders can see it." in words(response.content.decode())
    (card,) = pinned(response)
    assert "You're on it." in card and "I'm on it" not in card


def test_i_m_on_it_with_htmx_answers_with_the_card(client, story, call):
    response = on_it(client, story.rhian, call, headers=HTMX)

    text = response.content.decode()
    assert text.lstrip().startswith(
        f'<article class="card leader-call acknowledged" id="leader-help-{call.pk}"'
    )
    assert "<html" not in text


@pytest.mark.parametrize("name", PAGES)
def test_the_other_leader_sees_who_is_on_it(client, story, call, name):
    on_it(client, story.rhian, call)
    client.force_login(story.owain)

    (card,) = pinned(client.get(page_of(story, name)))

    assert "Rhian is on it." in card
    assert "I'm on it" not in card


def test_the_second_leader_is_told_who_is_on_it_already(client, story, call):
    on_it(client, story.rhian, call)

    with nothing_changes():
        response = on_it(client, story.owain, call, follow=True)

    assert "Rhian is on it already." in words(response.content.decode())
    call.refresh_from_db()
    assert call.acknowledged_by == story.rhian


def test_once_a_carer_said_yes_the_call_is_no_longer_pinned(client, story, call):
    services.accept_help_request(call, story.ana, actor=story.ana)
    client.force_login(story.rhian)

    response = client.get(reverse("leaders:dashboard"))

    assert pinned(response) == []
    assert "waiting for help" not in response.content.decode()
    with nothing_changes():
        refused = on_it(client, story.rhian, call, follow=True)
    assert "This request for help is already answered or cancelled." in words(
        refused.content.decode()
    )


def test_once_its_visit_is_over_the_call_is_no_longer_pinned(client, story, call):
    client.force_login(story.rhian)

    with time_machine.travel(MONDAY_MORNING + timedelta(hours=1, minutes=1), tick=False):
        response = client.get(reverse("leaders:dashboard"))

    assert pinned(response) == []


@pytest.mark.parametrize(
    ("who", "answer"), [("ana", 403), ("sian", 403), ("eli", 403), ("nerys_elsewhere", 404)]
)
def test_a_forged_i_m_on_it_by_anyone_else_is_refused(client, story, call, who, answer):
    """A carer or a relative is no team leader (403); a leader of another circle is told the
    call does not exist (404)."""
    if who == "nerys_elsewhere":
        # Hill Care's circle: Rhian leads only Treforest.
        person = story.rhian
        call = services.raise_help_request(story.bart)
    else:
        person = getattr(story, who)

    with nothing_changes():
        response = on_it(client, person, call)

    assert response.status_code == answer


def test_a_coordinator_of_the_organisation_may_say_she_is_on_it(client, story, call):
    on_it(client, story.nerys, call)

    call.refresh_from_db()
    assert call.acknowledged_by == story.nerys

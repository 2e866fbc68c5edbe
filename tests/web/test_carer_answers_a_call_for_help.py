"""A call for help, as carers answer it: pinned at the top of every carer page for each carer
who may go, with Gwen's name, since when and who asked, and one “I can go”; the first to say
so gets the visit, the others see who is going; the one going says when they will be there.
Every refusal is in the rule's words and changes nothing; the call's page is for the circle's
carers only."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from rota import services
from rota.models import Absence, HelpRequest, HelpStatus
from tests.outcomes import holders, nothing_changes
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
from tests.web.pages import HTMX, cards, words

SOON = WEDNESDAY_NOON + timedelta(minutes=5)

# Every page a carer may open that needs nothing of theirs to exist.
CARER_PAGES = ["carer:my_shifts", "carer:needs_cover", "carer:board", "carer:off"]


@pytest.fixture
def call(story):
    """Sian asks for help for Gwen at noon."""
    return services.raise_help_request(story.gwen, actor=story.sian)


def help_cards(page) -> list[str]:
    return cards(page.text, "help-call")


def go(client, carer, call, **options):
    client.force_login(carer)
    return client.post(reverse("carer:accept_help", args=[call.pk]), **options)


@pytest.mark.parametrize("page", CARER_PAGES)
def test_the_call_is_pinned_at_the_top_of_every_carer_page(client, story, call, page):
    client.force_login(story.ana)

    response = client.get(reverse(page))

    (card,) = help_cards(response)
    assert card.startswith("Gwen needs help now Since 12:00, asked by Sian Davies.")
    assert "I can go" in card
    assert response.text.index("help-call") < response.text.index("<h1>")
    action = reverse("carer:accept_help", args=[call.pk])
    assert f'<form method="post" action="{action}"' in response.text


def test_the_swap_and_time_off_pages_pin_it_too(client, story, call):
    mine = place(planned_visit(story.tom, at(1, 9)), story.ana)
    absence = services.record_absence(story.ana, "holiday", at(4, 0), at(5, 0))
    client.force_login(story.ana)

    for url in [reverse("carer:swap", args=[mine.pk]), reverse("carer:absence", args=[absence.pk])]:
        (card,) = help_cards(client.get(url))
        assert "I can go" in card


def test_on_the_call_s_own_page_it_is_not_pinned_twice(client, story, call):
    other = services.raise_help_request(story.tom, actor=story.rhian)
    client.force_login(story.ana)

    page = client.get(reverse("carer:help", args=[call.pk]))

    assert [c.split(" Since")[0] for c in help_cards(page)] == [
        "Tom needs help now",
        "Gwen needs help now",
    ]
    assert page.text.count(f'id="help-{call.pk}"') == 1
    assert page.text.count(f'id="help-{other.pk}"') == 1


def test_a_carer_who_may_not_go_does_not_see_it(client, story, call):
    Absence.objects.create(
        carer=story.ben, kind="sick", start=WEDNESDAY_NOON - timedelta(hours=1), end=at(1, 0)
    )
    client.force_login(story.ben)

    assert help_cards(client.get(reverse("carer:my_shifts"))) == []


def test_no_call_nothing_pinned(client, story):
    client.force_login(story.ana)

    assert help_cards(client.get(reverse("carer:my_shifts"))) == []


def test_family_and_leaders_have_no_carer_page_for_it(client, story, call):
    for person in (story.sian, story.rhian):
        client.force_login(person)
        assert client.get(reverse("carer:help", args=[call.pk])).status_code == 403


def test_another_circles_carer_never_sees_it(client, story, call):
    client.force_login(story.eli)

    assert help_cards(client.get(reverse("carer:my_shifts"))) == []
    with nothing_changes():
        responses = [
            client.get(reverse("carer:help", args=[call.pk])),
            go(client, story.eli, call),
            client.post(reverse("carer:help_eta", args=[call.pk]), {"minutes": 20}),
        ]
    assert [r.status_code for r in responses] == [404] * 3


def test_i_can_go_without_javascript_gives_ana_the_visit(client, story, call):
    response = go(client, story.ana, call, follow=True)

    call.refresh_from_db()
    assert call.status == HelpStatus.ACCEPTED and holders(call.shift) == [story.ana]
    assert response.redirect_chain == [(reverse("carer:help", args=[call.pk]), 302)]
    text = words(response.text)
    assert "Thank you: you're going." in text
    (card,) = help_cards(response)
    assert "You're going. Thank you." in card
    assert "4 Heol y Nant" in card and "Key safe by the back door: 1966." in card
    assert "I'll be there in about 10 min 20 min 30 min 45 min 60 min" in card


def test_i_can_go_with_htmx_answers_with_the_card(client, story, call):
    response = go(client, story.ana, call, headers=HTMX)

    assert response.text.lstrip().startswith(
        f'<article class="card help-call help-going" id="help-{call.pk}"'
    )
    assert "<html" not in response.text
    assert "Thank you: you're going." in words(response.text)


def test_the_others_see_who_is_going_and_no_button(client, story, call):
    go(client, story.ana, call)
    client.force_login(story.ben)

    (card,) = help_cards(client.get(reverse("carer:needs_cover")))

    assert "Ana is going. You are not needed for this one." in card
    assert "I can go" not in card


def test_the_second_to_say_yes_is_told_it_was_just_taken(client, story, call):
    go(client, story.ana, call)

    with nothing_changes():
        response = go(client, story.ben, call, follow=True)

    assert "Someone has just accepted this. Thank you." in words(response.text)
    assert holders(call.shift) == [story.ana]


def test_a_cancelled_call_is_refused_in_words(client, story, call):
    services.cancel_help_request(call, actor=story.sian)

    with nothing_changes():
        response = go(client, story.ana, call, follow=True)

    assert "This request for help was cancelled." in words(response.text)
    (card,) = help_cards(response)
    assert "Cancelled: help is no longer needed." in card


def test_a_rule_that_fails_is_told_in_its_words(client, story, call):
    Absence.objects.create(
        carer=story.ben, kind="sick", start=WEDNESDAY_NOON - timedelta(hours=1), end=at(1, 0)
    )
    with nothing_changes():
        response = go(client, story.ben, call, follow=True)

    text = words(response.text)
    assert "off" in text.lower()
    (card,) = help_cards(response)
    assert "I can go" not in card
    assert HelpRequest.objects.get().status == HelpStatus.ASKED


def test_a_double_tap_is_told_they_are_going_already(client, story, call):
    go(client, story.ana, call)

    with nothing_changes():
        response = go(client, story.ana, call, follow=True)

    assert "You said you can go already." in words(response.text)


def test_the_call_s_own_page(client, story, call):
    client.force_login(story.ana)

    page = client.get(reverse("carer:help", args=[call.pk]))

    assert "Help for Gwen" in words(page.text)
    (card,) = help_cards(page)
    assert "I can go" in card
    assert "Open this call for help" not in card


def test_signed_out_the_link_asks_to_sign_in_and_comes_back(client, story, call):
    link = reverse("carer:help", args=[call.pk])

    response = client.get(link)

    assert response.status_code == 302
    assert response.url == f"{reverse('account:login')}?next={link}"
    signed_in = client.post(
        response.url,
        {"username": "ana@example.org", "password": "a-long-test-password", "next": link},
    )
    assert signed_in.url == link


def test_signed_out_i_can_go_acts_for_nobody(client, story, call):
    with nothing_changes():
        response = client.post(reverse("carer:accept_help", args=[call.pk]))

    assert response.status_code == 302 and reverse("account:login") in response.url


def test_the_carer_going_says_when_they_will_be_there(client, story, call):
    go(client, story.ana, call)

    response = client.post(
        reverse("carer:help_eta", args=[call.pk]), {"minutes": "20"}, follow=True
    )

    call.refresh_from_db()
    assert call.expected_at == WEDNESDAY_NOON + timedelta(minutes=20)
    assert "You said you'll be there at about 12:20." in words(response.text)


@pytest.mark.parametrize("minutes", ["15", "", "soon"])
def test_minutes_not_offered_are_refused_in_words(client, story, call, minutes):
    go(client, story.ana, call)

    with nothing_changes():
        response = client.post(
            reverse("carer:help_eta", args=[call.pk]), {"minutes": minutes}, follow=True
        )

    assert "Choose one of 10, 20, 30, 45 or 60 minutes." in words(response.text)


def test_only_the_carer_going_may_say_when(client, story, call):
    go(client, story.ana, call)
    client.force_login(story.ben)

    with nothing_changes():
        response = client.post(
            reverse("carer:help_eta", args=[call.pk]), {"minutes": "20"}, follow=True
        )

    assert "You can't make this change for someone else." in words(response.text)


def test_once_its_visit_is_over_the_call_is_no_longer_pinned(client, story, call):
    client.force_login(story.ana)

    with time_machine.travel(WEDNESDAY_NOON + timedelta(hours=1, minutes=1), tick=False):
        assert help_cards(client.get(reverse("carer:my_shifts"))) == []
        page = client.get(reverse("carer:help", args=[call.pk]))
        with nothing_changes():
            refused = go(client, story.ana, call, follow=True)

    assert "This call for help is over." in help_cards(page)[0]
    assert "This call for help is over: its time has passed." in words(refused.text)


# --- a second pair of hands ---------------------------------------------------------------------


def test_a_carer_at_a_visit_calls_for_a_second_pair_of_hands(client, story):
    lunch = planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(minutes=10), title="Lunch")
    place(lunch, story.ana)
    client.force_login(story.ana)
    page = client.get(reverse("carer:my_shifts"))
    assert "I need a second pair of hands" in words(page.text)

    response = client.post(reverse("carer:raise_help", args=[lunch.pk]), follow=True)

    call = HelpRequest.objects.get()
    assert (call.client, call.raised_by, call.status) == (story.gwen, story.ana, HelpStatus.ASKED)
    assert response.redirect_chain == [(reverse("carer:help", args=[call.pk]), 302)]
    (card,) = help_cards(response)
    assert "Since 12:00, asked by you." in card
    assert "The carers who can go are being asked." in card


def test_the_button_shows_from_half_an_hour_before_the_visit(client, story):
    soon = planned_visit(story.gwen, WEDNESDAY_NOON + timedelta(minutes=30), title="Soon")
    later = planned_visit(story.tom, WEDNESDAY_NOON + timedelta(hours=2), title="Later")
    place(soon, story.ana)
    place(later, story.ana)
    client.force_login(story.ana)

    page = client.get(reverse("carer:my_shifts")).text

    assert reverse("carer:raise_help", args=[soon.pk]) in page
    assert reverse("carer:raise_help", args=[later.pk]) not in page
    with nothing_changes():
        too_early = client.post(reverse("carer:raise_help", args=[later.pk]), follow=True)
    assert "You can call for help from half an hour before your visit." in words(too_early.text)


def test_only_the_carer_holding_the_visit_may_call_from_it(client, story):
    lunch = planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(minutes=10), title="Lunch")
    place(lunch, story.ana)

    client.force_login(story.ben)
    with nothing_changes():
        response = client.post(reverse("carer:raise_help", args=[lunch.pk]))

    assert response.status_code == 404

"""“Gwen needs help now”: Sian presses one button, confirms on a page that also says to call
999 if someone is in danger, then follows the call on a status page that updates itself."""

import time_machine
from django.urls import reverse

from circles.alerts import ask_carers_for_help, escalate
from rota import services
from rota.models import HelpRequest, HelpStatus
from tests.outcomes import nothing_changes
from tests.stories import WEDNESDAY_NOON
from tests.web.pages import HTMX, words

LATER = WEDNESDAY_NOON.replace(minute=5)


def help_page(story):
    return reverse("family:help", args=[story.gwen.pk])


def status_of(request):
    return reverse("family:help_status", args=[request.pk])


def test_the_confirmation_says_to_call_999_and_asks_nobody_yet(client, story):
    client.force_login(story.sian)

    page = client.get(help_page(story))

    text = words(page.text)
    assert "Does Gwen need help now?" in text
    assert "If someone is in danger, call 999 now." in text
    assert 'href="tel:999"' in page.text
    assert f'<form method="post" action="{help_page(story)}">' in page.text
    assert "Yes, ask for help for Gwen now" in text
    assert HelpRequest.objects.count() == 0


def test_confirming_asks_the_circle_and_shows_the_status(client, story):
    client.force_login(story.sian)

    response = client.post(help_page(story), follow=True)

    request = HelpRequest.objects.get()
    assert (request.client, request.raised_by, request.status) == (
        story.gwen,
        story.sian,
        HelpStatus.ASKED,
    )
    assert response.redirect_chain[-1][0] == status_of(request)
    text = words(response.text)
    assert "Help for Gwen" in text
    assert "Asking carers" in text
    assert "12:00: the carers in Gwen's circle were asked." in text
    assert 'data-hx-trigger="every 10s"' in response.text


def test_pressing_twice_asks_once(client, story):
    client.force_login(story.sian)

    first = client.post(help_page(story))
    second = client.post(help_page(story))

    request = HelpRequest.objects.get()
    assert first.url == second.url == status_of(request)


def test_once_asked_the_confirmation_points_to_the_status(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))

    page = client.get(help_page(story))

    assert "The circle was asked to help Gwen at 12:00." in words(page.text)
    assert status_of(HelpRequest.objects.get()) in page.text
    assert "Yes, ask for help for Gwen now" not in words(page.text)


def test_status_shows_who_accepted(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))
    request = HelpRequest.objects.get()

    with time_machine.travel(LATER, tick=False):
        services.accept_help_request(request, story.ana, actor=story.ana)
        page = client.get(status_of(request))

    text = words(page.text)
    assert "Ana Price is going" in text
    assert "12:05: Ana Price said yes and is on the way." in text
    assert 'data-hx-trigger="every 10s"' in page.text, "until Ana says when she will be there"
    assert "If someone is in danger" not in text


def test_status_shows_when_the_carer_will_be_there_and_stops_asking(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))
    request = HelpRequest.objects.get()

    with time_machine.travel(LATER, tick=False):
        services.accept_help_request(request, story.ana, actor=story.ana)
        services.expect_arrival(request, 20, actor=story.ana)
        page = client.get(status_of(request))

    text = words(page.text)
    assert "Ana Price is going, there at about 12:25" in text
    assert "12:05: Ana Price said yes and is on the way, there at about 12:25." in text
    assert 'data-hx-trigger="every 10s"' not in page.text, "nothing more to wait for"


def test_status_says_how_many_carers_were_asked(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))
    request = HelpRequest.objects.get()

    asked = ask_carers_for_help(request.pk)
    page = client.get(status_of(request))

    assert asked == 3
    assert "12:00: 3 carers in Gwen's circle who could go were asked." in words(page.text)


def test_status_shows_the_team_leaders_were_told_and_who_is_on_it(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))
    request = HelpRequest.objects.get()

    with time_machine.travel(WEDNESDAY_NOON.replace(minute=11), tick=False):
        escalate(request.pk)
    with time_machine.travel(WEDNESDAY_NOON.replace(minute=12), tick=False):
        services.acknowledge_help_request(request, actor=story.rhian)
    with time_machine.travel(WEDNESDAY_NOON.replace(minute=14), tick=False):
        services.accept_help_request(request, story.ben, actor=story.ben)
        page = client.get(status_of(request))

    steps = words(page.text.split('<ol class="steps">')[1].split("</ol>")[0])
    # Escalated, every carer who could go is asked too, whatever wave they were in.
    assert steps == (
        "12:00: 3 carers in Gwen's circle who could go were asked. "
        "12:11: no carer had said yes yet, so the team leaders were told. "
        "12:12: Rhian Lewis, a team leader, is on it. "
        "12:14: Ben Jones said yes and is on the way."
    )


def test_the_htmx_poll_gets_just_the_status_and_nothing_when_nothing_changed(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))
    request = HelpRequest.objects.get()
    page = client.get(status_of(request))
    poll_url = page.text.split('data-hx-get="')[1].split('"')[0].replace("&amp;", "&")

    unchanged = client.get(poll_url, headers=HTMX)
    ask_carers_for_help(request.pk)
    asked = client.get(poll_url, headers=HTMX)
    poll_url = asked.text.split('data-hx-get="')[1].split('"')[0].replace("&amp;", "&")
    with time_machine.travel(LATER, tick=False):
        services.accept_help_request(request, story.ana, actor=story.ana)
    accepted = client.get(poll_url, headers=HTMX)
    poll_url = accepted.text.split('data-hx-get="')[1].split('"')[0].replace("&amp;", "&")
    with time_machine.travel(LATER, tick=False):
        services.expect_arrival(request, 20, actor=story.ana)
    expected = client.get(poll_url, headers=HTMX)

    assert unchanged.status_code == 204
    assert [r.status_code for r in (asked, accepted, expected)] == [200, 200, 200]
    assert accepted.text.lstrip().startswith('<div id="help-status"')
    assert "<html" not in accepted.text
    assert "3 carers in Gwen's circle who could go were asked." in words(asked.text)
    assert "12:05: Ana Price said yes and is on the way." in words(accepted.text)
    assert "there at about 12:25." in words(expected.text)
    assert "data-hx-trigger" not in expected.text, "the poll stops once Ana said when"


def test_help_no_longer_needed_cancels_it(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))
    request = HelpRequest.objects.get()

    response = client.post(reverse("family:cancel_help", args=[request.pk]), follow=True)

    request.refresh_from_db()
    assert request.status == HelpStatus.CANCELLED
    text = words(response.text)
    assert "Cancelled. The circle knows help is no longer needed." in text
    assert "12:00: cancelled, help is no longer needed." in text
    assert reverse("family:cancel_help", args=[request.pk]) not in response.text


def test_another_clients_call_for_help_is_not_found(client, story):
    request = services.raise_help_request(story.bart)
    client.force_login(story.sian)
    with nothing_changes():
        responses = [
            client.get(status_of(request)),
            client.get(status_of(request), headers=HTMX),
            client.post(reverse("family:cancel_help", args=[request.pk])),
            client.get(reverse("family:help", args=[story.tom.pk])),
            client.post(reverse("family:help", args=[story.bart.pk])),
        ]

    assert [r.status_code for r in responses] == [404] * 5


def test_after_a_carer_said_yes_the_family_can_ask_again(client, story):
    client.force_login(story.sian)
    client.post(help_page(story))
    services.accept_help_request(HelpRequest.objects.get(), story.ana, actor=story.ana)

    page = client.get(help_page(story))
    client.post(help_page(story))

    assert "Yes, ask for help for Gwen now" in words(page.text)
    assert HelpRequest.objects.count() == 2

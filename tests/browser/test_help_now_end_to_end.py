"""“Gwen needs help now”, end to end, on 390×844 phones (Debian's Chromium driven by
Playwright, axe-core checking every page for WCAG 2.2 AA).

Sian asks for help; Ana opens the link in the email asking her, signs in on the way, taps
“I can go” and says she will be there in about 20 minutes; Sian's page names her and the
time; Ben's pages show that Ana is going. Then Sian asks again and nobody answers: once the
call goes to the team leaders it is pinned on Rhian's dashboard with the numbers to call,
Rhian taps “I'm on it”, Owain sees that she is, and so does Sian.

Time is real here (a frozen clock would expire the browser's session cookie); the worker's
follow-ups (asking the carers, escalating) are run by the test, as the worker would."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from circles import notify
from circles.alerts import ask_carers_for_help, escalate_help_requests
from circles.models import Notification, NotificationKind
from rota.models import HelpRequest, HelpStatus
from tests.browser.conftest import AXE_ALLOWED, PHONE, assert_accessible, assert_fits_the_phone

pytestmark = pytest.mark.django_db(transaction=True)

# Where the phone-sized pictures of the pinned cards go (not the README's: these are for
# looking at), unless HELP_SCREENSHOTS names another folder.
SHOTS = Path(os.environ.get("HELP_SCREENSHOTS", "/tmp/help-now-screenshots"))


def looks_right(page: Page) -> None:
    assert_fits_the_phone(page)
    assert_accessible(page)


def photograph(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name)


def asks_for_help(sian: Page) -> HelpRequest:
    """Sian asks for help for Gwen from her page, and the worker asks the carers."""
    sian.get_by_role("link", name="Gwen needs help now").click()
    sian.get_by_role("button", name="Yes, ask for help for Gwen now").click()
    expect(sian.get_by_role("heading", name="Help for Gwen")).to_be_visible()
    call = HelpRequest.objects.get(status=HelpStatus.ASKED)
    ask_carers_for_help(call.pk)
    return call


def test_help_now_from_the_family_to_a_carer_and_to_the_team_leaders(
    browser: Browser, live_server, phone_of, story
):
    sian = phone_of("sian@example.org", "/family/")
    call = asks_for_help(sian)
    expect(sian.get_by_text("3 carers in Gwen's circle who could go were asked.", exact=False))
    looks_right(sian)

    # Ben, who could go too, finds the call pinned at the top of his shifts.
    ben = phone_of("ben@example.org", "/shifts/")
    pinned = ben.locator("article.help-call")
    expect(pinned.get_by_role("heading", name="Gwen needs help now")).to_be_visible()
    expect(pinned.get_by_text("asked by Sian Davies", exact=False)).to_be_visible()
    expect(pinned.get_by_role("button", name="I can go")).to_be_visible()
    looks_right(ben)
    photograph(ben, "carer-pinned-call.png")

    # Ana opens the link in the email asking her (sent as the worker would), on a phone not
    # signed in yet.
    notify.deliver(Notification.objects.get(person=story.ana, kind=NotificationKind.HELP_NEEDED).pk)
    [email] = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert email.subject == "Gwen needs help now"
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/\S+)", email.body).group(1)
    assert link == reverse("carer:help", kwargs={"request_id": call.pk})
    context = browser.new_context(viewport=PHONE, locale="en-GB", **AXE_ALLOWED)
    ana = context.new_page()
    ana.goto(f"{live_server.url}{link}")
    expect(ana.get_by_role("heading", name="Sign in")).to_be_visible()
    ana.get_by_label("Email address").fill("ana@example.org")
    ana.get_by_label("Password").fill("a-long-test-password")
    ana.get_by_role("button", name="Sign in").click()
    ana.wait_for_url(f"{live_server.url}{link}")
    expect(ana.get_by_role("heading", name="Help for Gwen", level=1)).to_be_visible()
    looks_right(ana)

    ana.get_by_role("button", name="I can go").click()
    card = ana.locator(f"#help-{call.pk}")
    expect(card.get_by_text("You're going. Thank you.")).to_be_visible()
    expect(card.get_by_text("4 Heol y Nant", exact=False)).to_be_visible()
    looks_right(ana)
    card.get_by_role("button", name="20 min").click()
    expect(card.get_by_text("You said you'll be there at about", exact=False)).to_be_visible()
    looks_right(ana)
    call.refresh_from_db()
    assert call.status == HelpStatus.ACCEPTED and call.expected_at is not None
    there = timezone.localtime(call.expected_at, story.circle.tz).strftime("%H:%M")

    sian.get_by_role("link", name="Check again").click()
    expect(sian.get_by_text(f"Ana Price is going, there at about {there}")).to_be_visible()
    looks_right(sian)

    ben.reload()
    pinned = ben.locator("article.help-call")
    expect(pinned.get_by_text("Ana is going.")).to_be_visible()
    expect(pinned.get_by_role("button", name="I can go")).to_have_count(0)
    looks_right(ben)
    context.close()

    # A second call, and nobody answers: after the escalation time it goes to the leaders.
    sian.goto(f"{live_server.url}/family/")
    second = asks_for_help(sian)
    later = timezone.now() + timedelta(minutes=settings.HELP_ESCALATE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert escalate_help_requests() == 1

    rhian = phone_of("rhian@example.org", "/leaders/")
    pinned = rhian.locator("article.leader-call")
    expect(pinned.get_by_role("heading", name="Gwen needs help now (Treforest)")).to_be_visible()
    expect(pinned.get_by_role("link", name="07700 900123")).to_have_attribute(
        "href", "tel:07700900123"
    )
    looks_right(rhian)
    photograph(rhian, "leader-pinned-call.png")
    pinned.get_by_role("button", name="I'm on it").click()
    expect(pinned.get_by_text("You're on it.", exact=True)).to_be_visible()
    looks_right(rhian)
    second.refresh_from_db()
    assert second.status == HelpStatus.ACKNOWLEDGED and second.acknowledged_by == story.rhian

    owain = phone_of("owain@example.org", f"/leaders/circles/{story.circle.pk}/")
    expect(owain.locator("article.leader-call").get_by_text("Rhian is on it.")).to_be_visible()
    expect(owain.get_by_role("button", name="I'm on it")).to_have_count(0)
    looks_right(owain)

    sian.get_by_role("link", name="Check again").click()
    expect(sian.get_by_text("Rhian Lewis, a team leader, is on it.", exact=False)).to_be_visible()
    looks_right(sian)


def test_the_call_s_pages_in_welsh(live_server, phone_of, story):
    """Ana's call page and Rhian's pinned card read in Welsh, and pass axe there too."""
    sian = phone_of("sian@example.org", "/family/")
    call = asks_for_help(sian)
    with time_machine.travel(
        timezone.now() + timedelta(minutes=settings.HELP_ESCALATE_MINUTES + 1), tick=False
    ):
        escalate_help_requests()

    for email, path, words in [
        ("ana@example.org", f"/shifts/help/{call.pk}/", "Galla i fynd"),
        ("rhian@example.org", "/leaders/", "Rydw i'n delio â hyn"),
    ]:
        page = phone_of(email, path)
        page.get_by_role("button", name="Cymraeg").click()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.get_by_role("button", name=words)).to_be_visible()
        looks_right(page)

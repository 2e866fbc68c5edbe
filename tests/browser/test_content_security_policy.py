"""Every main page of each audience meets the site's Content-Security-Policy as served: a
real browser with the policy on reports no violation (no inline script or style, no eval),
and htmx still works under it.

Each browser records what the policy refused twice over: the `securitypolicyviolation`
events of the page (listened to by a script the browser adds before the page's own) and
Chromium's console, which names what was refused."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.stories import in_days, place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__refused.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""
EVERYONE = ["/messages/", "/me/", "/calendar/"]


@pytest.fixture
def story(story):
    gwen = story.gwen
    place(planned_visit(gwen, in_days(1, 8), title="Gwen's breakfast"), story.ana)
    planned_visit(gwen, in_days(2, 16), title="Gwen's tablets", essential=True)
    return story


@pytest.fixture
def strict_phone(browser: Browser, live_server):
    """A phone that keeps the site's policy (unlike the axe-checking ones), signed in as
    `email` by a session cookie, so the test is about the pages and not the sign-in form."""
    contexts = []

    def open_as(email: str | None) -> tuple[Page, list[str]]:
        contexts.append(browser.new_context(viewport=PHONE, locale="en-GB"))
        context = contexts[-1]
        if email:
            client = Client()
            client.force_login(_person(email))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        context.add_init_script(LISTEN)
        page = context.new_page()
        console: list[str] = []
        page.on(
            "console",
            lambda message: (
                console.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return page, console

    yield open_as
    for context in contexts:
        context.close()


def _person(email: str):
    from people.models import Person

    return Person.objects.get(email=email)


def walk(page: Page, console: list[str], live_server, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status < 400, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe" not in policy
        page.wait_for_load_state("load")
        refused = page.evaluate("window.__refused")
        assert refused == [] and console == [], f"{path}: {refused} {console}"


def test_the_sign_in_page_meets_the_policy(strict_phone, live_server):
    page, console = strict_phone(None)
    walk(page, console, live_server, ["/sign-in/"])


def test_a_carers_pages_meet_the_policy(strict_phone, live_server, story):
    page, console = strict_phone("ana@example.org")
    paths = ["/shifts/", "/shifts/needs-cover/", "/shifts/board/", "/shifts/off/", *EVERYONE]
    walk(page, console, live_server, paths)


def test_a_family_members_pages_meet_the_policy(strict_phone, live_server, story):
    page, console = strict_phone("sian@example.org")
    gwen = story.gwen.pk
    paths = ["/family/", f"/family/{gwen}/with/", f"/family/{gwen}/help/", "/family/about/"]
    walk(page, console, live_server, [*paths, *EVERYONE])


def test_the_clients_own_pages_meet_the_policy(strict_phone, live_server, story):
    page, console = strict_phone(story.gwen_herself.email)
    walk(page, console, live_server, ["/family/", *EVERYONE])


def test_a_team_leaders_pages_meet_the_policy(strict_phone, live_server, story):
    page, console = strict_phone("rhian@example.org")
    paths = ["/leaders/", f"/leaders/circles/{story.circle.pk}/", *EVERYONE]
    walk(page, console, live_server, paths)


def test_the_coordinators_admin_meets_the_policy(strict_phone, live_server, story):
    page, console = strict_phone("nerys@example.org")
    # The index, a list with dates to pick from, and a form with a search-as-you-type field.
    paths = ["/admin/", "/admin/rota/shift/", "/admin/people/carerprofile/add/"]
    walk(page, console, live_server, paths)


def test_htmx_still_swaps_under_the_policy(strict_phone, live_server, story):
    """A carer takes a visit that needs cover: htmx posts and swaps the card in place."""
    page, console = strict_phone("ana@example.org")
    walk(page, console, live_server, ["/shifts/needs-cover/"])

    page.get_by_role("button", name="I'll take it").first.click()

    expect(page.get_by_text("See it in my shifts").first).to_be_visible()
    assert page.evaluate("window.__refused") == [] and console == []

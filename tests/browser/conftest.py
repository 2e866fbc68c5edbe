"""Browser tests: Debian's Chromium driven by Playwright, on a phone-sized screen, against
the live test server; axe-core checks every page for WCAG 2.2 AA.

Time is real here: a frozen clock would expire the browser's session cookie. So the cast
(tests/stories.py) is made now, and the visits lie a few days ahead of today."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in the test's thread; the ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
WCAG = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
# The site's Content-Security-Policy would refuse the axe-core script these tests inject, so
# their browsers skip it; test_content_security_policy.py walks the pages with it on.
AXE_ALLOWED = {"bypass_csp": True}


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (bin/test installs Debian's).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless=new",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def story(cast):
    """The whole cast, made now, with time running."""
    return cast.everyone()


@pytest.fixture
def phone_of(browser: Browser, live_server):
    """The phones of the people in a story, each signed in as the person whose email it is
    given and open at `path` if one is (`phone_of("sian@example.org", "/family/")`),
    JavaScript on unless asked; closed afterwards."""
    contexts = []

    def signed_in(email: str, path: str = "", *, js: bool = True) -> Page:
        contexts.append(
            browser.new_context(
                viewport=PHONE, locale="en-GB", java_script_enabled=js, **AXE_ALLOWED
            )
        )
        page = contexts[-1].new_page()
        sign_in(page, live_server, email)
        if path:
            page.goto(f"{live_server.url}{path}")
        return page

    yield signed_in
    for context in contexts:
        context.close()


@pytest.fixture
def phone(browser: Browser) -> Page:
    """A phone-sized page with JavaScript on."""
    context = browser.new_context(viewport=PHONE, locale="en-GB", **AXE_ALLOWED)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(browser: Browser) -> Page:
    context = browser.new_context(
        viewport=PHONE, locale="en-GB", java_script_enabled=False, **AXE_ALLOWED
    )
    yield context.new_page()
    context.close()


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.2 AA violation on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]
    assert problems == [], f"{page.url}\n" + "\n".join(problems)


def assert_fits_the_phone(page: Page) -> None:
    """No horizontal scroll at phone width."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def sign_in(page: Page, live_server, email: str, password: str = "a-long-test-password") -> None:
    """Sign in as `email`, and wait until the browser has left the sign-in page."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)

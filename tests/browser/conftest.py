"""Browser tests: Debian's Chromium driven by Playwright, on a phone-sized screen, against
the live test server; axe-core checks every page for WCAG 2.2 AA.

Time is real here: a frozen clock would expire the browser's session cookie. So the cast
(tests/stories.py) is made now, and the visits lie a few days ahead of today.

Every HTML answer the live server gives the browsers is kept, as the server sent it, in the
session's `served_pages` folder; test_html_is_valid.py, run last, has the Nu HTML checker read
them all."""

import hashlib
import os
import re
import threading
from pathlib import Path

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


# An htmx answer is a piece of a page: the checker reads it inside this page, the piece
# starting on line 2, so the lines it names are the piece's own plus one. (No heading here:
# the piece's own would then skip levels; that it has no h1 is only a warning.)
FRAGMENT_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>A piece of a page, for htmx</title></head><body>\n{}\n</body></html>\n"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The HTML check reads the pages the browser tests were served, so it runs after them."""
    last = [item for item in items if item.path.name == "test_html_is_valid.py"]
    items[:] = [item for item in items if item not in last] + last


@pytest.fixture(scope="session")
def served_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding every HTML answer of this session's live server."""
    return tmp_path_factory.mktemp("served_pages", numbered=False)


class KeepsHtml:
    """A WSGI app around the live server's that writes each HTML answer it gives to `folder`,
    once per different body, named after the path asked for."""

    def __init__(self, app, folder: Path) -> None:
        self.app = app
        self.folder = folder
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        answer: dict[str, str] = {}

        def noting_start_response(status, headers, exc_info=None):
            answer.update((name.lower(), value) for name, value in headers)
            return start_response(status, headers, exc_info)

        body_parts = self.app(environ, noting_start_response)
        if not answer.get("content-type", "").startswith("text/html"):
            return body_parts
        try:
            body = b"".join(body_parts)
        finally:
            # Closing the answer is what ends the request (and its database work) in Django.
            if hasattr(body_parts, "close"):
                body_parts.close()
        self.keep(environ.get("PATH_INFO", "/"), body)
        return [body]

    def keep(self, path: str, body: bytes) -> None:
        text = body.decode("utf-8")
        if not text.strip():
            return  # a redirect's empty body
        if not text.lstrip().lower().startswith("<!doctype"):
            text = FRAGMENT_PAGE.format(text)
            path += "-htmx"
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        digest = hashlib.sha256(body).hexdigest()[:10]
        with self.lock:
            (self.folder / f"{name}.{digest}.html").write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def live_server(live_server, served_pages: Path):
    """pytest-django's live server, keeping every HTML answer it gives (KeepsHtml)."""
    server = live_server.thread.httpd
    server.set_app(KeepsHtml(server.get_app(), served_pages))
    return live_server


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

"""Rhian leads Treforest and Pontypridd. Her dashboard reads on a 1280 px laptop, a 1024 px
one and a 390 px phone, in English and in Welsh: no word is broken across two lines ("Pontyprid d"),
nothing pokes out of the page, and the page is still accessible. Each is photographed
(PNG_DIR, or the test's own temporary folder) for a person to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from circles.models import CircleState, Role, StateChange
from tests.browser.conftest import AXE_ALLOWED, PHONE, assert_accessible, sign_in
from tests.factories import MembershipFactory
from tests.stories import in_days, place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}
# The narrowest screen that still gets the table rather than a card per circle.
SMALL_LAPTOP = {"width": 1024, "height": 768}

# Every word of the page's visible text whose letters sit on more than one line. A word is
# what lies between spaces, hyphens, dashes and slashes, where a line may rightly break.
BROKEN_WORDS = """
() => {
  // Text for screen readers only (a caption, a table's head on a phone) sits in a 1 px box.
  const unseen = (element) => {
    for (; element; element = element.parentElement) {
      const box = element.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) return true;
    }
    return false;
  };
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (unseen(node.parentElement)) continue;
    for (const word of node.textContent.matchAll(/[^\\s\\-–—\\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))
      );
      if (lines.size > 1) broken.push(word[0]);
    }
  }
  return broken;
}
"""

# Elements whose right edge lies beyond the page's own width.
OVERFLOWING = """
() => [...document.querySelectorAll("main *")]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((e) => !e.closest(".visually-hidden"))
  .map((e) => e.tagName + (e.className ? "." + e.className : ""))
"""


@pytest.fixture
def story(story):
    """Both circles with visits over the next days, an essential one with nobody in each,
    and a past alert on Treforest."""
    MembershipFactory(circle=story.pontypridd, person=story.rhian, role=Role.TEAM_LEADER)
    place(planned_visit(story.gwen, in_days(1, 8), title="Breakfast"), story.ana)
    place(planned_visit(story.tom, in_days(2, 9), title="Walk"), story.ben)
    planned_visit(story.gwen, in_days(1, 16), title="Tablets", essential=True)
    place(planned_visit(story.dilys, in_days(1, 9), title="Breakfast"), story.eli)
    planned_visit(story.dilys, in_days(3, 18), title="Tablets", essential=True)
    StateChange.objects.create(
        circle=story.circle, from_state=CircleState.OK, to_state=CircleState.NOT_COPING
    )
    return story


@pytest.fixture
def photos(tmp_path) -> Path:
    folder = Path(os.environ.get("PNG_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reads_well(page: Page, name: str, photos: Path) -> None:
    expect(page.get_by_role("link", name="Pontypridd")).to_be_visible()
    page.screenshot(path=photos / f"{name}.png", full_page=True)
    assert page.evaluate(BROKEN_WORDS) == [], f"{name}: words broken across lines"
    assert page.evaluate(OVERFLOWING) == [], f"{name}: sticks out of the page"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


@pytest.mark.parametrize(
    "size", [LAPTOP, SMALL_LAPTOP, PHONE], ids=["laptop", "small-laptop", "phone"]
)
def test_the_dashboard_reads_in_english_and_welsh(
    browser: Browser, live_server, story, size, photos
):
    context = browser.new_context(viewport=size, locale="en-GB", **AXE_ALLOWED)
    page = context.new_page()
    sign_in(page, live_server, "rhian@example.org")
    page.goto(f"{live_server.url}/leaders/")
    width = size["width"]

    reads_well(page, f"dashboard-{width}-en", photos)
    assert_accessible(page)

    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.goto(f"{live_server.url}/leaders/")
    reads_well(page, f"dashboard-{width}-cy", photos)
    context.close()

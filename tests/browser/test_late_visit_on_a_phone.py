"""A late visit, on Ana's 390×844 phone: the message asking “Are you on your way?” opens a page
that fits the phone and passes axe-core's WCAG 2.2 AA checks; “10 min” says when she will be
there, and “I can't make it” gives the visit back. Time is real here (a frozen clock would
expire the browser's session cookie): the visit began 16 minutes ago."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rota.lateness import check_late_visits
from rota.models import Assignment, ReleaseReason
from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.stories import place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)

# Where the phone-sized pictures go (for looking at), unless LATE_SCREENSHOTS names a folder.
SHOTS = Path(os.environ.get("LATE_SCREENSHOTS", "/tmp/late-visit-screenshots"))


def test_ana_answers_on_her_phone(story, phone_of, live_server):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=16)
    mine = place(planned_visit(story.gwen, start), story.ana)
    check_late_visits()
    link = story.ana.notifications.get().link
    SHOTS.mkdir(parents=True, exist_ok=True)

    page = phone_of("ana@example.org", link)

    expect(page.get_by_role("heading", name="Are you on your way?")).to_be_visible()
    assert_fits_the_phone(page)
    assert_accessible(page)
    page.screenshot(path=SHOTS / "late-visit.png", full_page=True)

    page.get_by_role("button", name="10 min").click()
    expect(page.get_by_text("You said you'll be there at about")).to_be_visible()
    assert Assignment.objects.get(pk=mine.pk).expected_at is not None
    assert_accessible(page)
    page.screenshot(path=SHOTS / "late-visit-on-my-way.png", full_page=True)

    page.get_by_role("button", name="I can't make it").click()
    expect(page.get_by_text("This visit is no longer yours.")).to_be_visible()
    assert Assignment.objects.get(pk=mine.pk).release_reason == ReleaseReason.CANT_MAKE_IT
    page.screenshot(path=SHOTS / "late-visit-cant-make-it.png", full_page=True)

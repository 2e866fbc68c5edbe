"""Rhian's dashboard on a phone when Treforest is likely to fall below its threshold: the
row says when and which evenings, in words, in English and in Welsh, accessible and not
wider than the phone; the circle's page says why. The English dashboard is photographed
for the README (docs/screenshots/dashboard-forecast.png)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_the_phone, sign_in
from tests.factories import VisitPlanFactory
from tests.stories import in_days, place, planned_visit, visit

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def story(story):
    """Four weeks of Tom's visits, morning and afternoon, all Ana's; in the third week a
    Saturday evening visit for two that nobody has taken."""
    plans = {hour: VisitPlanFactory(client=story.tom, essential=False) for hour in (9, 14)}
    for day in range(1, 29):
        for hour, plan in plans.items():
            start = in_days(day, hour)
            place(visit(story.tom, start, plan=plan, plan_date=start.date()), story.ana)
    # The Saturday at least 15 days off.
    saturday = 15 + (5 - (timezone.localdate() + timedelta(days=15)).weekday()) % 7
    planned_visit(story.tom, in_days(saturday, 19), carers_needed=2, title="Tom's supper")
    return story


def test_the_dashboard_says_when_cover_is_likely_to_fall(live_server, phone: Page, story):
    sign_in(phone, live_server, "rhian@example.org")

    phone.goto(f"{live_server.url}/leaders/")
    forecast = phone.locator(".circle-row .forecast")
    expect(forecast).to_contain_text("Cover is likely to fall below 95 % in about")
    expect(forecast).to_contain_text("mostly Saturday evenings")
    assert_fits_the_phone(phone)
    assert_accessible(phone)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "dashboard-forecast.png", full_page=False)

    forecast.get_by_role("link").click()
    expect(phone.locator("#forecast")).to_contain_text("Places filled so far")
    assert_accessible(phone)

    phone.get_by_role("button", name="Cymraeg").click()
    phone.goto(f"{live_server.url}/leaders/")
    expect(phone.locator(".circle-row .forecast")).to_contain_text("ymhen tua")
    assert_fits_the_phone(phone)
    assert_accessible(phone)

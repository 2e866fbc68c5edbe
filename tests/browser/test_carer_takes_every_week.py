"""Ana on her phone (390×844): Gwen's weekly lunch needs cover every week.
“Take every week” asks first, listing the dates; she says yes, and they are hers. Time is real
here, so the visits are from tomorrow on."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from rota.generation import generate_shifts
from rota.models import Shift
from rota.recurrence import WEEKDAY_CODES
from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.factories import VisitPlanFactory
from tests.outcomes import holders
from tests.stories import tomorrow

pytestmark = pytest.mark.django_db(transaction=True)


def test_take_every_week_asks_first_and_takes_every_date(phone_of, story):
    first = tomorrow(12)
    plan = VisitPlanFactory(
        client=story.gwen,
        title="Weekly lunch",
        rrule=f"FREQ=WEEKLY;BYDAY={WEEKDAY_CODES[first.weekday()]}",
        starts_on=first.date(),
        start_time=time(12),
    )
    generate_shifts(story.circle, first.date(), first.date() + timedelta(days=22))
    weeks = list(Shift.objects.filter(plan=plan).order_by("start"))
    assert len(weeks) == 4
    ana = phone_of("ana@example.org", "/shifts/needs-cover/")

    card = ana.locator(f"#visit-{weeks[0].pk}")
    card.get_by_role("link", name="Take every week").click()

    expect(ana.get_by_role("heading", name="Take every week?")).to_be_visible()
    expect(ana.get_by_role("heading", name="You would take these 4 visits:")).to_be_visible()
    expect(ana.get_by_text("Later weeks are not on the rota yet.")).to_be_visible()
    assert all(holders(week) == [] for week in weeks)
    assert_fits_the_phone(ana)
    assert_accessible(ana)

    ana.get_by_role("button", name="Yes, take these 4 visits").click()

    expect(ana.get_by_text("You took 4 visits. Thank you!", exact=False)).to_be_visible()
    assert all(holders(week) == [story.ana] for week in weeks)
    assert_fits_the_phone(ana)

"""Ana on her phone (390×844), JavaScript off: “I'm sick today” asks first, listing the visit
later today that will go to the circle; she says yes, and later “I'm better” brings it back
to her. Time is real here, so her visit is a few minutes from now."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_the_phone
from tests.outcomes import holders
from tests.stories import place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_sick_today_asks_first_and_im_better_brings_the_visit_back(phone_of, story):
    soon = timezone.now() + timedelta(minutes=10)
    teatime = place(planned_visit(story.gwen, soon, title="Gwen's tea"), story.ana)
    ana = phone_of("ana@example.org", "/shifts/off/", js=False)

    ana.get_by_role("link", name="I'm sick today").click()

    expect(ana.get_by_role("heading", name="Sick today?")).to_be_visible()
    expect(ana.get_by_text("Gwen's tea", exact=False)).to_be_visible()
    assert holders(teatime.shift) == [story.ana]
    assert_fits_the_phone(ana)

    ana.get_by_role("button", name="Yes, I'm sick today").click()

    expect(ana.get_by_text("Get well soon.", exact=False)).to_be_visible()
    assert holders(teatime.shift) == []

    ana.get_by_role("button", name="I'm better").click()

    expect(ana.get_by_text("Welcome back.", exact=False)).to_be_visible()
    expect(ana.get_by_text("Yours again", exact=True)).to_be_visible()
    assert holders(teatime.shift) == [story.ana]
    assert_fits_the_phone(ana)

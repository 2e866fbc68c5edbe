"""Gwen, on her own phone, tells the circle she will be in hospital, and then that she is back
early: her visits go and come back. Her page speaks to her, fits the phone and passes axe-core
(WCAG 2.2 AA).

Time is real here (a frozen clock would expire the browser's session cookie), so the visits
lie a few days ahead of today."""

import pytest
from playwright.sync_api import Page, expect

from rota.models import ShiftStatus
from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.stories import in_days, place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)


def looks_right(page: Page) -> None:
    assert_fits_the_phone(page)
    assert_accessible(page)


def test_gwen_says_she_is_in_hospital_and_then_back_early(phone_of, story):
    story.gwen_herself  # noqa: B018 (Gwen's own log-in, made now)
    tablets = place(planned_visit(story.gwen, in_days(3, 11), essential=True), story.ana).shift
    lunch = place(planned_visit(story.gwen, in_days(6, 12)), story.ben).shift
    gwen = phone_of("gwen@example.org", "/family/")

    gwen.get_by_role("link", name="I'll be away from home").click()
    expect(gwen.get_by_role("heading", name="You away from home")).to_be_visible()
    looks_right(gwen)
    for legend, moment in (("From", in_days(2, 9)), ("Until", in_days(9, 9))):
        group = gwen.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(moment.date().isoformat())
        group.get_by_label("Time").fill(moment.strftime("%H:%M"))
    gwen.get_by_label("In hospital").check()
    gwen.get_by_role("button", name="Save the time away").click()

    expect(gwen.get_by_text("2 visits are not needed then", exact=False)).to_be_visible()
    expect(gwen.get_by_text("You are in hospital until", exact=False)).to_be_visible()
    looks_right(gwen)
    for shift in (tablets, lunch):
        shift.refresh_from_db()
        assert shift.status == ShiftStatus.NOT_NEEDED

    back = gwen.get_by_role("group", name="Back home early")
    back.get_by_label("Day").fill(in_days(5, 9).date().isoformat())
    back.get_by_label("Time").fill("09:00")
    gwen.get_by_role("button", name="Back early").click()

    expect(gwen.get_by_text("Saved: back home from", exact=False)).to_be_visible()
    looks_right(gwen)
    lunch.refresh_from_db()
    tablets.refresh_from_db()
    assert lunch.status == ShiftStatus.PLANNED and tablets.status == ShiftStatus.NOT_NEEDED

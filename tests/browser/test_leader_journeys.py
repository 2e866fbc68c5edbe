"""Rhian, on her phone: she puts Ana on Gwen's essential visit and the circle's figures change
with the card, without the page reloading; she lists last week's payroll hours visit by visit.
Each page fits the phone and axe-core finds nothing wrong."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.stories import LONDON, in_days, place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_figures_change_with_the_card(phone_of, story):
    place(planned_visit(story.gwen, in_days(1, 8), title="Breakfast"), story.ana)
    tablets = planned_visit(story.gwen, in_days(1, 16), title="Tablets", essential=True)
    page = phone_of("rhian@example.org", f"/leaders/circles/{story.circle.pk}/")
    figures = page.locator("#circle-summary")
    expect(figures).to_contain_text("50 % of carer places filled over the next 14 days (1 of 2)")
    page.evaluate("window.sameVisit = true")

    card = page.locator(f"#visit-{tablets.pk}")
    card.get_by_role("button", name="Put Ana on it").click()

    expect(card).to_contain_text("Ana Price is on it now.")
    expect(figures).to_contain_text("100 % of carer places filled over the next 14 days (2 of 2)")
    expect(figures.locator(".state")).to_have_text("Coping")
    assert page.evaluate("window.sameVisit === true"), "the page was loaded again"
    assert_fits_the_phone(page)
    assert_accessible(page)


def test_last_weeks_hours_visit_by_visit(phone_of, story):
    place(planned_visit(story.gwen, in_days(-3, 8), title="Breakfast"), story.ana)
    place(planned_visit(story.tom, in_days(-2, 9), hours=1.5, title="Walk"), story.ben)
    today = timezone.localdate(timezone.now(), LONDON)
    page = phone_of("rhian@example.org", "/leaders/payroll/")

    page.get_by_label("From").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("To (included)").fill(today.isoformat())
    page.get_by_role("button", name="Show each visit here").click()

    visits = page.get_by_role("table", name="Each visit")
    expect(visits.get_by_role("row")).to_have_count(3)  # the heading's row, then two visits
    expect(visits).to_contain_text("Gwen Davies")
    expect(visits).to_contain_text("Tom Evans")
    expect(page.get_by_role("table", name="Hours by carer")).to_contain_text("1.50")
    assert_fits_the_phone(page)
    assert_accessible(page)


def test_a_carer_leaving_the_circle(phone_of, story):
    """Rhian sees which of Ana's visits will need cover before she confirms Ana leaving."""
    place(planned_visit(story.gwen, in_days(1, 8), title="Breakfast"), story.ana)
    place(planned_visit(story.tom, in_days(3, 10), title="Tablets", essential=True), story.ana)
    page = phone_of("rhian@example.org", f"/leaders/circles/{story.circle.pk}/")

    page.get_by_role("link", name=re.compile("Leaving the circle.*Ana Price")).click()
    page.get_by_label("First day they no longer visit").fill(in_days(1, 0).date().isoformat())
    page.get_by_role("button", name="See which visits need cover").click()

    expect(page.get_by_role("heading", name="2 visits will need cover")).to_be_visible()
    assert_fits_the_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm: Ana leaves on").click()

    expect(page.locator("body")).to_contain_text("2 visits need cover; the circle has been told.")
    assert_accessible(page)

"""The family's and the client's journeys in a real browser on a 390×844 phone (Debian's
Chromium driven by Playwright), axe-core checking every page for WCAG 2.2 AA: Sian frees a
visit while she is with her mum and withdraws it; Gwen says “That's fine” to one new face
and, once she has seen what it will do, “Rather not” to another, then takes it back; Sian
asks for help now and sees who is coming.

Time is real here (a frozen clock would expire the browser's session cookie), so the visits
lie a few days ahead of today."""

from datetime import datetime, timedelta

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import Locator, Page, expect

from people.models import CarerPreference
from rota import services
from rota.models import HelpRequest, ShiftStatus
from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.stories import in_days, place, planned_visit

pytestmark = pytest.mark.django_db(transaction=True)


def looks_right(page: Page) -> None:
    assert_fits_the_phone(page)
    assert_accessible(page)


def back_to_teas_card(sian: Page) -> Locator:
    """Sian goes back to who is coming to Gwen, and finds the card of Tea."""
    sian.get_by_role("link", name="Back to who is coming to Gwen").click()
    return sian.locator("li.coming-visit", has_text="Tea")


def say_when(sian: Page, start: datetime, end: datetime) -> None:
    """Sian fills in “From” and “Until”, each a day and a time, and asks what it frees."""
    for legend, moment in (("From", start), ("Until", end)):
        group = sian.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(moment.date().isoformat())
        group.get_by_label("Time").fill(moment.strftime("%H:%M"))
    sian.get_by_role("button", name="Check which visits this frees").click()


def test_sian_frees_a_visit_while_she_is_with_gwen_and_withdraws_it(phone_of, story):
    tea = planned_visit(story.gwen, in_days(3, 15), title="Tea")
    place(tea, story.ana)
    planned_visit(story.gwen, in_days(3, 16), title="Tablets", essential=True)
    sian = phone_of("sian@example.org", "/family/")

    expect(sian.get_by_role("heading", name="Who is coming to Gwen")).to_be_visible()
    looks_right(sian)
    sian.get_by_role("link", name="I'll be with Gwen").click()
    expect(sian.get_by_role("heading", name="I'll be with Gwen", exact=True)).to_be_visible()
    looks_right(sian)

    say_when(sian, in_days(3, 14), in_days(3, 17))
    preview = sian.locator("section.preview")
    expect(preview.get_by_text("15:00–16:00 Tea", exact=False)).to_be_visible()
    expect(preview.get_by_text("Tablets: essential, so it still happens.")).to_be_visible()
    looks_right(sian)

    sian.get_by_role("button", name="Save: I'll be with Gwen then").click()
    expect(sian.get_by_text("1 visit is not needed then", exact=False)).to_be_visible()
    looks_right(sian)
    tea.refresh_from_db()
    assert tea.status == ShiftStatus.NOT_NEEDED

    card = back_to_teas_card(sian)
    expect(card.get_by_text("Not needed")).to_be_visible()
    expect(card.get_by_text("You are with Gwen.")).to_be_visible()
    looks_right(sian)

    sian.get_by_role("link", name="I'll be with Gwen").click()
    sian.locator("li.family-visit").get_by_role("button", name="Withdraw").click()
    expect(sian.get_by_text("Withdrawn: Gwen's usual visits on", exact=False)).to_be_visible()
    expect(sian.locator("#family-visits").get_by_text("None planned.")).to_be_visible()
    looks_right(sian)
    tea.refresh_from_db()
    assert tea.status == ShiftStatus.PLANNED

    card = back_to_teas_card(sian)
    expect(card.get_by_text("Ana Price")).to_be_visible()
    expect(card.get_by_text("Not needed")).to_have_count(0)


def test_sian_stays_the_night_with_gwen(phone_of, story):
    """From 22:00 until 07:00 the next morning: the visits in the night are freed, and the
    stay is listed from one day to the next."""
    start, end = in_days(3, 22), in_days(4, 7)
    bedtime = place(planned_visit(story.gwen, in_days(3, 23), title="Bedtime"), story.ana).shift
    getting_up = planned_visit(story.gwen, in_days(4, 6), title="Getting up")
    breakfast = planned_visit(story.gwen, in_days(4, 7), title="Breakfast")
    sian = phone_of("sian@example.org", "/family/")
    sian.get_by_role("link", name="I'll be with Gwen").click()

    say_when(sian, start, end)
    window = f"{dateformat.format(start, 'l j F, H:i')} to {dateformat.format(end, 'l j F, H:i')}"
    preview = sian.locator("section.preview")
    expect(preview.get_by_role("heading", name=window)).to_be_visible()
    expect(preview.get_by_text("23:00–00:00 Bedtime", exact=False)).to_be_visible()
    expect(preview.get_by_text("06:00–07:00 Getting up", exact=False)).to_be_visible()
    expect(preview.get_by_text("Breakfast")).to_have_count(0)
    looks_right(sian)

    sian.get_by_role("button", name="Save: I'll be with Gwen then").click()
    expect(sian.get_by_text("2 visits are not needed then", exact=False)).to_be_visible()
    card = sian.locator("li.family-visit")
    expect(card.get_by_text(window)).to_be_visible()
    expect(card.get_by_text("2 visits are not needed.", exact=False)).to_be_visible()
    looks_right(sian)
    statuses = [ShiftStatus.NOT_NEEDED, ShiftStatus.NOT_NEEDED, ShiftStatus.PLANNED]
    for shift, status in zip((bedtime, getting_up, breakfast), statuses, strict=True):
        shift.refresh_from_db()
        assert shift.status == status


def test_gwen_welcomes_one_new_face_and_would_rather_not_have_another(live_server, phone_of, story):
    for days_ago in (2, 3):
        place(planned_visit(story.gwen, timezone.now() - timedelta(days=days_ago)), story.ana)
    place(planned_visit(story.gwen, in_days(3, 8), title="Breakfast"), story.ben)
    place(planned_visit(story.gwen, in_days(3, 12), title="Lunch"), story.cat)
    gwen = phone_of("gwen@example.org", "/family/about/")

    expect(gwen.get_by_role("heading", name="New faces coming")).to_be_visible()
    looks_right(gwen)

    ben = gwen.locator(".new-face", has_text="Ben Jones")
    ben.get_by_role("button", name="That's fine").click()
    expect(gwen.get_by_text("Thank you: Ben Jones is welcome to visit you.")).to_be_visible()
    expect(gwen.locator(".new-face", has_text="Ben Jones")).to_have_count(0)
    looks_right(gwen)

    # "Rather not" first says what it will do, and asks.
    cat = gwen.locator(".new-face", has_text="Cat Morgan")
    cat.get_by_role("link", name="Rather not").click()
    expect(gwen.get_by_role("heading", name="Rather not have Cat Morgan?")).to_be_visible()
    expect(gwen.get_by_text("Cat Morgan has 1 visit coming up.", exact=False)).to_be_visible()
    looks_right(gwen)
    assert CarerPreference.objects.count() == 0

    # While it works, its button is disabled and the page says so.
    held = []
    gwen.route("**/rather-not/", lambda route: held.append(route))
    yes = gwen.get_by_role("button", name="Yes, rather not have Cat Morgan")
    yes.click()
    expect(yes).to_be_disabled()
    expect(gwen.get_by_role("status")).to_have_text("Working on it: telling the circle…")
    held[0].continue_()
    expect(gwen.get_by_text("Noted: Cat Morgan won't visit you.", exact=False)).to_be_visible()
    expect(gwen.locator("#wishes").get_by_text("Cat Morgan")).to_be_visible()
    expect(gwen.locator(".new-face")).to_have_count(0)
    looks_right(gwen)

    gwen.goto(f"{live_server.url}/family/")
    lunch = gwen.locator("li.coming-visit", has_text="Lunch")
    expect(lunch.get_by_text("A carer is still being found")).to_be_visible()
    expect(lunch.get_by_text("Cat Morgan")).to_have_count(0)
    breakfast = gwen.locator("li.coming-visit", has_text="Breakfast")
    expect(breakfast.get_by_text("Ben Jones")).to_be_visible()
    looks_right(gwen)

    # And it can be taken back.
    gwen.goto(f"{live_server.url}/family/about/")
    gwen.get_by_role("link", name="Change who I'd rather have, or not").click()
    card = gwen.locator(".carer-wish", has_text="Cat Morgan")
    expect(card.get_by_text("Rather not", exact=True)).to_be_visible()
    looks_right(gwen)
    card.get_by_role("button", name="I'd be happy to see Cat Morgan again").click()
    expect(
        gwen.get_by_text("Visits already given to other carers stay", exact=False)
    ).to_be_visible()
    expect(
        gwen.locator(".carer-wish", has_text="Cat Morgan").get_by_text("No wish either way")
    ).to_be_visible()
    looks_right(gwen)
    assert CarerPreference.objects.count() == 0


def test_sian_asks_for_help_now_and_sees_who_is_coming(phone_of, story):
    sian = phone_of("sian@example.org", "/family/")
    sian.get_by_role("link", name="Gwen needs help now").click()

    expect(sian.get_by_role("heading", name="Does Gwen need help now?")).to_be_visible()
    expect(sian.get_by_text("If someone is in danger, call 999 now.")).to_be_visible()
    expect(sian.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    looks_right(sian)

    sian.get_by_role("button", name="Yes, ask for help for Gwen now").click()
    expect(sian.get_by_role("heading", name="Help for Gwen")).to_be_visible()
    expect(sian.get_by_text("the carers in Gwen's circle were asked.", exact=False)).to_be_visible()
    looks_right(sian)

    request = HelpRequest.objects.get(client=story.gwen)
    services.accept_help_request(request, story.ana, actor=story.ana)

    sian.get_by_role("link", name="Check again").click()
    expect(sian.get_by_text("Ana Price said yes and is on the way.", exact=False)).to_be_visible()
    looks_right(sian)

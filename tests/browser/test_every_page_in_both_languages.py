"""Every main page of each role, in English and in Welsh, on a 390×844 phone: the page says
its language, axe-core finds no WCAG 2.2 AA violation, and nothing scrolls sideways. The
server's answers are kept on the way, and test_html_is_valid.py checks they are valid HTML.

On the way, the carer's *My shifts*, the circle's fair shares and the family page are
photographed for the README (docs/screenshots/), so the pictures there are always the app as
the tests saw it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from circles.models import CheckIn
from rota import services
from rota.models import AbsenceKind, NewFaceRequest
from tests.browser.conftest import assert_accessible, assert_fits_the_phone, sign_in
from tests.stories import in_days, missed, place, planned_visit, visited

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EVERYONE = ["/messages/", "/me/", "/calendar/"]


@pytest.fixture
def story(story):
    """Treforest with a week of visits: Ana has some, one needs cover, one is Ben's, which he
    gives away; Ana is off for a day next week, and Sian has called for help for Gwen (so
    the trail and everyone's messages have something in them)."""
    gwen, tom = story.gwen, story.tom
    story.anas_breakfast = place(
        planned_visit(gwen, in_days(1, 8), title="Gwen's breakfast"), story.ana
    )
    bens_lunch = place(planned_visit(gwen, in_days(1, 12), title="Gwen's lunch"), story.ben)
    place(planned_visit(tom, in_days(2, 9), title="Tom's walk"), story.ana)
    tablets = planned_visit(gwen, in_days(2, 16), title="Gwen's tablets", essential=True)
    # Gwen asked to be asked first about new carers: Ben, new to her, asks to take it.
    NewFaceRequest.objects.create(shift=tablets, carer=story.ben)
    place(planned_visit(gwen, in_days(3, 18), title="Gwen's supper"), story.cat)
    services.offer(bens_lunch, actor=story.ben)
    story.anas_day_off = services.record_absence(
        story.ana, AbsenceKind.HOLIDAY, in_days(8, 0), in_days(9, 0), actor=story.ana
    )
    story.help_request = services.raise_help_request(gwen, actor=story.sian)
    # What happened this week: Ana's breakfast yesterday, recorded; Ben's the day before, missed.
    yesterday = planned_visit(
        gwen,
        in_days(-1, 8),
        title="Gwen's breakfast",
        tasks=("Make breakfast", "Water the tomatoes"),
        medicines=("Metformin 500 mg", "Vitamin D"),
    )
    visited(
        place(yesterday, story.ana),
        in_days(-1, 8, 5),
        in_days(-1, 8, 50),
        tasks=("Make breakfast",),
        medication=(("Metformin 500 mg", "given", ""), ("Vitamin D", "not_given", "Ran out")),
        note="Gwen was cheerful and we talked about her garden.",
    )
    missed(place(planned_visit(gwen, in_days(-2, 8), title="Gwen's breakfast"), story.ben).shift)
    # Last month's check-in, answered by three (so its figures show), and shared with the
    # team leaders; this month's, by Ben.
    last_month = (in_days(0, 12).date().replace(day=1) - timedelta(days=1)).replace(day=1)
    for coping, change in ((4, "More weekend cover"), (3, ""), (5, "Fewer late finishes")):
        CheckIn.objects.create(
            circle=story.circle, month=last_month, coping=coping, me=coping, change=change
        )
    services.answer_check_in(story.circle, coping=4, me=3, actor=story.ben)
    services.share_check_ins(story.circle, True, actor=story.ben)
    return story


def check(page: Page, url: str, language: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1").first).to_be_visible()
    assert_fits_the_phone(page)
    assert_accessible(page)


def walk(page: Page, live_server, email: str, paths: list[str], photos=None) -> None:
    """Sign in, see every page in English (photographing some), then switch to Welsh with
    the footer's button and see them all again."""
    sign_in(page, live_server, email)
    for path in paths:
        check(page, f"{live_server.url}{path}", "en")
        if photos and path in photos:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / photos[path], full_page=True)
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    for path in paths:
        check(page, f"{live_server.url}{path}", "cy")


def test_a_carers_pages(live_server, phone, story):
    paths = [
        "/shifts/",
        "/shifts/needs-cover/",
        "/shifts/board/",
        f"/shifts/board/{story.circle.pk}/",
        f"/shifts/board/{story.circle.pk}/shares/",
        f"/shifts/board/{story.circle.pk}/check-in/",
        f"/shifts/board/{story.circle.pk}/check-ins/",
        "/shifts/thanks/",
        f"/shifts/mine/{story.anas_breakfast.pk}/swap/",
        "/shifts/off/",
        f"/shifts/off/{story.anas_day_off.pk}/",
        f"/shifts/help/{story.help_request.pk}/",
        *EVERYONE,
    ]
    photos = {
        "/shifts/": "my-shifts.png",
        f"/shifts/board/{story.circle.pk}/shares/": "fair-shares.png",
    }
    walk(phone, live_server, "ana@example.org", paths, photos=photos)


def test_a_family_members_pages(live_server, phone, story):
    gwen = story.gwen.pk
    paths = [
        "/family/",
        f"/family/{gwen}/with/",
        f"/family/{gwen}/help/",
        f"/family/help/{story.help_request.pk}/",
        "/family/visits/done/",
        "/family/about/",
        f"/family/{gwen}/new-faces/asked/",
        *EVERYONE,
    ]
    walk(phone, live_server, "sian@example.org", paths, photos={"/family/": "family.png"})


def test_a_clients_pages(live_server, phone, story):
    gwen = story.gwen.pk
    paths = [
        "/family/",
        f"/family/{gwen}/with/",
        "/family/visits/done/",
        "/family/about/",
        f"/family/{gwen}/about/edit/",
        f"/family/{gwen}/new-faces/asked/",
    ]
    walk(phone, live_server, "gwen@example.org", [*paths, *EVERYONE])


def test_a_team_leaders_pages(live_server, phone, story):
    circle = story.circle.pk
    paths = [
        "/leaders/",
        f"/leaders/circles/{circle}/",
        f"/shifts/board/{circle}/shares/",
        f"/leaders/circles/{circle}/carers/{story.ana.pk}/leaving/",
        f"/leaders/clients/{story.gwen.pk}/",
        "/leaders/trail/",
        "/leaders/payroll/",
        *EVERYONE,
    ]
    walk(phone, live_server, "rhian@example.org", paths)


def test_a_coordinators_pages(live_server, phone, story):
    """Nerys gives her authenticator's code after her password, then walks the admin, in
    her language (the admin has no language button: her setting decides). Django's admin is
    not built for a phone, so only its language (and, last, its HTML) is checked; her own
    pages are checked like everyone's."""
    device = TOTPDevice.objects.create(user=story.nerys, name="phone", confirmed=True)
    phone.goto(f"{live_server.url}/sign-in/")
    phone.get_by_label("Email address").fill("nerys@example.org")
    phone.get_by_label("Password").fill("a-long-test-password")
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url("**/sign-in/code/**")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    phone.get_by_label("The code from your authenticator app").fill(f"{code:06d}")
    phone.get_by_role("button", name="Carry on").click()
    phone.wait_for_url(lambda url: "/sign-in/" not in url)
    admin = [
        "/admin/",
        "/admin/rota/shift/",
        f"/admin/rota/shift/{story.anas_breakfast.shift.pk}/change/",
        "/admin/people/person/",
        "/admin/people/person/add/",
        f"/admin/people/client/{story.gwen.pk}/change/",
        "/admin/rota/absence/",
        f"/admin/circles/circle/hours/?circle={story.circle.pk}",
    ]
    for language in ("en", "cy"):
        story.nerys.language = language
        story.nerys.save(update_fields=["language"])
        for path in admin:
            assert phone.goto(f"{live_server.url}{path}").ok, path
            expect(phone.locator("html")).to_have_attribute("lang", language)
        for path in EVERYONE:
            check(phone, f"{live_server.url}{path}", language)

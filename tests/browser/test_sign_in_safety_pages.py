"""The pages that keep sign-in safe, on a phone, in English and Welsh: the wait after too
many wrong passwords, a staff member's authenticator set-up and code, and changing one's
password. Each is accessible (axe, WCAG 2.2 AA) and fits the phone."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import assert_accessible, assert_fits_the_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def check(page) -> None:
    assert_fits_the_phone(page)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_wait_after_wrong_passwords(live_server, phone, ana, language):
    phone.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    for _ in range(6):
        phone.goto(f"{live_server.url}/sign-in/")
        phone.locator("#id_username").fill("ana@example.org")
        phone.locator("#id_password").fill("not her password")
        phone.locator("#id_password").press("Enter")
        phone.wait_for_load_state()
    heading = {"en": "Please wait before trying again", "cy": "Arhoswch cyn rhoi cynnig arall"}
    assert heading[language] in phone.locator("h1").inner_text()
    check(phone)


def test_a_coordinator_sets_up_her_authenticator_on_her_phone(live_server, phone, nerys):
    phone.goto(f"{live_server.url}/sign-in/")
    phone.get_by_label("Email address").fill("nerys@example.org")
    phone.get_by_label("Password").fill("a-long-test-password")
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(re.compile(r"/sign-in/authenticator/"))
    check(phone)
    secret = phone.locator("code.secret").inner_text().replace(" ", "")
    phone.get_by_label("The code from your authenticator app").fill("000000")
    phone.get_by_role("button", name="Carry on").click()
    assert phone.get_by_role("alert").is_visible()
    check(phone)
    phone.wait_for_timeout(2100)  # a wrong code makes the next try wait a second or two
    code = f"{TOTP(b32decode(secret)).token():06d}"
    phone.get_by_label("The code from your authenticator app").fill(code)
    phone.get_by_role("button", name="Carry on").click()
    phone.wait_for_url(lambda url: "/sign-in/" not in url)


def test_a_carer_changes_her_password_on_her_phone(live_server, phone, ana):
    sign_in(phone, live_server, "ana@example.org")
    phone.goto(f"{live_server.url}/me/")
    phone.get_by_role("link", name="Change my password").click()
    check(phone)
    phone.get_by_label("My password now").fill("a-long-test-password")
    phone.get_by_label("New password", exact=True).fill("short")
    phone.get_by_label("New password again").fill("short")
    phone.get_by_role("button", name="Change my password").click()
    assert "at least 12 characters" in phone.get_by_role("alert").first.inner_text()
    check(phone)
    phone.get_by_label("My password now").fill("a-long-test-password")
    phone.get_by_label("New password", exact=True).fill("three plum trees by the river")
    phone.get_by_label("New password again").fill("three plum trees by the river")
    phone.get_by_role("button", name="Change my password").click()
    assert phone.get_by_text("Your password is changed.").is_visible()

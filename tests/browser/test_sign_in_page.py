"""The sign-in pages on a phone: accessible, in English and Welsh, with and without JS."""

import pytest

from tests.browser.conftest import assert_accessible, assert_fits_the_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_sign_in_pages_are_accessible_and_fit_a_phone(live_server, phone):
    for path in ("/sign-in/", "/sign-in/link/"):
        phone.goto(f"{live_server.url}{path}")
        assert_fits_the_phone(phone)
        assert_accessible(phone)


def test_a_person_signs_in_on_their_phone_and_lands_on_their_settings(live_server, phone, ana):
    sign_in(phone, live_server, "ana@example.org")
    phone.goto(f"{live_server.url}/me/")
    assert phone.get_by_role("heading", name="My settings").is_visible()
    assert_accessible(phone)


def test_the_language_switch_works_without_javascript(live_server, phone_without_js):
    phone_without_js.goto(f"{live_server.url}/sign-in/")
    phone_without_js.get_by_role("button", name="Cymraeg").click()
    assert phone_without_js.locator("html").get_attribute("lang") == "cy"

"""Staff (coordinators and superusers) sign in with a password and a code from an
authenticator app; sign-in links are for carers, families and clients only.

These tests use django.test.Client itself: the suite's `client` gives force-logged-in
staff their second factor already (tests/conftest.py)."""

import re
from base64 import b32decode
from datetime import timedelta

import django.test
import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from sesame.utils import get_query_string

from config.celery import app

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def browser() -> django.test.Client:
    return django.test.Client()


def code_for(key_hex: str) -> str:
    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def test_a_coordinator_with_only_a_password_cannot_open_the_admin(browser, nerys):
    browser.post("/sign-in/", {"username": "nerys@example.org", "password": PASSWORD})
    admin = browser.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"] == "/sign-in/code/?next=%2Fadmin%2F"
    # Nor any other page: the leaders' dashboard, the settings page.
    assert browser.get("/me/")["Location"].startswith("/sign-in/code/")
    # With no authenticator yet, she is asked to set one up.
    assert browser.get(admin["Location"])["Location"] == "/sign-in/authenticator/?next=%2Fadmin%2F"


def test_the_admin_sign_in_form_asks_for_the_code_too(browser, nerys):
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "nerys@example.org", "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith("/sign-in/authenticator/")
    assert browser.get("/admin/").status_code == 302


def test_a_coordinator_sets_up_her_authenticator_and_opens_the_admin(browser, nerys):
    browser.post("/sign-in/", {"username": "nerys@example.org", "password": PASSWORD})
    page = browser.get("/sign-in/authenticator/?next=/admin/")
    assert "Set up your authenticator app" in page.text
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    assert "otpauth://totp/Care%20Circles%3Anerys%40example.org?secret=" in page.text
    key = b32decode(secret.replace(" ", "")).hex()

    wrong = browser.post("/sign-in/authenticator/", {"code": "000000", "next": "/admin/"})
    assert "That code is not right" in wrong.text
    assert browser.get("/admin/").status_code == 302

    # Each wrong code makes the next try wait longer (1 s, 2 s, 4 s ...).
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        done = browser.post("/sign-in/authenticator/", {"code": code_for(key), "next": "/admin/"})
    assert done["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=nerys).confirmed


def test_a_coordinator_gives_the_code_from_her_authenticator(browser, nerys):
    device = TOTPDevice.objects.create(user=nerys, name="phone", confirmed=True)
    browser.post("/sign-in/", {"username": "nerys@example.org", "password": PASSWORD})
    # Her authenticator is set up: that page cannot be used to add another.
    assert browser.get("/sign-in/authenticator/")["Location"].startswith("/sign-in/code/")
    assert "Your code" in browser.get("/sign-in/code/?next=/admin/").text
    wrong = browser.post("/sign-in/code/", {"code": "12345x", "next": "/admin/"})
    assert "six digits" in wrong.text
    right = browser.post("/sign-in/code/", {"code": code_for(device.key), "next": "/admin/"})
    assert right["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200


def test_a_code_works_once(browser, nerys):
    device = TOTPDevice.objects.create(user=nerys, name="phone", confirmed=True)
    code = code_for(device.key)
    browser.post("/sign-in/", {"username": "nerys@example.org", "password": PASSWORD})
    assert browser.post("/sign-in/code/", {"code": code})["Location"] == "/"
    other = django.test.Client()
    other.post("/sign-in/", {"username": "nerys@example.org", "password": PASSWORD})
    again = other.post("/sign-in/code/", {"code": code})
    assert "That code is not right, or was used already" in again.text


def test_a_carer_is_not_asked_for_a_code(browser, ana):
    browser.post("/sign-in/", {"username": "ana@example.org", "password": PASSWORD})
    assert browser.get("/me/").status_code == 200
    assert browser.get("/sign-in/code/")["Location"] == "/"


def test_a_staff_address_gets_the_same_answer_and_no_link(
    browser, nerys, django_capture_on_commit_callbacks
):
    was, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post("/sign-in/link/", {"email": "nerys@example.org"})
    finally:
        app.conf.task_always_eager = was
    assert "Check your email" in response.text
    assert mail.outbox == []


def test_a_link_made_before_someone_became_staff_does_not_sign_them_in(browser, ana):
    token = re.search(r"sesame=([^&]+)", get_query_string(ana)).group(1)
    ana.is_staff = True
    ana.save(update_fields=["is_staff"])
    response = browser.post("/sign-in/link/go/", {"sesame": token}, follow=True)
    assert "expired or was already used" in response.text
    assert browser.get("/admin/").status_code == 302
    assert "_auth_user_id" not in browser.session


def test_a_staff_member_without_the_code_asking_for_no_such_page_is_asked_for_it(browser, nerys):
    browser.post("/sign-in/", {"username": "nerys@example.org", "password": PASSWORD})
    response = browser.get("/no-such-page/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/code/")

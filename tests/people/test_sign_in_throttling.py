"""Guessing and flooding at the sign-in forms are slowed: wrong passwords lock an account
out from one address for a while (django-axes, per account and address together), and
sign-in link emails are limited per address per hour. The link email goes from a worker
after the page has answered, whatever the address."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

RIGHT = "a-long-test-password"
OFFICE = "203.0.113.7"  # a care office: everyone there shares this address


def sign_in(client, email, password, *, path="/sign-in/", address=OFFICE):
    return client.post(path, {"username": email, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return client.get("/me/", REMOTE_ADDR=OFFICE).status_code == 200


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, ana):
    for _ in range(50):
        sign_in(client, "ana@example.org", "guess")
    response = sign_in(client, "ana@example.org", RIGHT)
    assert response.status_code == 429
    assert "Please wait 15 minutes, then try again." in response.text
    assert not signed_in(client)


def test_the_account_is_locked_however_its_address_is_typed(client, ana):
    for _ in range(5):
        sign_in(client, "Ana@Example.org ", "guess")
    assert sign_in(client, "ana@example.org", RIGHT).status_code == 429


def test_fifty_wrong_passwords_at_the_admin_then_the_right_one_is_refused(client, nerys):
    for _ in range(50):
        sign_in(client, "nerys@example.org", "guess", path="/admin/login/")
    response = sign_in(client, "nerys@example.org", RIGHT, path="/admin/login/")
    assert response.status_code == 429
    assert "Please wait 15 minutes" in response.text
    assert client.get("/admin/").status_code == 302


def test_another_account_from_the_same_address_is_not_locked(client, ana, ben):
    for _ in range(50):
        sign_in(client, "ana@example.org", "guess")
    response = sign_in(client, "ben@example.org", RIGHT)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_same_account_from_another_address_is_not_locked(client, ana):
    for _ in range(50):
        sign_in(client, "ana@example.org", "guess", address="198.51.100.9")
    assert sign_in(client, "ana@example.org", RIGHT).status_code == 302


def test_the_lockout_clears_after_the_cool_off(client, ana):
    for _ in range(5):
        sign_in(client, "ana@example.org", "guess")
    assert sign_in(client, "ana@example.org", RIGHT).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, "ana@example.org", RIGHT).status_code == 302
        assert signed_in(client)


def test_a_wrong_try_during_the_lockout_starts_the_wait_again(client, ana):
    for _ in range(5):
        sign_in(client, "ana@example.org", "guess")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        sign_in(client, "ana@example.org", "guess")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, "ana@example.org", RIGHT).status_code == 429


def test_the_lockout_page_speaks_welsh(client, ana):
    client.cookies["django_language"] = "cy"
    for _ in range(5):
        sign_in(client, "ana@example.org", "guess")
    response = sign_in(client, "ana@example.org", RIGHT)
    assert response.status_code == 429
    assert 'lang="cy"' in response.text
    assert "Arhoswch 15 munud" in response.text


def test_link_emails_to_one_address_stop_after_five_in_an_hour(
    client, eager, django_capture_on_commit_callbacks
):
    PersonFactory(email="sian@example.org")
    for _ in range(22):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/sign-in/link/", {"email": "sian@example.org"})
        assert "Check your email" in response.text
    assert len(mail.outbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign-in/link/", {"email": "ana@example.org"})
    PersonFactory(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign-in/link/", {"email": "ana@example.org"})
    assert mail.outbox[-1].to == ["ana@example.org"]


def test_link_emails_from_one_network_address_stop_after_thirty_in_an_hour(
    client, eager, django_capture_on_commit_callbacks
):
    for n in range(30):
        client.post("/sign-in/link/", {"email": f"nobody{n}@example.org"}, REMOTE_ADDR=OFFICE)
    PersonFactory(email="sian@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign-in/link/", {"email": "sian@example.org"}, REMOTE_ADDR=OFFICE)
    assert "Check your email" in response.text
    assert mail.outbox == []


def test_the_link_email_is_left_to_a_worker_after_the_answer(
    client, eager, django_capture_on_commit_callbacks
):
    PersonFactory(email="sian@example.org")
    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post("/sign-in/link/", {"email": "sian@example.org"})
        assert "Check your email" in response.text
        assert mail.outbox == []  # nothing sent while the page answered
    assert len(after_commit) == 1
    after_commit[0]()
    assert mail.outbox[0].to == ["sian@example.org"]


def test_a_known_and_an_unknown_address_cost_the_page_the_same_work(
    client, django_capture_on_commit_callbacks
):
    PersonFactory(email="sian@example.org")
    work = {}
    for email in ("sian@example.org", "nobody@example.org"):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as after_commit,
        ):
            page = client.post("/sign-in/link/", {"email": email})
        work[email] = (len(queries), len(after_commit), page.status_code)
    assert work["sian@example.org"] == work["nobody@example.org"] == (0, 1, 200)


def test_behind_our_proxy_each_caller_is_counted_by_their_own_address(client, ana, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(50):
        client.post(
            "/sign-in/",
            {"username": "ana@example.org", "password": "guess"},
            REMOTE_ADDR=proxy,
            # What a caller writes themselves (the left part) is not believed.
            HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.9",
        )
    locked = client.post(
        "/sign-in/",
        {"username": "ana@example.org", "password": RIGHT},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.9",
    )
    assert locked.status_code == 429
    office = client.post(
        "/sign-in/",
        {"username": "ana@example.org", "password": RIGHT},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )
    assert office.status_code == 302


def test_a_carer_locked_out_by_wrong_passwords_can_still_sign_in_by_link(client, ana):
    from sesame.utils import get_query_string

    for _ in range(5):
        sign_in(client, "ana@example.org", "guess")
    locked = sign_in(client, "ana@example.org", RIGHT)
    assert 'href="/sign-in/link/"' in locked.text
    token = get_query_string(ana).split("sesame=", 1)[1]
    client.post("/sign-in/link/go/", {"sesame": token}, REMOTE_ADDR=OFFICE)
    assert signed_in(client)


def test_expired_links_pressed_at_a_care_office_lock_nobody_out(client, ana):
    from sesame.utils import get_query_string

    for _ in range(20):
        client.post("/sign-in/link/go/", {"sesame": "expired-or-made-up"}, REMOTE_ADDR=OFFICE)
    token = get_query_string(ana).split("sesame=", 1)[1]
    client.post("/sign-in/link/go/", {"sesame": token}, REMOTE_ADDR=OFFICE)
    assert signed_in(client)

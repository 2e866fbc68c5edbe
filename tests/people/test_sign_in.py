"""Signing in with a password, or with a one-time link for people who keep none.

The link email goes from a worker after the page has answered: these tests run the
after-commit step and the task in-process (`ask_for_link`)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from config.celery import app
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask_for_link(client, django_capture_on_commit_callbacks):
    """Post the link form as a browser would, then let the worker do what was left to it."""
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True

    def ask(data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/sign-in/link/", data, **kwargs)

    yield ask
    app.conf.task_always_eager = was


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/sign-in/link/go/\?sesame=\S+)", message.body).group(1)


def token_in(link: str) -> str:
    return re.search(r"sesame=([^&]+)", link).group(1)


def test_a_person_signs_in_with_their_password(client, ana):
    response = client.post(
        "/sign-in/", {"username": "ana@example.org", "password": "a-long-test-password"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/me/").status_code == 200


def test_a_wrong_password_says_so_and_signs_nobody_in(client, ana):
    response = client.post("/sign-in/", {"username": "ana@example.org", "password": "nope"})
    assert "correct email" in response.content.decode()
    assert client.get("/me/").status_code == 302


def test_a_sign_in_link_is_emailed_and_works_once_after_pressing_the_button(client, ask_for_link):
    PersonFactory(email="sian@example.org", full_name="Siân Morgan")
    response = ask_for_link({"email": "Sian@Example.org"})
    assert "Check your email" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["sian@example.org"] and "Hello Siân" in message.body
    link = link_in(message)

    # Opening the link (as a mail scanner would) signs nobody in and spends nothing.
    page = client.get(link)
    assert "Sign me in" in page.content.decode()
    assert client.get("/me/").status_code == 302

    token = token_in(link)
    assert client.post("/sign-in/link/go/", {"sesame": token}).status_code == 302
    assert client.get("/me/").status_code == 200

    client.post("/sign-out/")
    again = client.post("/sign-in/link/go/", {"sesame": token}, follow=True)
    assert "expired or was already used" in again.content.decode()
    assert client.get("/me/").status_code == 302


def test_a_sign_in_link_expires_after_ten_minutes(client, ask_for_link):
    PersonFactory(email="sian@example.org")
    ask_for_link({"email": "sian@example.org"})
    token = token_in(link_in(mail.outbox[0]))
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post("/sign-in/link/go/", {"sesame": token}, follow=True)
    assert "expired or was already used" in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, ask_for_link):
    response = ask_for_link({"email": "nobody@example.org"})
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_malformed_address_is_told_plainly(client, ask_for_link):
    response = ask_for_link({"email": "not an address"})
    assert "valid email address" in response.content.decode()
    assert mail.outbox == []


def test_a_sign_in_link_leads_on_to_the_page_the_person_was_going_to(client, ask_for_link):
    PersonFactory(email="sian@example.org")
    going_to = "/family/help/7/"
    page = client.get(f"/sign-in/?next={going_to}")
    assert f'href="/sign-in/link/?next={going_to}"' in page.text
    ask_for_link({"email": "sian@example.org", "next": going_to})
    link = link_in(mail.outbox[0])
    assert "next=%2Ffamily%2Fhelp%2F7%2F" in link

    confirm = client.get(link)
    assert f'name="next" value="{going_to}"' in confirm.text
    token = token_in(link)
    signed_in = client.post("/sign-in/link/go/", {"sesame": token, "next": going_to})
    assert signed_in["Location"] == going_to


@pytest.mark.parametrize("elsewhere", ["https://example.com/", "//example.com/", "null", ""])
def test_a_sign_in_link_never_leads_off_the_site(client, elsewhere, ask_for_link):
    PersonFactory(email="sian@example.org")
    ask_for_link({"email": "sian@example.org", "next": elsewhere})
    link = link_in(mail.outbox[0])
    assert link.endswith("&next=%2F")
    token = token_in(link)
    signed_in = client.post("/sign-in/link/go/", {"sesame": token, "next": elsewhere})
    assert signed_in["Location"] == "/"

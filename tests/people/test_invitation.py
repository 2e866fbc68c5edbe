"""A new person sets up their sign-in from the invitation emailed to them: they choose a
password by the site's rules and are signed in. The link works once, for seven days; a
link that has run out, was used, or never was gets a plain page saying what to do.

The invitation is sent here by the task itself (`invite`), as the worker would after the
coordinator saves the person (tests/admin/test_coordinator_invites_people.py)."""

import re
from datetime import timedelta

import django.test
import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from people.invitations import accept
from people.models import Person
from people.tasks import send_invitation
from tests.factories import PersonFactory
from tests.rota.test_concurrency import race

pytestmark = pytest.mark.django_db

CHOSEN = "kettle-on-at-four"
RUN_OUT = "has run out, or was used already"


@pytest.fixture
def browser() -> django.test.Client:
    """Django's own client: signing in here is the behaviour under test."""
    return django.test.Client()


def invite(person: Person) -> str:
    """Email the person their invitation, as the worker does; the link's path."""
    person.set_unusable_password()
    person.save(update_fields=["password"])
    assert send_invitation(person.pk) is True
    return link_in(mail.outbox[-1].body)


def link_in(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/welcome/[^/\s]+/[^/\s]+/)", body).group(1)


@pytest.fixture
def nia(valleys) -> Person:
    return PersonFactory(email="nia@example.org", full_name="Nia Jones", organisation=valleys)


def choose(browser, link: str, password: str = CHOSEN, again: str | None = None, **extra):
    return browser.post(
        link, {"new_password1": password, "new_password2": again or password}, **extra
    )


def test_the_link_asks_for_a_password_and_signs_the_person_in(browser, nia):
    link = invite(nia)

    # Opening the link (as a mail scanner would) signs nobody in and spends nothing.
    page = browser.get(link)
    assert "Set up your sign-in" in page.text and "nia@example.org" in page.text
    assert browser.get(link).status_code == 200
    assert browser.get("/me/").status_code == 302

    signed_in = choose(browser, link)

    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert browser.get("/me/").status_code == 200
    nia.refresh_from_db()
    assert nia.check_password(CHOSEN)
    # And the password works on the sign-in page from now on.
    browser.post("/sign-out/")
    browser.post("/sign-in/", {"username": "nia@example.org", "password": CHOSEN})
    assert browser.get("/me/").status_code == 200


def test_a_used_link_is_refused_and_says_what_to_do(browser, nia):
    link = invite(nia)
    choose(browser, link)
    browser.post("/sign-out/")

    again = browser.get(link)
    assert again.status_code == 410
    assert RUN_OUT in again.text and "ask your coordinator" in again.text
    assert 'href="/sign-in/"' in again.text

    second = choose(browser, link, "someone-elses-choice")
    assert second.status_code == 410
    nia.refresh_from_db()
    assert nia.check_password(CHOSEN)
    assert browser.get("/me/").status_code == 302


def test_a_link_works_for_seven_days_and_not_after(browser, nia):
    link = invite(nia)
    sent = timezone.now()

    with time_machine.travel(sent + timedelta(days=7, minutes=1)):
        late = browser.get(link)
        assert late.status_code == 410 and RUN_OUT in late.text
        assert choose(browser, link).status_code == 410
    nia.refresh_from_db()
    assert not nia.has_usable_password()

    with time_machine.travel(sent + timedelta(days=6, hours=23)):
        assert choose(browser, link)["Location"] == "/"
    nia.refresh_from_db()
    assert nia.check_password(CHOSEN)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda uid, token: (uid, token[:-1] + ("a" if token[-1] != "a" else "b")),
        lambda uid, token: (uid, "1-0"),
        lambda uid, token: (uid, "not-a-token-at-all"),
        lambda uid, token: ("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", token),  # no such person
        lambda uid, token: ("!!", token),
    ],
)
def test_a_wrong_link_is_refused_and_changes_nothing(browser, nia, spoil):
    _welcome, uid, token = invite(nia).strip("/").split("/")
    wrong_uid, wrong_token = spoil(uid, token)
    link = f"/welcome/{wrong_uid}/{wrong_token}/"

    assert browser.get(link).status_code == 410
    refused = choose(browser, link)

    assert refused.status_code == 410 and RUN_OUT in refused.text
    nia.refresh_from_db()
    assert not nia.has_usable_password()


def test_a_link_with_nul_characters_is_refused_before_any_page_and_changes_nothing(browser, nia):
    _welcome, _uid, token = invite(nia).strip("/").split("/")
    link = f"/welcome/%00%00/{token}/"

    assert browser.get(link).status_code == 400
    assert choose(browser, link).status_code == 400
    nia.refresh_from_db()
    assert not nia.has_usable_password()


def test_another_persons_link_does_not_open_with_this_persons_token(browser, nia, ana):
    _welcome, _uid, token = invite(nia).strip("/").split("/")
    _welcome, anas_uid, _token = invite(ana).strip("/").split("/")

    assert choose(browser, f"/welcome/{anas_uid}/{token}/").status_code == 410
    ana.refresh_from_db()
    assert not ana.has_usable_password()


def test_a_password_against_the_rules_is_explained_and_the_link_still_works(browser, nia):
    link = invite(nia)

    short = choose(browser, link, "short")
    assert short.status_code == 200
    assert "too short" in short.text and 'aria-invalid="true"' in short.text
    different = choose(browser, link, CHOSEN, "kettle-on-at-five")
    assert "didn’t match" in different.text
    nia.refresh_from_db()
    assert not nia.has_usable_password()

    assert choose(browser, link)["Location"] == "/"


def test_a_person_made_inactive_cannot_use_their_link(browser, nia):
    link = invite(nia)
    nia.is_active = False
    nia.save(update_fields=["is_active"])

    assert choose(browser, link).status_code == 410
    nia.refresh_from_db()
    assert not nia.has_usable_password()


def test_staff_go_on_to_add_their_authenticator_app(browser, nerys):
    link = invite(nerys)
    page = browser.get(link)
    assert "authenticator app" in page.text

    signed_in = choose(browser, link, follow=True)

    assert signed_in.redirect_chain[-1][0] == "/sign-in/authenticator/?next=%2F"
    assert "Set up your authenticator app" in signed_in.text
    # The password alone opens nothing else.
    assert browser.get("/admin/")["Location"].startswith("/sign-in/code/")


def test_a_welsh_speaker_sees_the_page_in_welsh_until_they_switch(browser, nia):
    nia.language = "cy"
    nia.save(update_fields=["language"])
    link = invite(nia)

    page = browser.get(link)
    assert '<html lang="cy"' in page.text and "Gosodwch eich mewngofnodi" in page.text

    browser.post("/language/", {"language": "en", "next": link})
    assert "Set up your sign-in" in browser.get(link).text


def test_too_many_wrong_links_from_one_address_wait_an_hour(browser, nia, settings):
    settings.BAD_INVITATION_LINKS_PER_IP = 3
    link = invite(nia)
    for guess in range(3):
        browser.get(f"/welcome/{link.split('/')[2]}/{guess}-guessed/")

    # Even the good link waits, from there; from elsewhere it works.
    held = choose(browser, link)
    assert held.status_code == 429 and "Please wait an hour" in held.text
    nia.refresh_from_db()
    assert not nia.has_usable_password()
    assert choose(browser, link, REMOTE_ADDR="192.0.2.8")["Location"] == "/"


@pytest.mark.django_db(transaction=True)
def test_two_presses_of_one_link_at_the_same_moment_set_one_password(nia):
    _welcome, uid, token = invite(nia).strip("/").split("/")

    results = race(2, lambda i: accept(uid, token, f"{CHOSEN}-{i}"))

    [winner] = [i for i, person in enumerate(results) if isinstance(person, Person)]
    assert results[1 - winner] is None
    nia.refresh_from_db()
    assert nia.check_password(f"{CHOSEN}-{winner}")

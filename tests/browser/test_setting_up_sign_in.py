"""Setting up one's sign-in from an invitation, on a phone (390×844), in English and Welsh:
Nia opens the link from her email, is told plainly when her password breaks a rule, chooses
one and is signed in; a coordinator goes on to add her authenticator app; a link used once
already says what to do. Every page is accessible (axe, WCAG 2.2 AA) and fits the phone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from people.models import Person
from people.tasks import send_invitation
from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHOSEN = "kettle-on-at-four"
WORDS = {
    "en": {
        "heading": "Set up your sign-in",
        "password": "Your new password",
        "again": "Your new password again",
        "save": "Save my password and sign in",
        "too short": "too short",
        "done": "Your password is set, and you are signed in.",
        "run out": "This link no longer works",
    },
    "cy": {
        "heading": "Gosodwch eich mewngofnodi",
        "password": "Eich cyfrinair newydd",
        "again": "Eich cyfrinair newydd eto",
        "save": "Cadw fy nghyfrinair a mewngofnodi",
        "too short": "12",
        "done": "Mae eich cyfrinair wedi'i osod, ac rydych chi wedi mewngofnodi.",
        "run out": "Dydy'r ddolen hon ddim yn gweithio mwyach",
    },
}


def invitation_for(person: Person, live_server) -> str:
    """The link in the invitation emailed to the person, on the live server."""
    person.set_unusable_password()
    person.save(update_fields=["password"])
    send_invitation(person.pk)
    path = re.search(r"https?://[^/\s]+(/welcome/\S+/)", mail.outbox[-1].body).group(1)
    return f"{live_server.url}{path}"


def check(page) -> None:
    assert_fits_the_phone(page)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_nia_sets_up_her_sign_in_on_her_phone(live_server, phone, valleys, language):
    words = WORDS[language]
    nia = PersonFactory(email="nia@example.org", full_name="Nia Jones", language=language)
    link = invitation_for(nia, live_server)

    # Straight from her email, in her own language.
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("lang", language)
    expect(phone.get_by_role("heading", name=words["heading"])).to_be_visible()
    check(phone)

    phone.get_by_label(words["password"], exact=True).fill("short")
    phone.get_by_label(words["again"]).fill("short")
    phone.get_by_role("button", name=words["save"]).click()
    expect(phone.get_by_role("alert").first).to_contain_text(words["too short"])
    check(phone)

    phone.get_by_label(words["password"], exact=True).fill(CHOSEN)
    phone.get_by_label(words["again"]).fill(CHOSEN)
    phone.get_by_role("button", name=words["save"]).click()
    phone.wait_for_url(lambda url: "/welcome/" not in url)
    expect(phone.get_by_text(words["done"])).to_be_visible()
    check(phone)
    nia.refresh_from_db()
    assert nia.check_password(CHOSEN)

    # The link is spent: opened again, it says so and what to do.
    phone.goto(link)
    expect(phone.get_by_role("heading", name=words["run out"])).to_be_visible()
    check(phone)


def test_a_coordinator_goes_on_to_add_her_authenticator(live_server, phone, valleys):
    nerys_too = PersonFactory(
        email="nerys.too@example.org", full_name="Nerys Two", organisation=valleys, is_staff=True
    )
    phone.goto(invitation_for(nerys_too, live_server))
    expect(phone.get_by_text("Next you will add an authenticator app")).to_be_visible()

    phone.get_by_label("Your new password", exact=True).fill(CHOSEN)
    phone.get_by_label("Your new password again").fill(CHOSEN)
    phone.get_by_role("button", name="Save my password and sign in").click()

    phone.wait_for_url(re.compile(r"/sign-in/authenticator/"))
    expect(phone.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()

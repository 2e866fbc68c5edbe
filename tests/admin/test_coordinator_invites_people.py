"""The coordinator adds a person without inventing a password for them: saving emails them an
invitation, in their language, to choose their own (tests/people/test_invitation.py follows
the link). Their page in the admin says whether they have set up their sign-in, and "Send a
new invitation" sends another, which spends the earlier one."""

import re

import django.test
import pytest
from django.core import mail
from django.urls import reverse

from people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CHOSEN = "kettle-on-at-four"


@pytest.fixture
def add(coordinator_client, eager, django_capture_on_commit_callbacks):
    """Save the add form as the coordinator does, then let the worker send what it was left."""

    def post(**fields):
        data = {"email": "nia@example.org", "full_name": "Nia Jones", "language": "en", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return coordinator_client.post(reverse("admin:people_person_add"), data, follow=True)

    return post


@pytest.fixture
def invite_again(coordinator_client, eager, django_capture_on_commit_callbacks):
    def post(*people):
        data = {"action": "send_new_invitation", "_selected_action": [p.pk for p in people]}
        with django_capture_on_commit_callbacks(execute=True):
            return coordinator_client.post(
                reverse("admin:people_person_changelist"), data, follow=True
            )

    return post


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/welcome/[^/\s]+/[^/\s]+/)", message.body).group(1)


def choose(link: str) -> django.test.Client:
    """Nia, on her own phone, sets her password from the link."""
    phone = django.test.Client()
    phone.post(link, {"new_password1": CHOSEN, "new_password2": CHOSEN})
    return phone


def test_the_add_page_asks_for_no_password(coordinator_client):
    page = coordinator_client.get(reverse("admin:people_person_add"))

    assert 'name="email"' in page.text and 'name="language"' in page.text
    assert 'name="password1"' not in page.text and 'type="password"' not in page.text
    assert "Saving emails them an invitation" in page.text


def test_adding_a_person_emails_them_one_invitation_that_works(add, valleys):
    page = add(email="Nia.Jones@Example.org")

    nia = Person.objects.get(full_name="Nia Jones")
    assert nia.organisation == valleys and not nia.has_usable_password()
    assert "An invitation to set up their sign-in is on its way to nia.jones@example.org" in (
        page.text
    )
    [message] = mail.outbox
    assert message.to == ["nia.jones@example.org"]
    assert message.subject == "Set up your sign-in to Care Circles"
    assert "Hello Nia," in message.body and "Valleys Care has added you" in message.body
    assert "for 7 days" in message.body

    phone = choose(link_in(message))

    nia.refresh_from_db()
    assert nia.check_password(CHOSEN)
    assert phone.get("/me/").status_code == 200


def test_a_welsh_speaker_is_invited_in_welsh(add):
    add(language="cy")

    [message] = mail.outbox
    assert message.subject == "Gosodwch eich mewngofnodi i Care Circles"
    assert "Helo Nia," in message.body and "am 7 diwrnod" in message.body
    assert "Set up" not in message.body


def test_nothing_is_sent_when_the_person_is_not_saved(add, valleys):
    PersonFactory(email="nia@example.org", organisation=valleys)

    page = add(email="NIA@example.org")

    assert "Someone already signs in with this email address." in page.text
    assert mail.outbox == []


def test_the_persons_page_says_whether_they_have_set_up_their_sign_in(add, coordinator_client):
    add()
    nia = Person.objects.get(email="nia@example.org")
    page_of_nia = reverse("admin:people_person_change", args=[nia.pk])
    assert "Not set up yet: they have not used their invitation." in (
        coordinator_client.get(page_of_nia).text
    )

    choose(link_in(mail.outbox[0]))

    assert "Set up: they sign in with their password." in coordinator_client.get(page_of_nia).text


def test_a_coordinator_invited_without_an_authenticator_yet_is_shown_so(admin_client, valleys):
    nerys_too = PersonFactory(email="nerys2@example.org", organisation=valleys, is_staff=True)

    page = admin_client.get(reverse("admin:people_person_change", args=[nerys_too.pk]))

    assert "Password chosen; no authenticator app yet." in page.text


def test_a_new_invitation_spends_the_earlier_one(add, invite_again):
    add()
    nia = Person.objects.get(email="nia@example.org")
    first = link_in(mail.outbox[0])

    page = invite_again(nia)

    assert "A new invitation is on its way to 1 person." in page.text
    second = link_in(mail.outbox[1])
    assert second != first and mail.outbox[1].to == ["nia@example.org"]
    assert django.test.Client().get(first).status_code == 410
    choose(second)
    nia.refresh_from_db()
    assert nia.check_password(CHOSEN)


def test_no_new_invitation_for_someone_with_a_password_or_inactive(invite_again, ana, ben, valleys):
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    new = PersonFactory(email="nia@example.org", full_name="Nia Jones", organisation=valleys)
    new.set_unusable_password()
    new.save(update_fields=["password"])

    page = invite_again(ana, ben, new)

    assert [m.to for m in mail.outbox] == [["nia@example.org"]]
    assert "A new invitation is on its way to 1 person." in page.text
    assert "No invitation sent to Ana Price, Ben Jones:" in page.text
    ana.refresh_from_db()
    assert ana.check_password("a-long-test-password")


def test_the_list_of_people_shows_who_has_chosen_a_password(add, coordinator_client, ana):
    add()

    page = coordinator_client.get(reverse("admin:people_person_changelist"))

    chosen = dict(
        re.findall(
            r'<a href="[^"]*">([^<]+)</a>.*?field-has_set_up"><img [^>]*alt="(\w+)"', page.text
        )
    )
    assert chosen["Nia Jones"] == "False" and chosen["Ana Price"] == "True"

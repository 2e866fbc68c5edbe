"""A signed-in session ends 12 hours after signing in, or after 2 hours without a page;
"keep me signed in on this phone" makes a carer's last 30 days, never a staff member's.
Passwords are at least 12 characters and not common ones, and everyone signed in can
change theirs from their settings."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def sign_in(client, email="ana@example.org", **extra):
    response = client.post("/sign-in/", {"username": email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response


def still_signed_in(client) -> bool:
    return client.get("/me/").status_code == 200


def test_a_session_ends_after_two_hours_without_a_page(client, ana):
    start = timezone.now()
    sign_in(client)
    with time_machine.travel(start + timedelta(hours=1, minutes=59)):
        assert still_signed_in(client)
    with time_machine.travel(start + timedelta(hours=4)):
        response = client.get("/me/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/me/"
    assert not still_signed_in(client)


def test_a_session_in_use_still_ends_twelve_hours_after_signing_in(client, ana):
    start = timezone.now()
    sign_in(client)
    for hour in range(1, 12):
        with time_machine.travel(start + timedelta(hours=hour)):
            assert still_signed_in(client)
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert not still_signed_in(client)


def test_the_session_cookie_lasts_at_most_twelve_hours(client, ana):
    sign_in(client)
    assert client.cookies["sessionid"]["max-age"] == 12 * 60 * 60


def test_keep_me_signed_in_on_this_phone_lasts_thirty_days_for_a_carer(client, ana):
    start = timezone.now()
    page = client.get("/sign-in/")
    assert "Keep me signed in on this phone" in page.text
    sign_in(client, keep="on")
    assert client.cookies["sessionid"]["max-age"] == 30 * 24 * 60 * 60
    with time_machine.travel(start + timedelta(days=3)):
        assert still_signed_in(client)
    with time_machine.travel(start + timedelta(days=29)):
        assert still_signed_in(client)
    with time_machine.travel(start + timedelta(days=30, minutes=1)):
        assert not still_signed_in(client)


def test_keep_me_signed_in_does_not_stretch_a_staff_session(client, nerys):
    start = timezone.now()
    sign_in(client, "nerys@example.org", keep="on")
    assert client.cookies["sessionid"]["max-age"] == 12 * 60 * 60
    with time_machine.travel(start + timedelta(hours=3)):
        response = client.get("/me/")
    assert response["Location"] == "/sign-in/?next=/me/"


def test_keep_me_signed_in_from_a_sign_in_link(client):
    from sesame.utils import get_query_string

    sian = PersonFactory(email="sian@example.org")
    token = get_query_string(sian).split("sesame=", 1)[1]
    assert "Keep me signed in on this phone" in client.get(f"/sign-in/link/go/?sesame={token}").text
    start = timezone.now()
    client.post("/sign-in/link/go/", {"sesame": token, "keep": "on"})
    with time_machine.travel(start + timedelta(days=10)):
        assert still_signed_in(client)


# Passwords


def change(client, old, new, again=None):
    return client.post(
        "/me/password/",
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_the_settings_page_leads_to_changing_ones_password(client, ana):
    client.force_login(ana)
    assert 'href="/me/password/"' in client.get("/me/").text
    assert "Change my password" in client.get("/me/password/").text


def test_a_person_changes_their_password_and_signs_in_with_it(client, ana):
    sign_in(client)
    response = change(client, PASSWORD, "three plum trees by the river")
    assert response["Location"] == "/me/"
    assert "Your password is changed." in client.get("/me/").text
    client.post("/sign-out/")
    client.post(
        "/sign-in/", {"username": "ana@example.org", "password": "three plum trees by the river"}
    )
    assert still_signed_in(client)


@pytest.mark.parametrize(
    ("new", "said"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("738219304718", "entirely numeric"),
    ],
)
def test_a_weak_new_password_is_refused(client, ana, new, said):
    sign_in(client)
    response = change(client, PASSWORD, new)
    assert response.status_code == 200 and said in response.text
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)


def test_the_old_password_must_be_right(client, ana):
    sign_in(client)
    response = change(client, "not-my-password", "three plum trees by the river")
    assert "Your old password was entered incorrectly" in response.text


def test_someone_who_only_signs_in_by_link_sets_a_first_password(client):
    sian = PersonFactory(email="sian@example.org", password=None)
    sian.set_unusable_password()
    sian.save()
    client.force_login(sian)
    page = client.get("/me/password/")
    assert 'name="old_password"' not in page.text
    client.post(
        "/me/password/",
        {"new_password1": "three plum trees", "new_password2": "three plum trees"},
    )
    sian.refresh_from_db()
    assert sian.check_password("three plum trees")


def test_changing_ones_password_needs_signing_in(client):
    assert client.get("/me/password/")["Location"] == "/sign-in/?next=/me/password/"

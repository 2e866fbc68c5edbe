"""The admin's records of sign-in (wrong passwords, lockouts) and staff's authenticators are
for superusers only: a coordinator sees neither, since an authenticator's key would let her
give another staff member's codes."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/otp_totp/totpdevice/",
    "/admin/axes/accessattempt/",
    "/admin/axes/accessfailurelog/",
    "/admin/axes/accesslog/",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_coordinator_cannot_open_the_sign_in_records(coordinator_client, page):
    assert coordinator_client.get(page).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_a_superuser_can(admin_client, page):
    assert admin_client.get(page).status_code == 200


def test_the_coordinators_admin_index_does_not_list_them(coordinator_client):
    index = coordinator_client.get("/admin/").text
    assert "/admin/otp_totp/" not in index and "/admin/axes/" not in index

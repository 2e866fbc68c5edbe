"""Kinds of check or training are shared by every organisation: coordinators read them,
only superusers write them."""

import pytest
from django.urls import reverse

from people.models import CredentialType
from tests.factories import CredentialTypeFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_reads_the_kinds_of_check_but_cannot_change_them(coordinator_client):
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")

    listed = coordinator_client.get(reverse("admin:people_credentialtype_changelist"))
    opened = coordinator_client.get(reverse("admin:people_credentialtype_change", args=[dbs.pk]))
    posted = coordinator_client.post(
        reverse("admin:people_credentialtype_change", args=[dbs.pk]),
        {"name": "Renamed", "code": "dbs"},
    )

    assert "DBS check" in listed.text
    assert 'name="_save"' not in opened.text
    assert posted.status_code == 403
    assert CredentialType.objects.get(pk=dbs.pk).name == "DBS check"
    assert coordinator_client.get(reverse("admin:people_credentialtype_add")).status_code == 403


def test_a_superuser_adds_a_kind_of_check(admin_client):
    admin_client.post(
        reverse("admin:people_credentialtype_add"),
        {"name": "Medication administration", "code": "medication"},
    )

    assert CredentialType.objects.filter(code="medication").exists()

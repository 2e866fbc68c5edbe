"""A date typed far in the past or future (year 1, year 9999) gets a plain message on every
form that takes dates, never an error page, and changes nothing."""

import pytest
from django.urls import reverse

from rota.models import Absence, AuditEvent, FamilyVisit

pytestmark = pytest.mark.django_db

FAR = ["9999-12-31", "0001-01-01"]


@pytest.mark.parametrize("day", FAR)
def test_time_off(client, story, day):
    client.force_login(story.ana)
    reply = client.post(
        reverse("carer:off"), {"kind": "holiday", "first_day": day, "last_day": day}
    )
    assert reply.status_code in (200, 400)
    if day.startswith("9999"):
        assert "Choose a date between" in reply.text
    assert not Absence.objects.exists()


@pytest.mark.parametrize("day", FAR)
def test_ill_be_with(client, story, day):
    client.force_login(story.sian)
    reply = client.post(
        reverse("family:with", args=[story.gwen.pk]), {"day": day, "start": "10:00", "end": "12:00"}
    )
    assert reply.status_code in (200, 400)
    assert not FamilyVisit.objects.exists()


@pytest.mark.parametrize("day", FAR)
def test_trail(client, story, day):
    client.force_login(story.rhian)
    for field in ("since", "until"):
        reply = client.get(reverse("leaders:trail"), {field: day})
        assert reply.status_code in (200, 400), field
        assert "Choose a date between" in reply.text, field


@pytest.mark.parametrize("day", FAR)
def test_payroll(client, story, day):
    client.force_login(story.rhian)
    for start, end in ((day, "2026-06-30"), ("2026-06-01", day)):
        reply = client.get(
            reverse("leaders:payroll"), {"start": start, "end": end, "file_format": "csv"}
        )
        assert reply.status_code in (200, 400), (start, end)
    assert not AuditEvent.objects.exists()

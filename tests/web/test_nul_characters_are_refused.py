"""A NUL character, which no one types and PostgreSQL cannot store, is refused in plain
words wherever it comes in (a form, an address, a filter, JSON) and changes nothing."""

import pytest
from django.urls import reverse

from rota.models import AuditEvent, Shift
from tests.stories import at, planned_visit

pytestmark = pytest.mark.django_db

REFUSED = "Part of what was sent can't be stored. Please type it again."


def test_a_cancel_reason_with_a_nul_is_refused_and_the_visit_stays(client, story):
    visit = planned_visit(story.gwen, at(2, 9))
    client.force_login(story.rhian)

    reply = client.post(reverse("leaders:cancel", args=[visit.pk]), {"reason": "ill\x00ness"})

    assert reply.status_code == 400
    assert reply.text == REFUSED
    assert Shift.objects.get(pk=visit.pk).status == "planned"
    assert not AuditEvent.objects.filter(action="cancel_shift").exists()


def test_a_filter_with_a_nul_is_refused(client, story):
    client.force_login(story.rhian)

    reply = client.get(reverse("leaders:trail"), {"carer": "1\x00"})

    assert reply.status_code == 400


def test_an_admin_search_with_a_nul_is_refused(client, story):
    client.force_login(story.nerys)

    reply = client.get(reverse("admin:people_client_changelist"), {"q": "Gw\x00en"})

    assert reply.status_code == 400


@pytest.mark.parametrize("body", ['{"endpoint": "https://fcm.googleapis.com/\\u0000"}', "{\x00}"])
def test_json_with_a_nul_is_refused(client, story, body):
    client.force_login(story.ana)

    reply = client.post("/push/unsubscribe/", body, content_type="application/json")

    assert reply.status_code == 400


def test_ordinary_words_pass(client, story):
    client.force_login(story.rhian)

    assert client.get(reverse("leaders:trail"), {"since": "2026-05-01"}).status_code == 200

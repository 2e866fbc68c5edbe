"""Treforest's page lists each visit nobody has taken, with the carers who could take it
and, folded away, those who can't and why. Rhian steps in: she asks Ana, puts Ana on a
visit, is told in the rules' words when Cat can't take one, and cancels a visit only when
she says why. Every change goes through rota.services, with or without JavaScript."""

import re

import pytest
from django.urls import reverse

from circles.models import Notification, NotificationKind
from rota.models import AuditEvent, ShiftStatus
from tests.factories import CredentialFactory
from tests.stories import MONDAY_MORNING, at, place, planned_visit
from tests.web.pages import HTMX, words

pytestmark = pytest.mark.now(MONDAY_MORNING)


@pytest.fixture
def tablets(story):
    """Gwen's essential tablets on Tuesday need medication training: Ana has it, Cat hasn't."""
    CredentialFactory(person=story.ana, type=story.medication)
    return planned_visit(
        story.gwen, at(5, 8), title="Tablets", essential=True, needs=[story.medication]
    )


def card(page: str, shift) -> str:
    found = re.search(rf'<article[^>]*id="visit-{shift.pk}".*?</article>', page, re.S)
    assert found, f"no card for visit {shift.pk}"
    return found.group(0)


def test_a_visit_nobody_has_lists_who_can_take_it_and_who_cant_and_why(client, story, tablets):
    covered = place(planned_visit(story.tom, at(5, 10)), story.ben).shift
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:circle", args=[story.circle.pk])).content.decode()

    tablets_card = card(page, tablets)
    could, _, cannot = tablets_card.partition('<details class="cannot">')
    assert "Ana Price" in could and "Put Ana on it" in could and "Ask Ana" in could
    assert "Cat Morgan" not in could
    assert "Cat Morgan" in words(cannot)
    assert "This visit needs Medication administration, which you don't have." in words(cannot)
    assert f'id="visit-{covered.pk}"' not in page


def test_putting_a_carer_on_a_visit_goes_through_the_rota(client, story, tablets):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:assign", args=[tablets.pk]), {"carer": story.ana.pk}, follow=True
    )

    assert list(tablets.assignments.values_list("carer", flat=True)) == [story.ana.pk]
    event = AuditEvent.objects.get(action="assign")
    assert event.actor_id == story.rhian.pk and event.carer_ids == [story.ana.pk]
    assert "Ana Price is on it now." in response.content.decode()


def test_with_htmx_the_card_comes_back_covered(client, story, tablets):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:assign", args=[tablets.pk]), {"carer": story.ana.pk}, headers=HTMX
    )

    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<article class="card gap-card essential" id="visit-{tablets.pk}"'
    )
    assert "Covered" in html and "Ana Price is on it." in words(html)
    assert "Put " not in html


def test_a_refused_assignment_shows_the_rules_own_words(client, story, tablets):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:assign", args=[tablets.pk]), {"carer": story.cat.pk}, headers=HTMX
    )

    said = words(response.content.decode())
    assert "This visit needs Medication administration, which you don't have." in said
    assert not tablets.assignments.exists()
    assert not AuditEvent.objects.filter(action="assign").exists()


def test_a_refusal_without_javascript_comes_back_as_a_message(client, story, tablets):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:assign", args=[tablets.pk]), {"carer": story.cat.pk}, follow=True
    )

    assert "which you don&#x27;t have." in response.content.decode()
    assert not tablets.assignments.exists()


def test_cancelling_a_visit_needs_a_reason(client, story, tablets):
    client.force_login(story.rhian)
    url = reverse("leaders:cancel", args=[tablets.pk])

    refused = client.post(url, {"reason": "   "}, headers=HTMX)
    tablets.refresh_from_db()
    assert "Say why the visit is cancelled." in refused.content.decode()
    assert tablets.status == ShiftStatus.PLANNED

    done = client.post(url, {"reason": "Gwen is in hospital."}, headers=HTMX)
    tablets.refresh_from_db()
    assert tablets.status == ShiftStatus.CANCELLED
    assert tablets.cancel_reason == "Gwen is in hospital."
    assert "The visit is cancelled." in done.content.decode()
    assert AuditEvent.objects.get(action="cancel_shift").actor_id == story.rhian.pk


def test_asking_a_carer_tells_her_once(client, story, tablets):
    client.force_login(story.rhian)
    url = reverse("leaders:ask", args=[tablets.pk])

    first = client.post(url, {"carer": story.ana.pk}, headers=HTMX)
    again = client.post(url, {"carer": story.ana.pk}, headers=HTMX)

    asked = Notification.objects.get(person=story.ana)
    assert asked.kind == NotificationKind.NEEDS_COVER
    assert asked.title == "Can you take Gwen's visit on Tuesday 5 May, 08:00?"
    assert asked.link == reverse("carer:needs_cover")
    assert "Ana Price has been asked." in first.content.decode()
    assert "Ana Price was asked already." in again.content.decode()
    # The card now says she was asked, instead of offering to ask her again.
    assert "Ask Ana" not in again.content.decode()


def test_a_carer_who_cant_take_it_is_not_asked(client, story, tablets):
    client.force_login(story.rhian)

    response = client.post(
        reverse("leaders:ask", args=[tablets.pk]), {"carer": story.cat.pk}, headers=HTMX
    )

    assert "which you don&#x27;t have." in response.content.decode()
    assert not Notification.objects.filter(person=story.cat).exists()


def test_a_carer_of_another_circle_cannot_be_put_on_a_visit(client, story, tablets):
    client.force_login(story.rhian)

    response = client.post(reverse("leaders:assign", args=[tablets.pk]), {"carer": story.hywel.pk})

    assert response.status_code == 404
    assert not tablets.assignments.exists()

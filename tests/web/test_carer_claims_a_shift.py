"""Ana opens Needs cover, taps “I'll take it” on Gwen's visit, and finds it in My shifts."""

from django.urls import reverse

from rota.models import Assignment, AuditEvent
from tests.stories import at, planned_visit
from tests.web.pages import HTMX


def test_carer_takes_a_visit_that_needs_cover_and_sees_it_in_my_shifts(client, story):
    shift = planned_visit(story.gwen, at(30, 8, month=4), title="Breakfast and a chat")
    client.force_login(story.ana)

    page = client.get(reverse("carer:needs_cover"))
    assert "Breakfast and a chat" in page.text
    assert reverse("carer:take", args=[shift.pk]) in page.text

    response = client.post(reverse("carer:take", args=[shift.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("carer:needs_cover")
    assert "It&#x27;s yours. Thank you!" in response.text
    assert Assignment.objects.get(shift=shift, released_at__isnull=True).carer == story.ana
    assert AuditEvent.objects.get(action="claim").actor_id == story.ana.pk
    mine = client.get(reverse("carer:my_shifts"))
    assert "Breakfast and a chat" in mine.text
    assert "Thursday 30 April" in mine.text
    assert "08:00–09:00 Gwen" in mine.text


def test_taken_visit_leaves_needs_cover_for_everyone_else(client, story):
    shift = planned_visit(story.gwen, at(30, 8, month=4), title="Breakfast and a chat")
    client.force_login(story.ana)
    client.post(reverse("carer:take", args=[shift.pk]))

    client.force_login(story.ben)
    assert "Breakfast and a chat" not in client.get(reverse("carer:needs_cover")).text


def test_with_htmx_the_card_turns_to_yours_in_place(client, story):
    shift = planned_visit(story.gwen, at(30, 8, month=4))
    client.force_login(story.ana)

    response = client.post(reverse("carer:take", args=[shift.pk]), headers=HTMX)

    assert response.status_code == 200
    card = response.text.strip()
    assert card.startswith(f'<article class="card visit mine" id="visit-{shift.pk}"')
    assert card.endswith("</article>")
    assert "Yours" in card
    assert "It&#x27;s yours. Thank you!" in card
    assert "<html" not in card and "<nav" not in card


def test_a_double_tap_is_told_it_is_already_theirs(client, story):
    shift = planned_visit(story.gwen, at(30, 8, month=4))
    client.force_login(story.ana)
    client.post(reverse("carer:take", args=[shift.pk]))

    again = client.post(reverse("carer:take", args=[shift.pk]), follow=True)

    assert "This visit is already yours." in again.text
    assert Assignment.objects.filter(shift=shift).count() == 1
    assert AuditEvent.objects.filter(action="claim").count() == 1

"""Gwen says on her likes and wishes how many carers new to her she meets in a month, and
what happens to one more; her page shows how many have come this month against it. Her
daughter reads the figure but may not change it; a nonsense number changes nothing; in
Welsh, the page and its refusal are in Welsh."""

import pytest
from django.urls import reverse

from people.models import Client, Language, NewFaces
from rota import services
from rota.models import Action, AuditEvent
from tests.outcomes import nothing_changes
from tests.stories import at, place, planned_visit
from tests.web.pages import words


@pytest.fixture
def cat_came(story):
    """Cat, new to Gwen, is booked for Thursday: one new carer in April."""
    return place(planned_visit(story.gwen, at(30, 8, month=4)), story.cat)


def about(story) -> str:
    return reverse("family:about_for", args=[story.gwen.pk])


def limit_url(story) -> str:
    return reverse("family:new_face_limit", args=[story.gwen.pk])


def gwen() -> Client:
    return Client.objects.get(full_name="Gwen Davies")


def test_gwen_sets_her_limit_and_reads_it_against_this_month(client, story, cat_came):
    client.force_login(story.gwen_herself)

    response = client.post(
        limit_url(story), {"per_month": "2", "past_limit": NewFaces.ASK_FIRST}, follow=True
    )

    assert (gwen().new_face_limit, gwen().new_faces_past_limit) == (2, NewFaces.ASK_FIRST)
    assert AuditEvent.objects.get(action=Action.SET_NEW_FACE_LIMIT).actor_id == (
        story.gwen_herself.pk
    )
    text = words(response.text)
    assert "Saved. The rota keeps to it from now on" in text
    assert "New carers this month: 1 of the 2 you accept." in text
    assert 'value="ask_first" checked' in response.text


def test_an_empty_number_lifts_the_limit(client, story, cat_came):
    services.set_new_face_limit(story.gwen, 2, actor=story.rhys)
    client.force_login(story.rhys)

    response = client.post(
        limit_url(story), {"per_month": "", "past_limit": NewFaces.REFUSE}, follow=True
    )

    assert gwen().new_face_limit is None
    assert "New carers this month: 1. Gwen has set no limit." in words(response.text)


def test_her_daughter_reads_the_figure_but_cannot_change_it(client, story, cat_came):
    services.set_new_face_limit(story.gwen, 2, actor=story.rhys)
    client.force_login(story.sian)

    text = words(client.get(about(story)).text)
    with nothing_changes():
        response = client.post(limit_url(story), {"per_month": "9", "past_limit": "refuse"})

    assert "New carers this month: 1 of the 2 Gwen accepts." in text
    assert "How many carers new to Gwen" not in text
    assert response.status_code == 403
    assert gwen().new_face_limit == 2


@pytest.mark.parametrize("nonsense", ["21", "-1", "two", "1.5"])
def test_a_nonsense_number_changes_nothing(client, story, nonsense):
    client.force_login(story.gwen_herself)

    response = client.post(
        limit_url(story), {"per_month": nonsense, "past_limit": "refuse"}, follow=True
    )

    assert "Write a whole number from 0 to 20" in words(response.text)
    assert gwen().new_face_limit is None
    assert not AuditEvent.objects.filter(action=Action.SET_NEW_FACE_LIMIT).exists()


def test_a_made_up_choice_changes_nothing(client, story):
    client.force_login(story.gwen_herself)

    response = client.post(limit_url(story), {"per_month": "2", "past_limit": "shrug"}, follow=True)

    assert "Choose what happens when one more new carer would come" in words(response.text)
    assert gwen().new_face_limit is None


def test_in_welsh(client, story, cat_came):
    story.gwen_herself.language = Language.WELSH
    story.gwen_herself.save(update_fields=["language"])
    services.set_new_face_limit(story.gwen, 2, actor=story.rhys)
    client.force_login(story.gwen_herself)

    text = words(client.get(about(story)).text)
    refused = words(
        client.post(limit_url(story), {"per_month": "99", "past_limit": "refuse"}, follow=True).text
    )

    assert "Gofalwyr newydd bob mis" in text
    assert "Gofalwyr newydd y mis hwn: 1 o'r 2 rydych chi'n eu derbyn." in text
    assert "Gofyn i mi yn gyntaf" in text
    assert "Ysgrifennwch rif cyfan o 0 i 20" in refused
    assert gwen().new_face_limit == 2


def test_her_team_leader_reads_it_on_her_client_page(client, story, cat_came):
    client.force_login(story.rhian)
    page = reverse("leaders:client", args=[story.gwen.pk])

    before = words(client.get(page).text)
    services.set_new_face_limit(story.gwen, 2, actor=story.rhian)
    after = words(client.get(page).text)

    assert "New carers this month 1 (no limit set)" in before
    assert "New carers this month 1 of the 2 Gwen accepts" in after

"""Gwen decides, or Rhys, her representative, for her: whether a new carer is welcome, and
what her likes and wishes say. Sian, her daughter, reads all of it and is told whom to ask;
the buttons and the edit page are not hers. Every change to the likes and wishes is in the
audit trail, before and after."""

import pytest
from django.urls import reverse

from people.models import CarerPreference
from rota import services
from rota.models import AuditEvent
from tests.outcomes import nothing_changes, refused
from tests.stories import at, family_member, place, planned_visit
from tests.web.pages import HTMX, cards, words

NEW_LIKES = {
    "what_matters": "My garden and my cat, Smwt.",
    "likes": "Welsh cakes, Radio Cymru, the choir.",
    "dislikes": "Being rushed. Loud television.",
    "likes_to_give": "Cuttings from the garden.",
}


@pytest.fixture
def cat_is_new(story):
    """Cat, new to Gwen, is due on Friday."""
    return place(planned_visit(story.gwen, at(1, 8)), story.cat)


def test_her_daughter_reads_the_page_and_is_told_whom_to_ask(client, story, cat_is_new):
    story.gwen_herself, story.rhys  # noqa: B018 - Gwen has her own log-in and a representative
    client.force_login(story.sian)

    page = client.get(reverse("family:about_for", args=[story.gwen.pk]))

    text = words(page.text)
    assert (
        "Only Gwen or Rhys can change these. If you think something should change, ask them."
        in text
    )
    assert "Only Gwen or Rhys can say whether a new carer is welcome." in text
    assert "Change these" not in text
    assert cards(page.text, "new-face") == [
        "Cat Morgan New to Gwen First visit: Friday 1 May at 08:00."
    ]


def test_with_nobody_to_decide_the_family_are_sent_to_the_team_leaders(client, story):
    """Tom has neither a log-in nor a representative; his son asks the team leaders."""
    son = family_member(story.tom, full_name="Tomos Evans")
    client.force_login(son)

    text = words(client.get(reverse("family:about")).text)

    assert "If you think something should change, tell the circle's team leaders." in text


def test_her_daughter_cannot_turn_a_carer_away_nor_rewrite_her_wishes(client, story, cat_is_new):
    client.force_login(story.sian)
    gwen = story.gwen.pk

    with nothing_changes():
        answers = [
            client.post(reverse("family:rather_not", args=[gwen, story.cat.pk])),
            client.post(reverse("family:rather_not", args=[gwen, story.cat.pk]), headers=HTMX),
            client.post(reverse("family:fine", args=[gwen, story.cat.pk])),
            client.get(reverse("family:edit_about", args=[gwen])),
            client.post(reverse("family:edit_about", args=[gwen]), NEW_LIKES),
        ]

    assert [a.status_code for a in answers] == [403] * 5
    story.gwen.refresh_from_db()
    assert story.gwen.likes == "Welsh cakes, Radio Cymru."
    assert cat_is_new.is_held and not CarerPreference.objects.exists()


def test_her_representative_changes_them_and_the_trail_keeps_before_and_after(client, story):
    client.force_login(story.rhys)

    response = client.post(
        reverse("family:edit_about", args=[story.gwen.pk]), NEW_LIKES, follow=True
    )

    assert "Saved. The carers in the circle will see this." in words(response.text)
    story.gwen.refresh_from_db()
    assert story.gwen.likes == "Welsh cakes, Radio Cymru, the choir."
    event = AuditEvent.objects.get(action="edit_profile")
    assert (event.actor_id, event.client_id, event.circle_id) == (
        story.rhys.pk,
        story.gwen.pk,
        story.circle.pk,
    )
    assert event.before == {"likes": "Welsh cakes, Radio Cymru.", "dislikes": "Being rushed."}
    assert event.after == {
        "likes": "Welsh cakes, Radio Cymru, the choir.",
        "dislikes": "Being rushed. Loud television.",
    }
    client.force_login(story.rhian)
    trail = words(client.get(reverse("leaders:trail")).text)
    assert "Rhys Davies changed Gwen's likes and wishes: likes and dislikes." in trail


def test_saving_them_unchanged_records_nothing(client, story):
    client.force_login(story.gwen_herself)
    same = {field: getattr(story.gwen, field) for field in NEW_LIKES}

    with nothing_changes():
        client.post(reverse("family:edit_about", args=[story.gwen.pk]), same)


@pytest.mark.parametrize("who", ["sian", "rhian"])  # her daughter; a team leader of her circle
def test_the_services_refuse_anyone_but_the_client_and_her_representative(story, cat_is_new, who):
    actor = getattr(story, who)
    with refused("not_allowed"):
        services.decline_carer(story.gwen, story.cat, actor=actor)
    with refused("not_allowed"):
        services.approve_carer(story.gwen, story.cat, actor=actor)
    with refused("not_allowed"):
        services.edit_profile(story.gwen, {"likes": "Nothing."}, actor=actor)


def test_gwen_herself_answers_about_a_new_face(client, story, cat_is_new):
    client.force_login(story.gwen_herself)

    response = client.post(reverse("family:fine", args=[story.gwen.pk, story.cat.pk]), follow=True)

    assert "Thank you: Cat Morgan is welcome to visit you." in words(response.text)
    assert AuditEvent.objects.filter(
        action="approve_carer", actor_id=story.gwen_herself.pk
    ).exists()

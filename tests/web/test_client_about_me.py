"""Gwen's own page: what matters to her, who she'd rather have and rather not, and a say
about a new face before they come: “That's fine” or “Rather not”."""

from datetime import timedelta

import pytest
from django.urls import reverse

from people.models import CarerPreference, Preference
from rota.familiarity import approved_pairs
from rota.models import Assignment, AuditEvent, ReleaseReason
from tests.outcomes import nothing_changes, rota_state
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
from tests.web.pages import HTMX, cards, words


@pytest.fixture
def week(story):
    """Ana is a familiar face (two visits last week); Cat has never been and is due Friday
    and Saturday; Tom's carers are none of Gwen's business."""
    for days_ago in (2, 3):
        place(planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=days_ago)), story.ana)
    return {
        "ana": place(planned_visit(story.gwen, at(30, 8, month=4)), story.ana),
        "cat_friday": place(planned_visit(story.gwen, at(1, 8)), story.cat),
        "cat_saturday": place(planned_visit(story.gwen, at(2, 8)), story.cat),
        "toms": place(planned_visit(story.tom, at(30, 10, month=4)), story.ben),
    }


def about(story):
    return reverse("family:about_for", args=[story.gwen.pk])


def test_gwen_reads_what_matters_to_her_and_her_wishes_about_carers(client, story):
    CarerPreference.objects.create(
        client=story.gwen, carer=story.ana, preference=Preference.PREFERRED
    )
    CarerPreference.objects.create(
        client=story.gwen, carer=story.ben, preference=Preference.NOT_WANTED
    )
    client.force_login(story.gwen_herself)

    page = client.get(reverse("family:about"))

    text = words(page.text)
    assert "My likes and wishes" in text
    assert "What matters to me My garden and my cat, Smwt." in text
    assert "Likes Welsh cakes, Radio Cymru." in text
    assert "Dislikes Being rushed." in text
    assert "What I like to give Cuttings from the garden." in text
    assert "Carers I'd rather have Ana Price" in text
    assert "Carers I'd rather not have Ben Jones" in text


def test_her_daughter_reads_it_about_gwen(client, story):
    client.force_login(story.sian)

    text = words(client.get(reverse("family:about")).text)

    assert "Gwen's likes and wishes" in text
    assert "What matters to Gwen My garden and my cat, Smwt." in text
    assert "Carers Gwen would rather not have Nobody." in text


def test_changing_what_matters_saves_it(client, story):
    client.force_login(story.gwen_herself)
    edit = reverse("family:edit_about", args=[story.gwen.pk])

    response = client.post(
        edit,
        {
            "what_matters": "My garden, my cat and chapel on Sunday.",
            "likes": "Welsh cakes.",
            "dislikes": "",
            "likes_to_give": "Cuttings and stories.",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == about(story)
    story.gwen.refresh_from_db()
    assert story.gwen.what_matters == "My garden, my cat and chapel on Sunday."
    assert story.gwen.dislikes == ""
    assert "Saved. The carers in the circle will see this." in words(response.text)


def test_only_the_new_face_is_asked_about(client, story, week):
    client.force_login(story.gwen_herself)

    page = client.get(about(story))

    assert cards(page.text, "new-face") == [
        "Cat Morgan New to you First visit: Friday 1 May at 08:00. And 1 more visit in the "
        "next 7 days. That's fine : Cat Morgan Rather not : Cat Morgan “Rather not” means Cat "
        "Morgan won't visit you, and the circle finds someone else."
    ]


def test_thats_fine_stops_the_asking_and_changes_nothing_on_the_rota(client, story, week):
    client.force_login(story.gwen_herself)
    before = rota_state()
    fine = reverse("family:fine", args=[story.gwen.pk, story.cat.pk])

    response = client.post(fine, follow=True)

    assert "Thank you: Cat Morgan is welcome to visit you." in words(response.text)
    assert cards(response.text, "new-face") == []
    assert approved_pairs([story.gwen.pk]) == {(story.gwen.pk, story.cat.pk)}
    approval = AuditEvent.objects.get(action="approve_carer")
    assert (approval.actor_id, approval.client_id, approval.carer_ids) == (
        story.gwen_herself.pk,
        story.gwen.pk,
        [story.cat.pk],
    )
    after = rota_state()
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    assert {k: v for k, v in after.items() if k != "AuditEvent"} == {
        k: v for k, v in before.items() if k != "AuditEvent"
    }, "nothing on the rota changes and Cat is not made a preferred carer"


def test_rather_not_records_the_wish_and_puts_her_visits_back_for_cover(client, story, week):
    client.force_login(story.gwen_herself)
    rather_not = reverse("family:rather_not", args=[story.gwen.pk, story.cat.pk])

    response = client.post(rather_not, follow=True)

    assert response.redirect_chain[-1][0] == about(story)
    assert CarerPreference.objects.get(client=story.gwen, carer=story.cat).preference == (
        Preference.NOT_WANTED
    )
    for name in ("cat_friday", "cat_saturday"):
        week[name].refresh_from_db()
        assert week[name].release_reason == ReleaseReason.NOT_WANTED
        assert not Assignment.objects.filter(shift=week[name].shift, released_at__isnull=True)
    text = words(response.text)
    assert (
        "Noted: Cat Morgan won't visit you. Any visits they had with you go back to the "
        "circle, who will find someone else."
    ) in text
    assert "Carers I'd rather not have Cat Morgan" in text
    assert cards(response.text, "new-face") == []
    coming = client.get(reverse("family:coming"))
    assert "A carer is still being found" in words(coming.text)


def test_with_htmx_the_confirmed_answer_sends_the_page_back_to_the_wishes(client, story, week):
    client.force_login(story.rhys)
    rather_not = reverse("family:rather_not", args=[story.gwen.pk, story.cat.pk])

    response = client.post(rather_not, headers=HTMX)

    assert response["HX-Redirect"] == about(story)
    text = words(client.get(about(story)).text)
    assert "Noted: Cat Morgan won't visit Gwen." in text
    assert "Carers Gwen would rather not have Cat Morgan" in text


def test_saying_rather_not_twice_changes_nothing_the_second_time(client, story, week):
    client.force_login(story.gwen_herself)
    rather_not = reverse("family:rather_not", args=[story.gwen.pk, story.cat.pk])
    client.post(rather_not)
    with nothing_changes():
        again = client.post(rather_not, follow=True)

    assert "You had already said you'd rather not have Cat Morgan. Nothing changed." in words(
        again.text
    )


def test_thats_fine_about_a_familiar_face_records_nothing(client, story, week):
    client.force_login(story.gwen_herself)

    response = client.post(reverse("family:fine", args=[story.gwen.pk, story.ana.pk]), follow=True)

    assert "Nothing to do: Ana Price is not a new face any more." in words(response.text)
    assert not AuditEvent.objects.filter(action="approve_carer").exists()


def test_ids_from_elsewhere_are_not_found(client, story, week):
    """Sian cannot answer for Tom or Bart, nor about a carer of another circle."""
    not_a_carer_here = story.bryn
    client.force_login(story.sian)
    with nothing_changes():
        responses = [
            client.get(reverse("family:about_for", args=[story.tom.pk])),
            client.get(reverse("family:edit_about", args=[story.bart.pk])),
            client.post(reverse("family:edit_about", args=[story.tom.pk]), {"likes": "x"}),
            client.post(reverse("family:fine", args=[story.tom.pk, story.ben.pk])),
            client.post(reverse("family:rather_not", args=[story.bart.pk, story.ana.pk])),
            client.post(
                reverse("family:rather_not", args=[story.gwen.pk, not_a_carer_here.pk]),
                headers=HTMX,
            ),
        ]

    assert [r.status_code for r in responses] == [404] * 6
    story.tom.refresh_from_db()
    assert story.tom.likes == ""

"""Gwen (or Rhys, who speaks for her) says whom she would rather have and rather not: "rather
not" first shows what it will do and asks; it can be taken back ("I'd be happy to see Cat
again"); each change is in the trail. Sian, her daughter, may only suggest."""

import pytest
from django.urls import reverse

from circles.trail import describe
from people.models import CarerPreference, Preference
from rota import services
from rota.models import Assignment, AuditEvent, ReleaseReason
from tests.outcomes import nothing_changes, refused
from tests.stories import at, place, planned_visit
from tests.web.pages import cards, words


@pytest.fixture
def cats_visits(story):
    """Cat is due at Gwen's on Friday and Saturday; Tom's visit is none of this."""
    return [
        place(planned_visit(story.gwen, at(1, 8)), story.cat),
        place(planned_visit(story.gwen, at(2, 8)), story.cat),
        place(planned_visit(story.tom, at(2, 10)), story.cat),
    ]


def rather_not(story):
    return reverse("family:rather_not", args=[story.gwen.pk, story.cat.pk])


def test_rather_not_first_says_what_it_will_do_and_changes_nothing(client, story, cats_visits):
    client.force_login(story.gwen_herself)

    with nothing_changes():
        page = client.get(rather_not(story))

    text = words(page.text)
    assert "Rather not have Cat Morgan?" in text
    assert "Cat Morgan won't visit you any more." in text
    assert (
        "Cat Morgan has 2 visits coming up. The circle will be asked to cover them, so "
        "someone else comes instead: Fri 1 May, 08:00 Sat 2 May, 08:00"
    ) in text
    assert "Yes, rather not have Cat Morgan" in text
    assert 'data-hx-disabled-elt="find button"' in page.text
    assert not CarerPreference.objects.exists()


def test_for_her_representative_it_speaks_of_gwen(client, story, cats_visits):
    client.force_login(story.rhys)

    text = words(client.get(rather_not(story)).text)

    assert "Cat Morgan won't visit Gwen any more." in text


def test_id_be_happy_to_see_cat_again_lifts_the_wish_and_says_what_stays(
    client, story, cats_visits
):
    services.decline_carer(story.gwen, story.cat, actor=story.gwen_herself)
    client.force_login(story.gwen_herself)

    page = client.post(
        reverse("family:welcome_back", args=[story.gwen.pk, story.cat.pk]), follow=True
    )

    assert not CarerPreference.objects.filter(client=story.gwen, carer=story.cat).exists()
    assert (
        "Noted: Cat Morgan may visit again. Visits already given to other carers stay with "
        "them; from now on Cat Morgan can take visits again, including any still waiting for "
        "a carer."
    ) in words(page.text)
    # The visits the "rather not" released stay released: nobody is put back unasked.
    released = Assignment.objects.filter(pk__in=[p.pk for p in cats_visits[:2]])
    assert {p.release_reason for p in released} == {ReleaseReason.NOT_WANTED}
    event = AuditEvent.objects.get(action="clear_carer_wish")
    assert (event.actor_id, event.carer_ids) == (story.gwen_herself.pk, [story.cat.pk])
    assert (event.before, event.after) == ({"preference": "not_wanted"}, {"preference": None})
    assert describe([event])[0].sentence == (
        "Gwen Davies said Gwen would be happy to see Cat Morgan again."
    )


def test_gwen_changes_whom_she_would_rather_have_from_her_page(client, story):
    client.force_login(story.gwen_herself)
    about = words(client.get(reverse("family:about")).text)
    assert "Change who I'd rather have, or not" in about

    page = client.get(reverse("family:carers", args=[story.gwen.pk]))
    assert cards(page.text, "carer-wish") == [
        "Ana Price No wish either way I'd rather have them : Ana Price Rather not : Ana Price",
        "Ben Jones No wish either way I'd rather have them : Ben Jones Rather not : Ben Jones",
        "Cat Morgan No wish either way I'd rather have them : Cat Morgan Rather not : Cat Morgan",
    ]
    answer = client.post(reverse("family:prefer", args=[story.gwen.pk, story.ana.pk]), follow=True)

    assert CarerPreference.objects.get(carer=story.ana).preference == Preference.PREFERRED
    assert "Noted: you'd rather have Ana Price." in words(answer.text)
    assert cards(answer.text, "carer-wish")[0] == (
        "Ana Price Rather have No wish either way : Ana Price Rather not : Ana Price"
    )
    event = AuditEvent.objects.get(action="prefer_carer")
    assert (
        describe([event])[0].sentence == "Gwen Davies said Gwen would rather have Ana Price visit."
    )


def test_her_daughter_may_not_change_them(client, story, cats_visits):
    client.force_login(story.sian)
    with nothing_changes():
        answers = [
            client.get(reverse("family:carers", args=[story.gwen.pk])),
            client.post(reverse("family:prefer", args=[story.gwen.pk, story.ana.pk])),
            client.post(reverse("family:welcome_back", args=[story.gwen.pk, story.ana.pk])),
            client.get(rather_not(story)),
        ]
    assert [a.status_code for a in answers] == [403] * 4
    assert not CarerPreference.objects.exists()
    with refused("not_allowed"):
        services.prefer_carer(story.gwen, story.ana, actor=story.sian)
    with refused("not_allowed"):
        services.clear_carer_wish(story.gwen, story.ana, actor=story.sian)


def test_preferring_twice_or_lifting_nothing_records_nothing(story):
    services.prefer_carer(story.gwen, story.ana, actor=story.rhys)
    services.prefer_carer(story.gwen, story.ana, actor=story.rhys)
    services.clear_carer_wish(story.gwen, story.ben, actor=story.rhys)

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["prefer_carer"]

"""Gwen's lunchtime visit needs medication training, which Cat (a neighbour) doesn't have:
Needs cover says so in one line instead of hiding the visit, and a tampered “I'll take it”
is refused in the rule's own words with nothing changed."""

import pytest
from django.urls import reverse

from tests.stories import at, planned_visit
from tests.web.pages import HTMX, refused_tap

NEEDS_MEDICATION = "This visit needs Medication administration, which you don&#x27;t have."


@pytest.fixture
def lunch(story):
    return planned_visit(
        story.gwen, at(30, 12, month=4), title="Lunch and tablets", needs=[story.medication]
    )


def test_a_visit_cat_cannot_take_says_why_instead_of_a_button(client, story, lunch):
    client.force_login(story.cat)

    page = client.get(reverse("carer:needs_cover")).text

    assert "Lunch and tablets" in page
    assert NEEDS_MEDICATION in page
    assert reverse("carer:take", args=[lunch.pk]) not in page


def test_a_tampered_claim_is_refused_with_the_rules_words_and_changes_nothing(client, story, lunch):
    response = refused_tap(client, story.cat, lunch, follow=True)

    assert NEEDS_MEDICATION in response.text


def test_with_htmx_the_refusal_sits_in_the_card(client, story, lunch):
    card = refused_tap(client, story.cat, lunch, headers=HTMX).text.strip()

    assert card.startswith(f'<article class="card visit cannot" id="visit-{lunch.pk}"')
    assert '<div class="why" role="alert"><p>' + NEEDS_MEDICATION in card


def test_ana_with_the_training_may_take_it(client, story, lunch):
    from tests.factories import CredentialFactory

    CredentialFactory(person=story.ana, type=story.medication)
    client.force_login(story.ana)

    page = client.get(reverse("carer:needs_cover")).text

    assert reverse("carer:take", args=[lunch.pk]) in page
    assert NEEDS_MEDICATION not in page

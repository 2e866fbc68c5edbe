"""Sian opens “Who is coming to Gwen”: the next 7 days of her mum's visits, who comes, and
whether Gwen knows them. Nobody else's visits, and nobody else's page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from circles.models import Role
from people.models import CarerPreference, Preference
from rota import services
from tests.factories import MembershipFactory
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
from tests.web.pages import cards, words


def gwens_week(story):
    """Ana did two of Gwen's visits last week (Gwen knows her), Cat one (she has been, but
    Gwen does not know her yet), and Gwen would rather have Ben."""
    for days_ago in (2, 3):
        place(planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=days_ago)), story.ana)
    place(planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=4)), story.cat)
    CarerPreference.objects.create(
        client=story.gwen, carer=story.ben, preference=Preference.PREFERRED
    )
    place(planned_visit(story.gwen, at(29, 17, month=4), title="Tea"), story.ana)
    place(planned_visit(story.gwen, at(30, 8, month=4), title="Breakfast"), story.ben)
    place(planned_visit(story.gwen, at(1, 8), title="Breakfast"), story.cat)
    planned_visit(story.gwen, at(2, 8), title="Breakfast")  # nobody yet
    planned_visit(story.gwen, at(7, 8), title="Beyond the week")
    place(planned_visit(story.tom, at(30, 10, month=4), title="Tom's lunch"), story.ana)


def test_daughter_sees_her_mums_next_seven_days_and_who_knows_her(client, story):
    gwens_week(story)
    client.force_login(story.sian)

    page = client.get(reverse("family:coming"))

    text = words(page.text)
    assert "Who is coming to Gwen" in text
    assert cards(page.text, "coming-visit") == [
        "17:00–18:00 Tea Ana Price Knows Gwen",
        "08:00–09:00 Breakfast Ben Jones Knows Gwen",
        "08:00–09:00 Breakfast Cat Morgan Has visited Gwen before",
        "08:00–09:00 Breakfast A carer is still being found",
    ]
    assert text.index("Today") < text.index("Tomorrow") < text.index("Friday 1 May")
    assert "Saturday 2 May" in text
    assert "Beyond the week" not in text
    assert "Tom's lunch" not in text


def test_a_visit_freed_by_family_shows_as_not_needed(client, story):
    place(planned_visit(story.gwen, at(30, 17, month=4), title="Tea"), story.ana)
    services.record_family_visit(story.sian, story.gwen, at(30, 14, month=4), at(30, 19, month=4))
    client.force_login(story.sian)

    page = client.get(reverse("family:coming"))

    assert cards(page.text, "coming-visit") == ["17:00–18:00 Tea Not needed You are with Gwen."]
    client.force_login(story.gwen_herself)
    page = client.get(reverse("family:coming"))
    assert cards(page.text, "coming-visit") == [
        "17:00–18:00 Tea Not needed Sian Davies is with you."
    ]


def test_a_double_up_with_one_carer_says_one_is_still_being_found(client, story):
    place(
        planned_visit(story.gwen, at(30, 8, month=4), title="Getting up", carers_needed=2),
        story.ana,
    )
    client.force_login(story.sian)

    page = client.get(reverse("family:coming"))

    assert cards(page.text, "coming-visit") == [
        "08:00–09:00 Getting up Ana Price New to Gwen A carer is still being found"
    ]


def test_times_are_the_circles_local_time(client, story):
    story.circle.timezone = "America/New_York"
    story.circle.save()
    # 13:00 London on Thursday is 08:00 in New York.
    place(planned_visit(story.gwen, at(30, 13, month=4), title="Breakfast"), story.ana)
    client.force_login(story.sian)

    page = client.get(reverse("family:coming"))

    assert cards(page.text, "coming-visit") == ["08:00–09:00 Breakfast Ana Price New to Gwen"]


@pytest.mark.parametrize("whose", ["tom", "bart"])
def test_another_clients_page_is_not_found(client, story, whose):
    client.force_login(story.sian)

    response = client.get(reverse("family:coming_for", args=[getattr(story, whose).pk]))

    assert response.status_code == 404


def test_a_carer_with_no_client_of_their_own_is_refused_the_family_pages(client, story):
    client.force_login(story.ana)

    assert client.get(reverse("family:coming")).status_code == 403


def test_someone_who_speaks_for_two_clients_switches_between_them(client, story):
    MembershipFactory(circle=story.circle, person=story.sian, role=Role.FAMILY, client=story.tom)
    place(planned_visit(story.tom, at(30, 10, month=4), title="Tom's lunch"), story.ana)
    client.force_login(story.sian)

    first = client.get(reverse("family:coming"))
    toms = client.get(reverse("family:coming_for", args=[story.tom.pk]))

    assert "Who is coming to Gwen" in words(first.text)
    assert reverse("family:coming_for", args=[story.tom.pk]) in first.text
    assert "Who is coming to Tom" in words(toms.text)
    assert cards(toms.text, "coming-visit") == ["10:00–11:00 Tom's lunch Ana Price New to Tom"]


def test_the_family_menu_offers_who_is_coming_and_likes_and_wishes(client, story):
    client.force_login(story.sian)

    page = client.get(reverse("family:coming"))

    assert f'href="{reverse("family:coming")}" aria-current="page"' in page.text
    assert reverse("family:about") in page.text

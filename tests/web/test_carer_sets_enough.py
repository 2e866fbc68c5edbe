"""Ana says on her settings page how many evenings and weekend visits a week are enough for
her; the page shows it back, and a number out of range is refused beside its box with
nothing changed. Family members have no such form."""

import pytest
from django.urls import reverse

from people.models import CarerProfile
from tests.web.pages import words

pytestmark = pytest.mark.django_db


def enough_of(person) -> tuple:
    profile = CarerProfile.objects.get(person=person)
    return profile.enough_evenings, profile.enough_weekends


def test_ana_says_what_is_enough_and_reads_it_back(client, story):
    client.force_login(story.ana)

    response = client.post(
        reverse("account:enough"), {"evenings": "2", "weekends": ""}, follow=True
    )

    assert enough_of(story.ana) == (2, None)
    page = words(response.text)
    assert "Saved. You won't be given more than that." in page
    assert "What is enough for me" in page
    assert 'name="evenings" value="2"' in response.text


def test_too_many_evenings_is_refused_beside_the_box(client, story):
    client.force_login(story.ana)

    response = client.post(reverse("account:enough"), {"evenings": "9", "weekends": "1"})

    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 7." in words(response.text)
    assert enough_of(story.ana) == (None, None)


def test_family_have_no_enough_to_set(client, story):
    client.force_login(story.sian)

    assert "What is enough for me" not in words(client.get(reverse("account:preferences")).text)
    response = client.post(reverse("account:enough"), {"evenings": "2"})
    assert response.status_code == 404


def test_in_welsh_the_form_is_welsh(client, story):
    story.ana.language = "cy"
    story.ana.save(update_fields=["language"])
    client.force_login(story.ana)
    client.cookies["django_language"] = "cy"

    page = words(client.get(reverse("account:preferences")).text)

    assert "Beth sy'n ddigon i mi" in page

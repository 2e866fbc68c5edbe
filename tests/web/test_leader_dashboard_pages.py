"""Past a screenful, the dashboard is paged, the circles most in need first: a coordinator of
thirty circles sees twenty-five, the three not coping among them whatever their names, and
moves on to the rest without JavaScript; the minute's refresh stays on her page."""

import pytest
from django.urls import reverse

from circles.models import CircleState
from tests.factories import CircleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nerys_with_thirty_circles(valleys):
    for n in range(27):
        CircleFactory(organisation=valleys, name=f"Circle {n:02}")
    for n in range(3):
        CircleFactory(organisation=valleys, name=f"Zion {n}", state=CircleState.NOT_COPING)
    return PersonFactory(organisation=valleys, is_staff=True, full_name="Nerys Bowen")


def test_the_first_page_holds_the_circles_most_in_need(client, nerys_with_thirty_circles):
    client.force_login(nerys_with_thirty_circles)
    response = client.get(reverse("leaders:dashboard"))

    page = response.content.decode()
    assert page.count('class="circle-row') == 25
    for n in range(3):
        assert f">Zion {n}</a>" in page
    assert "Circles 1 to 25 of 30, the most in need first." in page
    assert 'rel="next" href="/leaders/?page=2"' in page
    assert 'rel="prev"' not in page
    assert 'data-hx-get="/leaders/"' in page


def test_the_next_page_holds_the_rest_and_refreshes_itself(client, nerys_with_thirty_circles):
    client.force_login(nerys_with_thirty_circles)
    response = client.get(reverse("leaders:dashboard"), {"page": "2"})

    page = response.content.decode()
    assert page.count('class="circle-row') == 5
    assert "Zion" not in page
    assert "Circles 26 to 30 of 30, the most in need first." in page
    assert 'rel="prev" href="/leaders/"' in page and 'rel="next"' not in page
    assert 'data-hx-get="/leaders/?page=2"' in page


@pytest.mark.parametrize(("asked", "shown"), [("abc", 25), ("", 25), ("999", 5), ("0", 5)])
def test_a_page_that_is_no_page_shows_the_nearest(client, nerys_with_thirty_circles, asked, shown):
    client.force_login(nerys_with_thirty_circles)
    response = client.get(reverse("leaders:dashboard"), {"page": asked})

    assert response.status_code == 200
    assert response.content.decode().count('class="circle-row') == shown


def test_a_screenful_is_not_paged(client, valleys):
    for n in range(25):
        CircleFactory(organisation=valleys, name=f"Circle {n:02}")
    nerys = PersonFactory(organisation=valleys, is_staff=True, full_name="Nerys Bowen")
    client.force_login(nerys)

    page = client.get(reverse("leaders:dashboard")).content.decode()
    assert page.count('class="circle-row') == 25
    assert "Pages of circles" not in page

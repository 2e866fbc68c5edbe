"""Rhian opens her dashboard: Treforest, the one circle she leads, with its state, its cover
day by day, the essential visit nobody has and her last alert. Nerys, the coordinator, sees
both of Valleys Care's circles. Nobody sees Hill Care's Hillside, nor opens its page."""

import re

import pytest
from django.urls import reverse

from circles.models import CircleState, StateChange
from tests.stories import MONDAY_MORNING, at, place, planned_visit
from tests.web.pages import HTMX

pytestmark = pytest.mark.now(MONDAY_MORNING)


def circle_names(page: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', page)


def strip_day(page: str, label: str) -> str:
    """The strip's entry for one day ("Wed 6 May"), as a screen reader would find it."""
    for item in re.findall(r'<li class="strip-day[^"]*">.*?</li>', page, re.S):
        if label in item:
            return " ".join(item.split())
    raise AssertionError(f"No day {label} in the strip")


def test_a_team_leader_sees_only_the_circles_she_leads(client, story):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:dashboard")).content.decode()

    assert circle_names(page) == ["Treforest"]
    assert "Hillside" not in page and "Pontypridd" not in page


def test_a_coordinator_sees_every_circle_of_her_organisation_and_no_other(client, story):
    client.force_login(story.nerys)

    page = client.get(reverse("leaders:dashboard")).content.decode()

    assert sorted(circle_names(page)) == ["Pontypridd", "Treforest"]
    assert "Hillside" not in page


def test_another_circles_page_is_not_found(client, story):
    hillside_gap = planned_visit(story.bart, at(5, 8))
    client.force_login(story.rhian)

    assert client.get(reverse("leaders:circle", args=[story.hillside.pk])).status_code == 404
    assert client.get(reverse("leaders:client", args=[story.bart.pk])).status_code == 404
    assign = client.post(
        reverse("leaders:assign", args=[hillside_gap.pk]), {"carer": story.hywel.pk}
    )
    assert assign.status_code == 404
    assert not hillside_gap.assignments.exists()


def test_a_carer_is_refused_the_circle_page(client, story):
    client.force_login(story.ana)

    assert client.get(reverse("leaders:circle", args=[story.circle.pk])).status_code == 403


def test_the_strip_shows_the_day_with_a_gap(client, story):
    place(planned_visit(story.gwen, at(5, 8)), story.ana)
    place(planned_visit(story.tom, at(6, 8)), story.ben)
    planned_visit(story.tom, at(6, 18))  # nobody yet
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:dashboard")).content.decode()

    tuesday, wednesday, thursday = (
        strip_day(page, d) for d in ("Tue 5 May", "Wed 6 May", "Thu 7 May")
    )
    assert "has-gap" in wednesday and "1 of 2 places filled, 1 open" in wednesday
    assert "has-gap" not in tuesday and "1 place, filled" in tuesday
    assert "no visits" in thursday
    # 2 of 3 places over the fortnight, rounded down: never "100 %" while one is open.
    assert "<strong>66 %</strong>" in page


def test_the_strip_names_each_day_and_a_bank_holiday_in_the_leaders_language(client, story):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:dashboard")).content.decode()
    monday, tuesday = strip_day(page, "Mon 4 May"), strip_day(page, "Tue 5 May")
    assert "holiday" in monday.split(">", 1)[0] and "(Early May bank holiday)" in monday
    assert "holiday" not in tuesday.split(">", 1)[0] and "bank holiday" not in tuesday
    assert '<span class="strip-label" aria-hidden="true">M<br>' in monday

    story.rhian.language = "cy"
    story.rhian.save()
    page = client.get(reverse("leaders:dashboard"), headers={"accept-language": "cy"})
    monday = strip_day(page.content.decode(), "Llun 4 Mai")
    assert '<span class="strip-label" aria-hidden="true">L<br>' in monday


def test_the_next_essential_visit_without_a_carer_is_named(client, story):
    planned_visit(story.tom, at(8, 8), essential=True)
    planned_visit(story.gwen, at(7, 8), title="Tablets", essential=True)
    planned_visit(story.gwen, at(6, 8))  # not essential: not counted here
    client.force_login(story.rhian)

    page = " ".join(client.get(reverse("leaders:dashboard")).content.decode().split())

    assert '<strong class="gap-count">2</strong>' in page
    assert "next: Gwen, Thu 7 May, 08:00" in page


def test_the_last_alert_is_shown(client, story):
    StateChange.objects.create(
        circle=story.circle,
        from_state=CircleState.OK,
        to_state=CircleState.STRAINED,
        at=at(3, 14),
    )
    StateChange.objects.create(
        circle=story.circle,
        from_state=CircleState.STRAINED,
        to_state=CircleState.NOT_COPING,
        at=at(4, 7),
    )
    client.force_login(story.rhian)

    page = " ".join(client.get(reverse("leaders:dashboard")).content.decode().split())

    assert 'Became <span class="state state-not_coping">Not coping</span>' in page
    assert "Mon 4 May, 07:00" in page


def test_htmx_refreshes_only_the_circles_every_minute(client, story):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:dashboard")).content.decode()
    part = client.get(reverse("leaders:dashboard"), headers=HTMX)

    assert 'data-hx-trigger="every 60s"' in page
    # Without JavaScript the same page is one link away.
    assert f'href="{reverse("leaders:dashboard")}">Refresh now' in page
    part = part.content.decode()
    assert part.lstrip().startswith('<div id="circles"')
    assert "<html" not in part and "Treforest" in part


def test_signed_out_people_are_sent_to_sign_in(client, story):
    response = client.get(reverse("leaders:dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))

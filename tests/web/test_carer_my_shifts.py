"""Ana's My shifts: her coming days, today first, each visit with its time, client and what
it involves; on a double-up who else is on it; and on the day itself how to get in and who
to phone. A carer lands there when they sign in."""

from django.urls import reverse

from tests.factories import CredentialFactory
from tests.stories import at, place, planned_visit


def test_a_carer_lands_on_my_shifts(client, story):
    client.force_login(story.ana)
    response = client.get(reverse("account:home"))
    assert response.url == reverse("carer:my_shifts")


def test_days_in_order_today_first_with_what_each_visit_involves(client, story):
    place(planned_visit(story.tom, at(1, 9), title="Shopping trip"), story.ana)
    place(
        planned_visit(story.gwen, at(29, 17, month=4), title="Tea", tasks=("Check the fridge.",)),
        story.ana,
    )
    place(
        planned_visit(story.gwen, at(30, 8, month=4), title="Breakfast", carers_needed=2), story.ana
    )
    place(planned_visit(story.gwen, at(28, 8, month=4), title="Yesterday's visit"), story.ana)
    client.force_login(story.ana)

    page = client.get(reverse("carer:my_shifts")).text

    today = page.index("Today, Wednesday 29 April")
    tomorrow = page.index("Tomorrow, Thursday 30 April")
    friday = page.index("Friday 1 May")
    assert today < page.index("17:00–18:00 Gwen") < tomorrow < friday
    assert "Check the fridge." in page
    assert "Double-up: the other place still needs cover." in page
    assert "Shopping trip" in page
    assert "Yesterday" not in page


def test_on_the_day_itself_the_card_says_how_to_get_in_and_who_to_phone(client, story):
    place(planned_visit(story.gwen, at(29, 17, month=4), title="Tea"), story.ana)
    place(planned_visit(story.gwen, at(30, 17, month=4), title="Thursday tea"), story.ana)
    client.force_login(story.ana)

    page = client.get(reverse("carer:my_shifts")).text

    assert page.count("Key safe by the back door: 1966.") == 1
    assert page.count('Sian (daughter) <a class="tel" href="tel:07700900123">07700 900123</a>') == 1
    assert page.index("Key safe") < page.index("Thursday tea")


def test_a_double_up_names_the_colleague(client, story):
    shift = planned_visit(story.gwen, at(30, 8, month=4), carers_needed=2)
    place(shift, story.ana)
    place(shift, story.ben)
    client.force_login(story.ana)

    assert "Double-up with Ben Jones." in client.get(reverse("carer:my_shifts")).text


def test_a_place_whose_check_ran_out_is_flagged(client, story):
    CredentialFactory(
        person=story.ana, type=story.medication, valid_until=at(30, 0, month=4).date()
    )
    place(planned_visit(story.gwen, at(2, 12), needs=[story.medication]), story.ana)
    client.force_login(story.ana)

    page = client.get(reverse("carer:my_shifts")).text

    assert (
        "This visit needs Medication administration; yours expired on 30 Apr 2026. "
        "Give it away so the circle can cover it."
    ) in page


def test_no_visits_points_to_what_needs_cover(client, story):
    client.force_login(story.ana)
    page = client.get(reverse("carer:my_shifts")).text
    assert "You have no visits in the next 14 days." in page
    assert reverse("carer:needs_cover") in page

"""Ben books a holiday from Friday to Sunday (local days, the last one included): his
visits in those days go to the circle. A range typed backwards, or in the past, is refused
plainly and nothing changes."""

from django.urls import reverse

from rota.models import Absence, AbsenceKind, ReleaseReason
from tests.outcomes import nothing_changes, released_because, still_held
from tests.stories import at, place, planned_visit


def test_a_holiday_releases_the_visits_in_those_days_and_lists_them(client, story):
    thursday = place(
        planned_visit(story.tom, at(30, 20, month=4), title="Thursday supper"), story.ben
    )
    friday = place(planned_visit(story.tom, at(1, 8), title="Friday breakfast"), story.ben)
    sunday = place(planned_visit(story.tom, at(3, 22), title="Sunday bedtime"), story.ben)
    monday = place(planned_visit(story.tom, at(4, 8), title="Monday breakfast"), story.ben)
    client.force_login(story.ben)

    response = client.post(
        reverse("carer:off"),
        {"kind": "holiday", "first_day": "2026-05-01", "last_day": "2026-05-03"},
        follow=True,
    )

    absence = Absence.objects.get(carer=story.ben)
    assert absence.kind == AbsenceKind.HOLIDAY
    assert (absence.start, absence.end) == (at(1, 0), at(4, 0))
    assert "Thank you for telling the circle." in response.text
    assert "From Friday 1 May to the end of Sunday 3 May." in response.text
    assert "Friday breakfast" in response.text and "Sunday bedtime" in response.text
    assert released_because(ReleaseReason.ABSENCE, friday, sunday)
    assert still_held(thursday, monday)
    assert "Holiday" in client.get(reverse("carer:off")).text


def test_a_backwards_range_is_refused_plainly_and_changes_nothing(client, story):
    place(planned_visit(story.tom, at(1, 8)), story.ben)
    client.force_login(story.ben)
    with nothing_changes():
        response = client.post(
            reverse("carer:off"),
            {"kind": "holiday", "first_day": "2026-05-03", "last_day": "2026-05-01"},
        )

    assert response.status_code == 200
    assert "The last day can&#x27;t be before the first day." in response.text


def test_a_range_in_the_past_is_refused(client, story):
    client.force_login(story.ben)

    response = client.post(
        reverse("carer:off"),
        {"kind": "training", "first_day": "2026-04-20", "last_day": "2026-04-21"},
    )

    assert "The first day can&#x27;t be in the past." in response.text
    assert not Absence.objects.exists()


def test_nonsense_is_refused_field_by_field(client, story):
    client.force_login(story.ben)

    response = client.post(
        reverse("carer:off"), {"kind": "party", "first_day": "soon", "last_day": ""}
    )

    assert response.status_code == 200
    assert response.text.count('class="errorlist"') == 3
    assert not Absence.objects.exists()


def test_sending_the_same_days_off_twice_records_them_once(client, story):
    client.force_login(story.ben)
    days = {"kind": "holiday", "first_day": "2026-05-01", "last_day": "2026-05-03"}
    client.post(reverse("carer:off"), days)

    again = client.post(reverse("carer:off"), days, follow=True)

    assert "You have already told the circle about this time off." in again.text
    assert Absence.objects.filter(carer=story.ben).count() == 1

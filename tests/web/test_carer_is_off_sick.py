"""Ana wakes up ill at noon: two taps (“I'm off”, “I'm sick today”) and the rest of today's
visits go to the circle for cover; the page lists them. Tomorrow's stay hers."""

from django.urls import reverse

from rota.models import Absence, AbsenceKind, HelpRequest, ReleaseReason
from tests.outcomes import released_because, still_held
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit


def test_sick_today_releases_the_rest_of_todays_visits_and_lists_them(client, story):
    this_morning = place(
        planned_visit(story.gwen, at(29, 8, month=4), title="Gwen's breakfast"), story.ana
    )
    teatime = place(planned_visit(story.gwen, at(29, 16, month=4), title="Gwen's tea"), story.ana)
    bedtime = place(planned_visit(story.tom, at(29, 21, month=4), title="Tom's bedtime"), story.ana)
    tomorrow = place(
        planned_visit(story.tom, at(30, 8, month=4), title="Tom's breakfast"), story.ana
    )
    client.force_login(story.ana)

    my_shifts = client.get(reverse("carer:my_shifts")).text
    assert reverse("carer:off") in my_shifts
    off_page = client.get(reverse("carer:off")).text
    assert reverse("carer:sick_today") in off_page

    response = client.post(reverse("carer:sick_today"), follow=True)

    absence = Absence.objects.get(carer=story.ana)
    assert absence.kind == AbsenceKind.SICK
    assert (absence.start, absence.end) == (WEDNESDAY_NOON, at(30, 0, month=4))
    assert response.redirect_chain[-1][0] == reverse("carer:absence", args=[absence.pk])
    assert "Get well soon." in response.text
    assert "From Wednesday 29 April, 12:00 to the end of Wednesday 29 April." in response.text
    assert "Gwen&#x27;s tea" in response.text and "Tom&#x27;s bedtime" in response.text
    assert "Tom&#x27;s breakfast" not in response.text
    assert "Gwen&#x27;s breakfast" not in response.text
    assert released_because(ReleaseReason.ABSENCE, teatime, bedtime)
    assert still_held(this_morning, tomorrow)
    client.force_login(story.ben)
    assert "Gwen&#x27;s tea" in client.get(reverse("carer:needs_cover")).text


def test_a_visit_under_way_goes_to_the_circle_as_a_call_for_help(client, story):
    place(planned_visit(story.gwen, at(29, 11, 30, month=4), title="Gwen's morning"), story.ana)
    client.force_login(story.ana)

    response = client.post(reverse("carer:sick_today"), follow=True)

    assert "It had already started, so the circle was asked for help now." in response.text
    assert HelpRequest.objects.filter(client=story.gwen).exists()


def test_a_second_tap_does_not_record_it_twice(client, story):
    client.force_login(story.ana)
    client.post(reverse("carer:sick_today"))

    again = client.post(reverse("carer:sick_today"), follow=True)

    assert "You have already told the circle you are off sick today." in again.text
    assert Absence.objects.filter(carer=story.ana).count() == 1


def test_nothing_to_release_says_so(client, story):
    client.force_login(story.ana)

    response = client.post(reverse("carer:sick_today"), follow=True)

    assert "None: you had no visits in that time." in response.text

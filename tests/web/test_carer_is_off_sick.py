"""Ana wakes up ill at noon: “I'm off”, “I'm sick today”, and the page asks first, listing
the visits that will go to the circle; “Yes, I'm sick today” releases the rest of today's.
Tomorrow's stay hers. Feeling better later, “I'm better” gives back those nobody took."""

import time_machine
from django.urls import reverse

from rota.models import Absence, AbsenceKind, HelpRequest, ReleaseReason
from tests.outcomes import holders, nothing_changes, released_because, still_held
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit
from tests.web.pages import words


def test_sick_today_asks_first_listing_the_visits_it_will_release(client, story):
    place(planned_visit(story.gwen, at(29, 8, month=4), title="Gwen's breakfast"), story.ana)
    place(planned_visit(story.gwen, at(29, 16, month=4), title="Gwen's tea"), story.ana)
    place(planned_visit(story.tom, at(30, 8, month=4), title="Tom's breakfast"), story.ana)
    client.force_login(story.ana)

    with nothing_changes():
        asked = words(client.get(reverse("carer:sick_today")).text)

    assert "This visit will go to the circle for cover: 16:00–17:00 Gwen (Gwen's tea)" in asked
    assert "breakfast" not in asked
    assert "Yes, I'm sick today" in asked and "No, go back" in asked


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


def test_im_better_gives_back_the_visits_nobody_took(client, story):
    teatime = place(planned_visit(story.gwen, at(29, 16, month=4), title="Gwen's tea"), story.ana)
    bedtime = place(planned_visit(story.tom, at(29, 21, month=4), title="Tom's bedtime"), story.ana)
    client.force_login(story.ana)
    client.post(reverse("carer:sick_today"))
    absence = Absence.objects.get(carer=story.ana)
    client.force_login(story.ben)
    client.post(reverse("carer:take", args=[bedtime.shift.pk]))
    client.force_login(story.ana)

    with time_machine.travel(at(29, 14, month=4), tick=False):
        before = words(client.get(reverse("carer:absence", args=[absence.pk])).text)
        assert "I'm better" in before
        response = client.post(reverse("carer:better", args=[absence.pk]), follow=True)
        page = words(response.text)

    assert "Welcome back." in page
    assert holders(teatime.shift) == [story.ana] and holders(bedtime.shift) == [story.ben]
    assert "16:00–17:00 Gwen Gwen's tea Yours again" in page
    assert "21:00–22:00 Tom Tom's bedtime This visit has just been taken" in page
    assert "I'm better" not in page
    absence.refresh_from_db()
    assert absence.end == at(29, 14, month=4)


def test_better_a_second_time_is_told_plainly(client, story):
    client.force_login(story.ana)
    client.post(reverse("carer:sick_today"))
    absence = Absence.objects.get(carer=story.ana)
    with time_machine.travel(at(29, 14, month=4), tick=False):
        client.post(reverse("carer:better", args=[absence.pk]))
        with nothing_changes():
            again = client.post(reverse("carer:better", args=[absence.pk]), follow=True)

    assert "This time off is already over." in again.text

"""Cover at short notice on the circle page: Ben could not make Gwen's breakfast on Tuesday,
and Ana took it on the evening before; Rhian sees that on Treforest's page and thanks Ana
there in a line. A visit picked up days ahead, one swapped and one Ana then missed are not
short notice; a call for help answered is. Owain, who leads another circle only, sees none."""

from datetime import timedelta

import pytest
from django.urls import reverse

from circles.fairness import covered_at_short_notice
from rota.models import HelpRequest, ReleaseReason, Thanks
from tests.outcomes import nothing_changes
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit, team_leader, visit, visited
from tests.web.pages import words


def handed_on(shift, giver, taker, *, before):
    """`giver` held the place on `shift` until `before` the visit, and `taker` took it then."""
    moment = shift.start - before
    place(
        shift,
        giver,
        created_at=moment - timedelta(days=7),
        released_at=moment,
        release_reason=ReleaseReason.OFFER_TAKEN,
    )
    return place(shift, taker, created_at=moment)


@pytest.fixture
def tuesday(story):
    """Ana's Tuesday breakfast with Gwen, taken from Ben at 20:00 the evening before."""
    shift = planned_visit(story.gwen, at(28, 9, month=4), title="Breakfast")
    anas = handed_on(shift, story.ben, story.ana, before=timedelta(hours=13))
    visited(anas, shift.start, shift.end)
    return anas


def test_a_visit_picked_up_the_evening_before_is_short_notice_and_others_are_not(story, tuesday):
    monday = planned_visit(story.gwen, at(27, 9, month=4), title="Breakfast")
    handed_on(monday, story.ben, story.ana, before=timedelta(days=3))  # days ahead
    sunday = planned_visit(story.gwen, at(26, 9, month=4), title="Breakfast")
    missed_it = handed_on(sunday, story.ben, story.cat, before=timedelta(hours=2))
    missed_it.missed = True
    missed_it.save()
    help_call = visit(story.gwen, at(25, 15, month=4))  # a call for help: no plan
    place(help_call, story.cat, created_at=help_call.start)
    HelpRequest.objects.create(client=story.gwen, shift=help_call, raised_by=story.sian)

    listed = covered_at_short_notice(
        story.circle, WEDNESDAY_NOON - timedelta(days=14), WEDNESDAY_NOON
    )

    assert [(p.carer, p.shift) for p in listed] == [
        (story.cat, help_call),
        (story.ana, tuesday.shift),
    ]


def test_rhian_thanks_ana_on_the_circle_page_and_is_not_offered_it_twice(client, story, tuesday):
    client.force_login(story.rhian)
    page = client.get(reverse("leaders:circle", args=[story.circle.pk]))
    text = words(page.text)
    assert "Covered at short notice, last 14 days" in text
    assert "Ana Price: Gwen, Tue 28 Apr, 09:00" in text
    assert f'id="thank-{tuesday.pk}"' in page.text

    sent = client.post(
        reverse("leaders:thank", args=[tuesday.pk]),
        {"message": "Thank you for stepping in last night.", "from": "circle"},
        follow=True,
    )

    [thanks] = Thanks.objects.all()
    assert (thanks.author, thanks.assignment) == (story.rhian, tuesday)
    assert sent.redirect_chain[-1][0].endswith(
        reverse("leaders:circle", args=[story.circle.pk]) + "#short-notice"
    )
    text = words(sent.text)
    assert "Sent: Ana Price will see your thanks." in text
    assert "You thanked Ana for this visit." in text
    assert f'id="thank-{tuesday.pk}"' not in sent.text


def test_a_leader_of_another_circle_can_not_thank_for_it(client, story, tuesday):
    elsewhere = team_leader(story.pontypridd, full_name="Mair Owen")
    client.force_login(elsewhere)
    with nothing_changes():
        answer = client.post(
            reverse("leaders:thank", args=[tuesday.pk]), {"message": "Hi", "from": "circle"}
        )
    assert answer.status_code == 404


def test_with_nobody_stepping_in_the_page_says_so(client, story):
    client.force_login(story.rhian)
    page = client.get(reverse("leaders:circle", args=[story.circle.pk]))
    assert "Nobody has needed to step in at short notice lately." in words(page.text)

"""Ana is leaving Treforest. On the circle's page Rhian, its team leader, opens "Leaving the
circle" beside Ana's name, chooses the first day Ana no longer visits, and sees, before
anything changes, which of Ana's visits will need cover: exactly those the service then
releases. Only "Confirm" ends it; Rhian reads what happened and Ana hears it once, spoken to.
A day already past, a carer who has left, someone who is not a carer of Treforest, or a
second confirm are told in plain words and change nothing; another circle's leader gets 404."""

from datetime import date

import pytest
from django.urls import reverse

from circles.fanout import tell_people
from circles.models import Membership, Notification, NotificationKind, Role
from rota.models import Assignment, AuditEvent, ReleaseReason
from tests.outcomes import nothing_changes
from tests.stories import MONDAY_MORNING, at, place, planned_visit, team_leader
from tests.web.pages import words

pytestmark = pytest.mark.now(MONDAY_MORNING)

MONDAY_11 = date(2026, 5, 11)


@pytest.fixture
def anas_visits(story):
    """Ana's places: one done this morning, one later today, Friday's, and the two from
    Monday 11 May on; Ben's Monday visit is his."""
    return {
        "done": place(planned_visit(story.gwen, at(4, 8)), story.ana),
        "today": place(planned_visit(story.tom, at(4, 14)), story.ana),
        "friday": place(planned_visit(story.gwen, at(8, 8)), story.ana),
        "monday": place(planned_visit(story.gwen, at(11, 8), title="Breakfast"), story.ana),
        "tuesday": place(
            planned_visit(story.tom, at(12, 10), title="Tablets", essential=True), story.ana
        ),
        "bens": place(planned_visit(story.tom, at(11, 8)), story.ben),
    }


def leaving_url(story, carer=None, circle=None) -> str:
    circle = circle or story.circle
    return reverse("leaders:leaving", args=[circle.pk, (carer or story.ana).pk])


def anas_membership(story) -> Membership:
    return Membership.objects.get(circle=story.circle, person=story.ana, role=Role.CARER)


def test_the_circle_page_offers_each_carer_leaving(client, story):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:circle", args=[story.circle.pk])).content.decode()

    for carer in (story.ana, story.ben, story.cat):
        assert f'href="{leaving_url(story, carer)}"' in page
    assert 'Leaving the circle<span class="visually-hidden">: Ana Price</span>' in page
    assert "Eli Thomas" not in page


def test_the_page_asks_the_first_day_they_no_longer_visit_today_first(client, story):
    client.force_login(story.rhian)

    with nothing_changes():
        response = client.get(leaving_url(story))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ana Price leaving Treforest" in words(page)
    assert "First day they no longer visit" in page
    assert 'type="date"' in page and 'value="2026-05-04"' in page
    assert "Confirm" not in page


def test_the_preview_lists_exactly_what_confirming_then_releases(client, story, anas_visits):
    client.force_login(story.rhian)

    with nothing_changes():
        preview = client.get(leaving_url(story), {"day": "2026-05-11"})

    said = words(preview.content.decode())
    assert "2 visits will need cover" in said
    assert "Mon 11 May, 08:00–09:00 · Gwen (Breakfast)" in said
    assert "Tue 12 May, 10:00–11:00 · Tom (Tablets) Essential" in said
    assert "Fri 8 May" not in said
    assert "Confirm: Ana leaves on Mon 11 May" in said
    shown = {p.pk for p in preview.context["places"]}

    done = client.post(leaving_url(story), {"day": "2026-05-11"}, follow=True)

    released = set(
        Assignment.objects.filter(release_reason=ReleaseReason.LEFT_CIRCLE).values_list(
            "pk", flat=True
        )
    )
    assert released == shown == {anas_visits["monday"].pk, anas_visits["tuesday"].pk}
    held = Assignment.objects.filter(released_at__isnull=True).values_list("pk", flat=True)
    assert set(held) == {anas_visits[k].pk for k in ("done", "today", "friday", "bens")}
    assert anas_membership(story).ended_on == MONDAY_11
    assert done.redirect_chain == [(reverse("leaders:circle", args=[story.circle.pk]), 302)]
    assert (
        "Ana leaves Treforest on Mon 11 May. 2 visits need cover; the circle has been told."
        in words(done.content.decode())
    )
    assert "Leaves on Mon 11 May" in words(done.content.decode())


def test_leaving_today_releases_what_is_still_to_come_today(client, story, anas_visits):
    client.force_login(story.rhian)

    preview = client.get(leaving_url(story), {"day": "2026-05-04"})
    shown = {p.pk for p in preview.context["places"]}
    client.post(leaving_url(story), {"day": "2026-05-04"})

    later = {anas_visits[k].pk for k in ("today", "friday", "monday", "tuesday")}
    assert shown == later
    released = Assignment.objects.filter(release_reason=ReleaseReason.LEFT_CIRCLE)
    assert set(released.values_list("pk", flat=True)) == later


def test_ana_hears_once_that_she_leaves(client, story, anas_visits):
    client.force_login(story.rhian)
    client.post(leaving_url(story), {"day": "2026-05-11"})
    event = AuditEvent.objects.get(action="end_membership")

    tell_people(event.pk)
    tell_people(event.pk)

    [told] = Notification.objects.filter(person=story.ana)
    assert told.kind == NotificationKind.SHIFT_CHANGED
    assert told.title == "You leave Treforest on Mon 11 May"
    assert told.body == "Your visits from then go to the circle. Thank you for all you have done."
    assert told.link == reverse("carer:my_shifts")
    # Gwen's family hear who will not come; the other carers are asked to cover.
    assert Notification.objects.filter(person=story.sian).exists()
    assert Notification.objects.filter(person=story.cat, kind=NotificationKind.NEEDS_COVER)


def test_ana_hears_even_when_nothing_is_released(client, story):
    client.force_login(story.rhian)
    done = client.post(leaving_url(story), {"day": "2026-05-11"}, follow=True)

    tell_people(AuditEvent.objects.get(action="end_membership").pk)

    assert "Ana leaves Treforest on Mon 11 May. They had no visits from that day." in words(
        done.content.decode()
    )
    assert Notification.objects.get(person=story.ana).title == "You leave Treforest on Mon 11 May"


def test_a_day_already_past_is_refused_in_plain_words(client, story, anas_visits):
    client.force_login(story.rhian)

    with nothing_changes():
        preview = client.get(leaving_url(story), {"day": "2026-05-01"})
        confirm = client.post(leaving_url(story), {"day": "2026-05-01"})

    for response in (preview, confirm):
        assert response.status_code == 400
        said = words(response.content.decode())
        assert "Choose today or a later day: a day already past can't change." in said
        assert "Confirm" not in said
    assert anas_membership(story).ended_on is None


def test_a_day_that_is_not_a_day_is_refused(client, story):
    client.force_login(story.rhian)

    with nothing_changes():
        response = client.post(leaving_url(story), {"day": "next week"})

    assert response.status_code == 400
    assert "Enter a valid date." in words(response.content.decode())


def test_a_carer_who_has_left_is_said_so(client, story, anas_visits):
    membership = anas_membership(story)
    membership.started_on, membership.ended_on = date(2026, 1, 5), date(2026, 5, 1)
    membership.save()
    client.force_login(story.rhian)

    with nothing_changes():
        page = client.get(leaving_url(story))
        confirm = client.post(leaving_url(story), {"day": "2026-05-11"})

    for response in (page, confirm):
        said = words(response.content.decode())
        assert "Ana Price left Treforest on Fri 1 May 2026. There is nothing to change." in said
        assert "Confirm" not in said


def test_a_second_confirm_changes_nothing_and_says_why(client, story, anas_visits):
    client.force_login(story.rhian)
    client.post(leaving_url(story), {"day": "2026-05-11"})

    with nothing_changes():
        again = client.post(leaving_url(story), {"day": "2026-05-11"})

    assert again.status_code == 400
    assert "Ana Price already leaves Treforest on Mon 11 May." in words(again.content.decode())
    assert AuditEvent.objects.filter(action="end_membership").count() == 1


def test_an_earlier_day_than_the_one_arranged_brings_it_forward(client, story, anas_visits):
    client.force_login(story.rhian)
    client.post(leaving_url(story), {"day": "2026-05-12"})

    page = client.get(leaving_url(story), {"day": "2026-05-11"})
    assert "Ana already leaves on Tue 12 May. You can choose an earlier day." in words(
        page.content.decode()
    )
    assert {p.pk for p in page.context["places"]} == {anas_visits["monday"].pk}
    client.post(leaving_url(story), {"day": "2026-05-11"})

    assert anas_membership(story).ended_on == MONDAY_11
    released = Assignment.objects.filter(release_reason=ReleaseReason.LEFT_CIRCLE)
    assert set(released.values_list("pk", flat=True)) == {
        anas_visits["monday"].pk,
        anas_visits["tuesday"].pk,
    }


def test_someone_not_a_carer_of_the_circle_is_said_so_without_a_name(client, story):
    client.force_login(story.rhian)

    for someone in (story.eli, story.sian, story.owain):
        with nothing_changes():
            page = client.get(leaving_url(story, someone))
            confirm = client.post(leaving_url(story, someone), {"day": "2026-05-11"})
        for response in (page, confirm):
            assert response.status_code == 404
            said = words(response.content.decode())
            assert (
                "This person is not a carer of Treforest, so there is nothing to end here." in said
            )
            assert someone.full_name not in said


def test_a_leader_of_another_circle_gets_404(client, story, anas_visits):
    pontypridds_leader = team_leader(story.pontypridd, full_name="Dai Jones")
    client.force_login(pontypridds_leader)

    with nothing_changes():
        page = client.get(leaving_url(story), {"day": "2026-05-11"})
        confirm = client.post(leaving_url(story), {"day": "2026-05-11"})

    assert page.status_code == confirm.status_code == 404
    assert "Ana" not in page.content.decode()

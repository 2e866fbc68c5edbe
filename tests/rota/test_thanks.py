"""After a visit, Gwen, whoever speaks for her, a fellow carer or a team leader of Treforest can
thank Ana in a line; Ana hears it once, and only she sees it until she lets the circle see it.
Ana can't thank herself, Pontypridd's and Hillside's people can't thank her, and nobody can
thank her for a visit still to come or one she didn't come to: each is told why, in words, and
nothing is written."""

import pytest
from django.urls import reverse

from circles import trail
from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from rota import services
from rota.models import LINE_LIMIT, Action, AuditEvent, Thanks
from rota.rules import Refused
from tests.stories import WEDNESDAY_NOON, at, missed, place, planned_visit, visited

pytestmark = pytest.mark.django_db


@pytest.fixture
def anas_visit(story):
    """Ana's visit to Gwen yesterday, Tuesday 28 April, 09:00 to 10:00: she came and left."""
    shift = planned_visit(story.gwen, at(28, 9, month=4))
    anas = place(shift, story.ana)
    visited(anas, shift.start, shift.end)
    return anas


def refused(code: str, change) -> Refused:
    with pytest.raises(Refused) as caught:
        change()
    assert caught.value.code == code, caught.value.message
    return caught.value


def nothing_written() -> None:
    assert not Thanks.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.THANK).exists()


@pytest.mark.parametrize("who", ["gwen_herself", "rhys", "sian", "ben", "rhian", "nerys"])
def test_the_client_their_people_a_colleague_and_a_leader_may_thank(story, anas_visit, who):
    # Nerys is Valleys Care's coordinator: she leads all its circles.
    author = getattr(story, who)

    thanks = services.thank(anas_visit, "  Thank you for the Welsh cakes!  ", actor=author)

    assert thanks.message == "Thank you for the Welsh cakes!"
    assert (thanks.author, thanks.assignment, thanks.shared) == (author, anas_visit, False)
    [event] = AuditEvent.objects.filter(action=Action.THANK)
    assert (event.actor_id, event.carer_ids, event.subject_id) == (
        author.pk,
        [story.ana.pk],
        thanks.pk,
    )
    assert event.circle_id == story.circle.pk and event.client_id == story.gwen.pk


def test_ana_can_not_thank_herself(story, anas_visit):
    refusal = refused("own_visit", lambda: services.thank(anas_visit, "Me!", actor=story.ana))
    assert refusal.message == "You can't thank yourself for your own visit."
    nothing_written()


@pytest.mark.parametrize("who", ["eli", "hywel", "bryn"])
def test_other_circles_people_can_not_thank_her(story, anas_visit, who):
    change = lambda: services.thank(anas_visit, "Thanks", actor=getattr(story, who))  # noqa: E731
    assert refused("not_allowed", change).message == "You can't make this change for someone else."
    nothing_written()


def test_a_visit_still_to_come_is_not_thanked_for(story):
    tomorrows = place(planned_visit(story.gwen, at(30, 9, month=4)), story.ana)
    refusal = refused("to_come", lambda: services.thank(tomorrows, "Thanks", actor=story.sian))
    assert refusal.message == "You can say thank you once the visit has begun."
    nothing_written()


def test_a_visit_under_way_may_be_thanked_for(story):
    now = place(planned_visit(story.gwen, WEDNESDAY_NOON), story.ana)
    assert services.thank(now, "Lovely to see you", actor=story.sian).assignment == now


def test_a_missed_visit_is_not_thanked_for(story):
    shift = planned_visit(story.gwen, at(28, 9, month=4))
    anas = place(shift, story.ana)
    missed(shift)
    refusal = refused("missed", lambda: services.thank(anas, "Thanks", actor=story.sian))
    assert refusal.message == "Ana Price didn't come to this visit."
    nothing_written()


@pytest.mark.parametrize(
    ("message", "code", "words"),
    [
        ("   ", "empty", "Write a few words of thanks first."),
        ("x" * (LINE_LIMIT + 1), "too_long", "Keep your thanks to 200 characters or fewer."),
    ],
)
def test_an_empty_or_too_long_line_is_refused(story, anas_visit, message, code, words):
    change = lambda: services.thank(anas_visit, message, actor=story.sian)  # noqa: E731
    assert refused(code, change).message == words
    nothing_written()


def test_the_same_person_thanks_for_a_visit_once(story, anas_visit):
    services.thank(anas_visit, "Thank you", actor=story.sian)
    change = lambda: services.thank(anas_visit, "Thanks again", actor=story.sian)  # noqa: E731
    assert refused("already_thanked", change).message == (
        "You have already thanked Ana Price for this visit."
    )
    assert Thanks.objects.count() == 1
    services.thank(anas_visit, "Diolch", actor=story.rhys)
    assert Thanks.objects.count() == 2


def test_ana_hears_once_in_the_words_said_and_nobody_else_does(story, anas_visit):
    services.thank(anas_visit, "Mam loved the walk.", actor=story.sian)
    event = AuditEvent.objects.get(action=Action.THANK)

    assert tell_people(event.pk) == 1
    tell_people(event.pk)  # a follow-up run twice tells nobody twice

    [message] = Notification.objects.all()
    assert message.person == story.ana
    assert message.kind == NotificationKind.THANKED
    assert message.title == "Sian thanked you for your visit to Gwen on Tue 28 Apr 09:00"
    assert message.body.startswith("“Mam loved the walk.”")
    assert message.link.startswith(reverse("carer:thanks"))


def test_the_trail_says_who_thanked_whom_but_not_the_words(story, anas_visit):
    services.thank(anas_visit, "A private word", actor=story.sian)
    [line] = trail.describe(AuditEvent.objects.filter(action=Action.THANK))
    assert line.sentence == "Sian Davies thanked Ana Price for Gwen's 09:00 visit on Tue 28 Apr."
    assert "private" not in line.sentence


def test_only_ana_chooses_whether_the_circle_sees_it(story, anas_visit):
    thanks = services.thank(anas_visit, "Thank you", actor=story.sian)
    for other in (story.ben, story.sian, story.rhian):
        change = lambda other=other: services.share_thanks(thanks, True, actor=other)  # noqa: E731
        refused("not_allowed", change)
    thanks.refresh_from_db()
    assert thanks.shared is False

    services.share_thanks(thanks, True, actor=story.ana)
    thanks.refresh_from_db()
    assert thanks.shared is True
    services.share_thanks(thanks, True, actor=story.ana)  # already so: nothing more recorded
    [event] = AuditEvent.objects.filter(action=Action.SHARE_THANKS)
    assert event.after["shared"] is True
    [line] = trail.describe([event])
    assert line.sentence == (
        "Ana Price let the circle see a thank-you for Gwen's 09:00 visit on Tue 28 Apr."
    )

    services.share_thanks(thanks, False, actor=story.ana)
    thanks.refresh_from_db()
    assert thanks.shared is False

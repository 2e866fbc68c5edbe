"""Gwen meets at most two carers new to her in a month, and asked to be asked first about any
more. Ffion, a third, asks to take her visit: nothing is taken, Gwen is asked (once, however
often Ffion taps), and Ffion is told so. Gwen's yes puts Ffion on the visit, counted as the
month's third new face; her no leaves it open; a yes after the place was taken lapses and
says so; only Gwen and Rhys (who decides for her) answer. A swap into her visit waits for
her answer the same way, and a question about a visit that has started lapses."""

import pytest
from django.utils import timezone

from circles import trail
from circles.fanout import tell_people
from circles.models import Notification
from people.models import NewFaces
from rota import lapse, services
from rota.familiarity import new_faces_this_month
from rota.models import (
    AbsenceKind,
    Action,
    AuditEvent,
    NewFaceRequest,
    NewFaceStatus,
    Swap,
    SwapStatus,
)
from rota.rules import AskedFirst, Refused, Rule
from tests.outcomes import broken, database_refuses, holders
from tests.stories import MONDAY_MORNING, at, place, planned_visit, third_new_face

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

ASKED = (
    "Gwen asked to be asked first about carers new to them this month. We've asked them; "
    "you'll hear as soon as they answer."
)


@pytest.fixture
def ffion(story):
    return third_new_face(story)


@pytest.fixture
def visit(story):
    return planned_visit(story.gwen, at(8, 8))


def asks(visit, ffion) -> NewFaceRequest:
    with pytest.raises(AskedFirst) as asked:
        services.claim(visit, ffion, actor=ffion)
    assert asked.value.messages == [ASKED]
    return asked.value.request


def told(person) -> list[str]:
    return [n.title for n in Notification.objects.filter(person=person).order_by("pk")]


def announce(action: Action) -> None:
    for event in AuditEvent.objects.filter(action=action):
        tell_people(event.pk)
        tell_people(event.pk)  # a follow-up run twice tells nobody twice


def test_refused_past_the_limit_when_gwen_chose_refuse(story, ffion, visit):
    services.set_new_face_limit(story.gwen, 2, past_limit=NewFaces.REFUSE, actor=story.rhys)

    with broken(Rule.NEW_FACE):
        services.claim(visit, ffion, actor=ffion)

    assert not NewFaceRequest.objects.exists()


def test_asking_to_take_it_asks_gwen_once_and_takes_nothing(story, ffion, visit):
    request = asks(visit, ffion)
    again = asks(visit, ffion)

    assert again == request
    assert (request.shift, request.carer, request.status) == (visit, ffion, NewFaceStatus.ASKED)
    assert holders(visit) == []
    [event] = AuditEvent.objects.filter(action=Action.ASK_NEW_FACE)
    assert (event.actor_id, event.carer_ids, event.client_id) == (
        ffion.pk,
        [ffion.pk],
        story.gwen.pk,
    )
    (line,) = trail.describe([event])
    assert line.sentence == (
        "Gwen was asked about Ffion Lloyd, new to them, taking Gwen's 08:00 visit on Fri 8 May."
    )

    announce(Action.ASK_NEW_FACE)

    # Gwen is spoken to; Rhys and Sian (her daughter) hear of Gwen; each once.
    assert told(story.gwen_herself) == [
        "Ffion, new to you, would like to visit you on Fri 8 May 08:00"
    ]
    for speaker in (story.rhys, story.sian):
        assert told(speaker) == ["Ffion, new to Gwen, would like to visit on Fri 8 May 08:00"]
    [message] = Notification.objects.filter(person=story.rhys)
    assert message.link == f"/family/{story.gwen.pk}/new-faces/asked/"
    assert told(ffion) == []


def test_the_database_holds_one_open_question_per_visit_and_carer(ffion, visit):
    asks(visit, ffion)

    with database_refuses("newfacerequest_one_open_per_shift_and_carer"):
        NewFaceRequest.objects.create(shift=visit, carer=ffion)


def test_her_yes_puts_ffion_on_the_visit_counted_as_a_third_new_face(story, ffion, visit):
    request = asks(visit, ffion)

    answered = services.approve_new_face(request, actor=story.gwen_herself)

    assert answered.status == NewFaceStatus.APPROVED
    assert (answered.decided_by, answered.decided_at) == (story.gwen_herself, timezone.now())
    assert holders(visit) == [ffion]
    assert new_faces_this_month([story.gwen], now=timezone.now())[story.gwen.pk] == 3
    [event] = AuditEvent.objects.filter(action=Action.APPROVE_NEW_FACE)
    (line,) = trail.describe([event])
    assert line.sentence == (
        "Gwen Davies said yes to Ffion Lloyd, new to Gwen, for Gwen's 08:00 visit on Fri 8 May."
    )

    announce(Action.ASK_NEW_FACE)
    announce(Action.APPROVE_NEW_FACE)

    assert told(ffion) == ["Gwen said yes: the visit on Fri 8 May 08:00 is yours"]
    # Gwen answered, so she hears nothing more; the others hear who is coming.
    assert len(told(story.gwen_herself)) == 1
    assert told(story.sian)[-1] == "Someone new is coming to Gwen: Ffion, on Fri 8 May 08:00"


def test_her_no_leaves_the_visit_open_and_ffion_hears_it_once(story, ffion, visit):
    request = asks(visit, ffion)

    answered = services.decline_new_face(request, actor=story.rhys)

    assert answered.status == NewFaceStatus.DECLINED
    assert holders(visit) == []
    [event] = AuditEvent.objects.filter(action=Action.DECLINE_NEW_FACE)
    assert event.actor_id == story.rhys.pk
    (line,) = trail.describe([event])
    assert line.sentence == (
        "Rhys Davies said no to Ffion Lloyd, new to Gwen, for Gwen's 08:00 visit on Fri 8 May."
    )

    announce(Action.DECLINE_NEW_FACE)

    assert told(ffion) == [
        "Gwen would rather have someone familiar for the visit on Fri 8 May 08:00"
    ]
    with pytest.raises(Refused) as twice:
        services.approve_new_face(request, actor=story.rhys)
    assert twice.value.code == "already_answered"


def test_a_yes_after_the_place_was_taken_lapses_and_says_so(story, ffion, visit):
    request = asks(visit, ffion)
    place(planned_visit(story.gwen, at(20, 8, month=4)), story.ana)  # Ana is no new face
    services.claim(visit, story.ana, actor=story.ana)

    answered = services.approve_new_face(request, actor=story.rhys)

    assert answered.status == NewFaceStatus.LAPSED
    assert answered.closed_reason == "Someone else took the visit meanwhile."
    assert holders(visit) == [story.ana]

    announce(Action.APPROVE_NEW_FACE)

    [message] = Notification.objects.filter(person=ffion)
    assert message.title == "Gwen said yes, but the visit on Fri 8 May 08:00 can't be yours"
    assert message.body == "Someone else took the visit meanwhile."


def test_a_yes_after_ffion_booked_time_off_lapses_in_words_for_each(story, ffion, visit):
    request = asks(visit, ffion)
    services.record_absence(ffion, AbsenceKind.HOLIDAY, at(8, 0), at(9, 0), actor=ffion)

    answered = services.approve_new_face(request, actor=story.rhys)

    assert answered.status == NewFaceStatus.LAPSED
    # Rhys reads it about Ffion; Ffion hears the rule's own words, spoken to her.
    assert answered.closed_reason == "Ffion can no longer take it."
    assert holders(visit) == []
    [event] = AuditEvent.objects.filter(action=Action.APPROVE_NEW_FACE)
    (line,) = trail.describe([event])
    assert line.sentence.endswith("but it could not be theirs: Ffion Lloyd can no longer take it.")
    announce(Action.APPROVE_NEW_FACE)
    [message] = Notification.objects.filter(person=ffion)
    assert message.body.startswith("You are off (holiday) from Fri 8 May 00:00")


def test_a_yes_takes_a_place_its_holder_is_giving_away(story, ffion, visit):
    offered = services.offer(place(visit, story.ana), actor=story.ana)
    with pytest.raises(AskedFirst) as asked:
        services.take_offer(offered, ffion, actor=ffion)

    services.approve_new_face(asked.value.request, actor=story.rhys)

    assert holders(visit) == [ffion]
    announce(Action.APPROVE_NEW_FACE)
    assert told(story.ana) == ["Ffion took your visit to Gwen on Fri 8 May 08:00"]


# Sian (family: she may suggest, not decide), Ffion herself, Gwen's carer Ana, her team
# leader Rhian, and a carer elsewhere.
@pytest.mark.parametrize("who", ["sian", "ana", "rhian", "hywel"])
def test_only_gwen_and_rhys_answer(story, ffion, visit, who):
    request = asks(visit, ffion)

    for answer in (services.approve_new_face, services.decline_new_face):
        with pytest.raises(Refused) as refusal:
            answer(request, actor=getattr(story, who))
        assert refusal.value.code == "not_allowed"

    request.refresh_from_db()
    assert request.status == NewFaceStatus.ASKED
    assert holders(visit) == []
    assert not AuditEvent.objects.filter(
        action__in=[Action.APPROVE_NEW_FACE, Action.DECLINE_NEW_FACE]
    ).exists()


def test_ffion_can_not_answer_for_gwen(story, ffion, visit):
    request = asks(visit, ffion)

    with pytest.raises(Refused) as refusal:
        services.approve_new_face(request, actor=ffion)

    assert refusal.value.code == "not_allowed"


def test_a_question_about_a_visit_that_has_started_lapses(story, ffion, visit, time_machine):
    request = asks(visit, ffion)

    time_machine.move_to(visit.start)
    assert lapse.lapse_started() == 1

    request.refresh_from_db()
    assert (request.status, request.closed_reason) == (
        NewFaceStatus.LAPSED,
        "The visit has started.",
    )
    with pytest.raises(Refused) as refusal:
        services.approve_new_face(request, actor=story.rhys)
    assert refusal.value.code == "already_answered"


def test_a_client_nobody_answers_for_is_refused_as_before(story):
    services.set_new_face_limit(story.tom, 0, past_limit=NewFaces.ASK_FIRST, actor=story.rhian)
    visit = planned_visit(story.tom, at(8, 8))

    with broken(Rule.NEW_FACE):
        services.claim(visit, story.ana, actor=story.ana)

    assert not NewFaceRequest.objects.exists()


# Swapping into her visit


@pytest.fixture
def swap(story, ffion, visit):
    """Ana, whom Gwen knows, holds Gwen's Friday visit; Ffion proposes her Saturday visit to
    Tom in exchange. Nothing changes hands until Ana accepts."""
    place(planned_visit(story.gwen, at(20, 8, month=4)), story.ana)
    hers = place(visit, story.ana)
    theirs = place(planned_visit(story.tom, at(9, 8)), ffion)
    return services.propose_swap(theirs, hers, actor=ffion)


def test_a_swap_into_her_visit_waits_for_her_yes(story, ffion, visit, swap):
    with pytest.raises(AskedFirst) as asked:
        services.accept_swap(swap, actor=story.ana)

    request = asked.value.request
    assert (request.shift, request.carer, request.swap) == (visit, ffion, swap)
    assert holders(visit) == [story.ana]

    services.approve_new_face(request, actor=story.rhys)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    assert holders(visit) == [ffion]
    announce(Action.APPROVE_NEW_FACE)
    assert told(ffion) == ["Gwen said yes: the visit on Fri 8 May 08:00 is yours"]
    assert told(story.ana) == ["Gwen said yes: your swap with Ffion is done"]


def test_her_no_calls_the_swap_off(story, ffion, visit, swap):
    with pytest.raises(AskedFirst) as asked:
        services.accept_swap(swap, actor=story.ana)

    services.decline_new_face(asked.value.request, actor=story.rhys)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.CLOSED
    assert holders(visit) == [story.ana]
    announce(Action.DECLINE_NEW_FACE)
    title = "Gwen would rather have someone familiar for the visit on Fri 8 May 08:00"
    assert told(ffion) == told(story.ana) == [title]


def test_a_swap_withdrawn_meanwhile_lapses_the_question(story, ffion, visit, swap):
    with pytest.raises(AskedFirst) as asked:
        services.accept_swap(swap, actor=story.ana)
    services.withdraw_swap(Swap.objects.get(pk=swap.pk), actor=ffion)

    request = NewFaceRequest.objects.get(pk=asked.value.request.pk)
    assert request.status == NewFaceStatus.LAPSED
    assert holders(visit) == [story.ana]

"""Gwen meets at most two carers new to her in a month. A third is refused with the rule's
words, whether they claim her visit or swap into it; one she has said is welcome comes all
the same; a carer she knows is never counted; and June starts afresh. Gwen, Rhys (who
speaks for her) and her team leaders may set the limit; nobody else, and a nonsense limit
changes nothing."""

from datetime import UTC, date

import pytest

from circles.trail import describe
from people.models import CarerPreference, Client, NewFaces, Preference
from rota import rules, services
from rota.models import Action, AuditEvent
from rota.rules import Refused, Rule
from tests.factories import carer
from tests.outcomes import (
    broken,
    database_refuses,
    holders,
    refuses_a_value_outside_its_list,
)
from tests.stories import MONDAY_MORNING, at, place, planned_visit

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

TWO_ALREADY = "Gwen has asked to meet at most 2 new carers a month, and May has had 2 already."


@pytest.fixture
def newcomers(story):
    """Gwen asks for at most two new carers a month; Dai and Efa have each come (or are
    booked to come) to her for the first time in May, and Ffion has never been."""
    services.set_new_face_limit(story.gwen, 2, actor=story.rhys)
    dai, efa, ffion = (
        carer(story.circle, full_name=name) for name in ("Dai Owen", "Efa Bowen", "Ffion Lloyd")
    )
    place(planned_visit(story.gwen, at(1, 8)), dai)  # done, last Friday
    place(planned_visit(story.gwen, at(6, 8)), efa)  # booked for Wednesday
    return dai, efa, ffion


def test_a_third_new_carer_in_a_month_is_refused_with_the_rules_words(story, newcomers):
    _dai, _efa, ffion = newcomers
    visit = planned_visit(story.gwen, at(8, 8))

    with broken(Rule.NEW_FACE) as refusal:
        services.claim(visit, ffion, actor=ffion)

    assert refusal.value.messages == [TWO_ALREADY]
    assert holders(visit) == []


def test_swapping_into_her_visit_is_refused_too(story, newcomers):
    _dai, _efa, ffion = newcomers
    place(planned_visit(story.gwen, at(20, 8, month=4)), story.ana)  # Ana is no new face
    hers = place(planned_visit(story.gwen, at(8, 8)), story.ana)
    theirs = place(planned_visit(story.tom, at(9, 8)), ffion)

    with broken(Rule.NEW_FACE) as refusal:
        services.propose_swap(theirs, hers, actor=ffion)

    assert TWO_ALREADY in refusal.value.messages


def test_a_carer_she_said_is_welcome_comes_all_the_same(story, newcomers):
    _dai, _efa, ffion = newcomers
    services.approve_carer(story.gwen, ffion, actor=story.rhys)
    visit = planned_visit(story.gwen, at(8, 8))

    services.claim(visit, ffion, actor=ffion)

    assert holders(visit) == [ffion]


def test_a_carer_already_met_this_month_or_before_is_not_new(story, newcomers):
    dai, efa, _ffion = newcomers
    place(planned_visit(story.gwen, at(20, 8, month=4)), story.ana)

    for who, day in ((dai, 11), (efa, 12), (story.ana, 13)):
        visit = planned_visit(story.gwen, at(day, 8))
        services.claim(visit, who, actor=who)
        assert holders(visit) == [who]


def test_a_carer_she_prefers_is_never_counted(story, newcomers):
    _dai, _efa, ffion = newcomers
    CarerPreference.objects.create(
        client=story.gwen, carer=story.ben, preference=Preference.PREFERRED
    )
    services.claim(planned_visit(story.gwen, at(7, 8)), story.ben, actor=story.ben)

    # Ben is no third new face: with a limit of three Ffion would still be let in.
    services.set_new_face_limit(story.gwen, 3, actor=story.rhys)
    visit = planned_visit(story.gwen, at(8, 8))
    services.claim(visit, ffion, actor=ffion)
    assert holders(visit) == [ffion]


def test_june_starts_afresh(story, newcomers):
    _dai, _efa, ffion = newcomers
    june = planned_visit(story.gwen, at(1, 8, month=6))

    services.claim(june, ffion, actor=ffion)

    assert holders(june) == [ffion]
    # Taking a June visit does not make Ffion a face Gwen met in May.
    assert [v.rule for v in rules.check(ffion, planned_visit(story.gwen, at(28, 8)))] == [
        Rule.NEW_FACE
    ]


def test_the_month_is_gwens_own(story, newcomers):
    """Midnight at the end of May in London is still 31 May by UTC's clock: the visit
    belongs to June, where Gwen has met nobody new."""
    _dai, _efa, ffion = newcomers
    visit = planned_visit(story.gwen, at(1, 0, month=6))
    assert visit.start.astimezone(UTC).date() == date(2026, 5, 31)

    assert rules.check(ffion, visit) == []


def test_other_clients_are_not_held_to_it(story, newcomers):
    _dai, _efa, ffion = newcomers
    visit = planned_visit(story.tom, at(8, 8))

    services.claim(visit, ffion, actor=ffion)

    assert holders(visit) == [ffion]


def test_asked_first_the_words_say_she_will_be_asked(story, newcomers):
    """What Needs cover shows Ffion; asking to take it asks Gwen
    (tests/rota/test_new_face_asked_first.py)."""
    _dai, _efa, ffion = newcomers
    services.set_new_face_limit(story.gwen, 2, past_limit=NewFaces.ASK_FIRST, actor=story.rhys)
    visit = planned_visit(story.gwen, at(8, 8))

    [violation] = rules.check(ffion, visit)

    assert violation.message == (
        TWO_ALREADY + " Gwen would like to be asked first: ask to take it, and you'll hear as "
        "soon as they answer."
    )


def test_check_each_agrees_with_check(story, newcomers):
    dai, efa, ffion = newcomers
    visits = [planned_visit(story.gwen, at(day, 8)) for day in (8, 9)]
    visits.append(planned_visit(story.gwen, at(2, 8, month=6)))
    carers = [dai, efa, ffion, story.ana, story.ben]

    each = rules.check_each(carers, visits)

    for person in carers:
        for visit in visits:
            assert each[person.pk][visit.pk] == rules.check(person, visit), (person, visit)
    assert [v.rule for v in each[ffion.pk][visits[0].pk]] == [Rule.NEW_FACE]
    assert each[ffion.pk][visits[2].pk] == []


# Setting the limit


@pytest.mark.parametrize("who", ["gwen_herself", "rhys", "rhian", "nerys"])
def test_gwen_those_who_speak_for_her_and_her_leaders_set_it(story, who):
    actor = getattr(story, who)

    services.set_new_face_limit(story.gwen, 2, past_limit=NewFaces.ASK_FIRST, actor=actor)

    gwen = Client.objects.get(pk=story.gwen.pk)
    assert (gwen.new_face_limit, gwen.new_faces_past_limit) == (2, NewFaces.ASK_FIRST)
    event = AuditEvent.objects.get(action=Action.SET_NEW_FACE_LIMIT)
    assert (event.actor_id, event.client_id, event.circle_id) == (
        actor.pk,
        story.gwen.pk,
        story.circle.pk,
    )
    assert event.before == {"new_face_limit": None, "new_faces_past_limit": "refuse"}
    assert event.after == {"new_face_limit": 2, "new_faces_past_limit": "ask_first"}
    (line,) = describe([event])
    assert line.sentence.endswith(
        "said Gwen meets at most 2 new carers a month, and is asked first about any more."
    )


# Gwen's daughter (family may suggest, not decide), a carer of hers, a carer elsewhere.
@pytest.mark.parametrize("who", ["sian", "ana", "hywel"])
def test_nobody_else_may(story, who):
    actor = getattr(story, who)

    with pytest.raises(Refused) as refusal:
        services.set_new_face_limit(story.gwen, 5, actor=actor)

    assert refusal.value.code == "not_allowed"
    assert Client.objects.get(pk=story.gwen.pk).new_face_limit is None
    assert not AuditEvent.objects.filter(action=Action.SET_NEW_FACE_LIMIT).exists()


@pytest.mark.parametrize("nonsense", [-1, 21, 2.5, "2", True])
def test_a_nonsense_limit_changes_nothing(story, nonsense):
    services.set_new_face_limit(story.gwen, 3, actor=story.rhys)

    with pytest.raises(Refused) as refusal:
        services.set_new_face_limit(story.gwen, nonsense, actor=story.rhys)

    assert refusal.value.code == "new_face_limit_invalid"
    assert "from 0 to 20" in refusal.value.message
    assert Client.objects.get(pk=story.gwen.pk).new_face_limit == 3
    assert AuditEvent.objects.filter(action=Action.SET_NEW_FACE_LIMIT).count() == 1


def test_a_nonsense_choice_changes_nothing(story):
    with pytest.raises(Refused) as refusal:
        services.set_new_face_limit(story.gwen, 2, past_limit="maybe", actor=story.rhys)

    assert refusal.value.code == "new_faces_past_limit_invalid"
    gwen = Client.objects.get(pk=story.gwen.pk)
    assert (gwen.new_face_limit, gwen.new_faces_past_limit) == (None, NewFaces.REFUSE)


def test_saying_what_is_already_so_records_nothing_and_none_lifts_it(story):
    services.set_new_face_limit(story.gwen, 2, actor=story.rhys)
    services.set_new_face_limit(story.gwen, 2, actor=story.rhys)
    assert AuditEvent.objects.filter(action=Action.SET_NEW_FACE_LIMIT).count() == 1

    services.set_new_face_limit(story.gwen, None, actor=story.rhys)

    assert Client.objects.get(pk=story.gwen.pk).new_face_limit is None
    last = AuditEvent.objects.filter(action=Action.SET_NEW_FACE_LIMIT).first()
    (line,) = describe([last])
    assert line.sentence == "Rhys Davies said Gwen has no limit on new carers a month."


def test_the_database_has_the_last_word(story):
    with database_refuses("client_new_face_limit_small"):
        Client.objects.filter(pk=story.gwen.pk).update(new_face_limit=21)
    refuses_a_value_outside_its_list(story.gwen, "new_faces_past_limit", "client_new_faces_valid")

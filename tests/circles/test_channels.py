"""Each person chooses, per topic, whether a message also comes by email and to their phone
(circles.channels); what delivery asks of one message and of many agrees."""

import pytest

from circles.channels import (
    DEFAULTS,
    TOPIC_OF,
    Channels,
    channels_for,
    choices_of,
    choose,
    push_again,
    topics_for,
    turn_on_reminders,
    wanting,
    wants_reminders,
)
from circles.models import ChannelChoice, Notification, NotificationKind, Role, Topic
from people.models import Person
from tests.factories import PersonFactory
from tests.outcomes import database_refuses, refuses_a_value_outside_its_list

pytestmark = pytest.mark.django_db

NOWHERE = Channels(email=False, push=False)
EVERYWHERE = Channels(email=True, push=True)


def test_every_kind_of_message_belongs_to_one_topic():
    assert set(TOPIC_OF) == set(NotificationKind)
    assert set(TOPIC_OF.values()) == set(Topic)  # and no topic is empty


def test_every_message_comes_everywhere_by_default_but_reminders_come_nowhere(ana):
    assert channels_for(ana, NotificationKind.HELP_NEEDED) == EVERYWHERE
    assert channels_for(ana, NotificationKind.CIRCLE_WORSE) == EVERYWHERE
    assert channels_for(ana, NotificationKind.VISITS_TOMORROW) == NOWHERE
    assert choices_of(ana) == DEFAULTS


def test_a_choice_for_one_topic_holds_for_its_kinds_and_no_other(ana):
    choose(ana, {Topic.MY_VISITS: Channels(email=False, push=True)})

    assert channels_for(ana, NotificationKind.SHIFT_CHANGED) == Channels(email=False, push=True)
    assert channels_for(ana, NotificationKind.OFFER_UNTAKEN) == Channels(email=False, push=True)
    assert channels_for(ana, NotificationKind.NEEDS_COVER) == EVERYWHERE


def test_choosing_again_replaces_the_choice(ana):
    choose(ana, {Topic.COVER: NOWHERE})
    choose(ana, {Topic.COVER: Channels(email=True, push=False)})

    assert ChannelChoice.objects.filter(person=ana).count() == 1
    assert channels_for(ana, NotificationKind.NEEDS_COVER) == Channels(email=True, push=False)


def test_one_tap_turns_reminders_on(ana):
    assert not Person.objects.filter(wants_reminders()).exists()

    turn_on_reminders(ana, push=False)

    assert channels_for(ana, NotificationKind.VISIT_SOON) == Channels(email=True, push=False)
    assert list(Person.objects.filter(wants_reminders())) == [ana]


def test_reminders_turned_off_again_are_off(ana):
    turn_on_reminders(ana, push=True)
    choose(ana, {Topic.REMINDERS: NOWHERE})
    assert not Person.objects.filter(wants_reminders()).exists()


@pytest.mark.parametrize("channel", ["email", "push"])
def test_the_filter_for_many_messages_agrees_with_the_answer_for_one(channel, ana, ben):
    """Delivery of many at once (circles.notify.deliver_pending) filters with `wanting`,
    delivery of one asks `channels_for`: for every kind and a mix of choices, they agree."""
    choose(
        ana,
        {
            Topic.HELP: Channels(email=False, push=True),
            Topic.COVER: Channels(email=True, push=False),
            Topic.REMINDERS: EVERYWHERE,
            Topic.ALERTS: NOWHERE,
        },
    )
    choose(ben, {Topic.SWAPS: NOWHERE, Topic.REMINDERS: Channels(email=False, push=True)})
    for person in (ana, ben):
        for kind in NotificationKind:
            Notification.objects.create(person=person, kind=kind, key=f"{kind}", title=kind)

    expected = {
        (note.person_id, note.kind)
        for note in Notification.objects.select_related("person")
        if getattr(channels_for(note.person, note.kind), channel)
    }
    filtered = set(Notification.objects.filter(wanting(channel)).values_list("person", "kind"))
    assert filtered == expected


def test_the_topics_shown_are_those_of_the_persons_roles():
    assert topics_for([Role.CARER]) == [
        Topic.HELP,
        Topic.COVER,
        Topic.SWAPS,
        Topic.MY_VISITS,
        Topic.REMINDERS,
        Topic.CHECKS,
        Topic.CHECK_IN,
    ]
    assert topics_for([Role.FAMILY]) == [Topic.HELP, Topic.MY_VISITS]
    assert topics_for([Role.TEAM_LEADER]) == [Topic.HELP, Topic.ALERTS]
    assert topics_for([Role.TEAM_LEADER], coordinator=True) == [
        Topic.HELP,
        Topic.ALERTS,
        Topic.CHECKS,
    ]
    assert topics_for([Role.FAMILY, Role.TEAM_LEADER]) == [
        Topic.HELP,
        Topic.MY_VISITS,
        Topic.ALERTS,
    ]
    assert topics_for([]) == []


def test_asking_for_phone_alerts_turns_push_back_on_only_when_it_was_off_everywhere(ana, ben):
    choose(ana, {topic: Channels(email=True, push=False) for topic in Topic})
    choose(ben, {Topic.COVER: Channels(email=True, push=False)})

    assert push_again(ana)
    assert not push_again(ben)

    assert choices_of(ana)[Topic.HELP] == EVERYWHERE
    assert choices_of(ana)[Topic.REMINDERS] == Channels(email=True, push=False)
    assert choices_of(ben)[Topic.COVER] == Channels(email=True, push=False)


def test_the_database_holds_one_choice_per_person_and_topic():
    person = PersonFactory()
    ChannelChoice.objects.create(person=person, topic=Topic.HELP, email=True, push=False)
    with database_refuses("channelchoice_one_per_topic"):
        ChannelChoice.objects.create(person=person, topic=Topic.HELP, email=False, push=False)


def test_the_database_refuses_a_topic_it_does_not_know():
    person = PersonFactory()
    choice = ChannelChoice.objects.create(person=person, topic=Topic.HELP, email=True, push=True)
    refuses_a_value_outside_its_list(choice, "topic", "channelchoice_topic_valid")

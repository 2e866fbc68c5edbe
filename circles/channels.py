"""Which channels each person takes each kind of message by (docs/design.md, Who hears what).

Every message is in the app's Messages. Beyond that, each person chooses per topic, the
kinds of message as they think of them (calls for help, visits needing cover...), whether it
also comes by email and to their phone. A topic they never changed has its default: email
and phone, except reminders before their visits, which are off until they turn them on.

`channels_for` answers for one message; `wanting` is the same answer as a filter on
notifications, for sending many at once.
"""

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Literal

from django.db.models import Exists, OuterRef, Q

from circles.models import ChannelChoice, NotificationKind, Role, Topic
from people.models import Person

Channel = Literal["email", "push"]


@dataclass(frozen=True)
class Channels:
    email: bool
    push: bool

    def __bool__(self) -> bool:
        return self.email or self.push


TOPIC_OF: dict[NotificationKind, Topic] = {
    NotificationKind.HELP_NEEDED: Topic.HELP,
    # A leader hears of a call for help once no carer answered it: a call for help to them.
    NotificationKind.HELP_ESCALATED: Topic.HELP,
    NotificationKind.NEEDS_COVER: Topic.COVER,
    NotificationKind.SWAP_OFFERED: Topic.SWAPS,
    NotificationKind.SHIFT_CHANGED: Topic.MY_VISITS,
    # An offered visit nobody has taken is still the carer's own visit.
    NotificationKind.OFFER_UNTAKEN: Topic.MY_VISITS,
    # Families and clients: who is coming, and visits changed or cancelled.
    NotificationKind.VISIT_CHANGED: Topic.MY_VISITS,
    NotificationKind.UNFAMILIAR_CARER: Topic.MY_VISITS,
    NotificationKind.VISITS_TOMORROW: Topic.REMINDERS,
    NotificationKind.VISIT_SOON: Topic.REMINDERS,
    NotificationKind.CIRCLE_WORSE: Topic.ALERTS,
    NotificationKind.EARLY_WARNING: Topic.ALERTS,
    NotificationKind.CIRCLE_RECOVERED: Topic.ALERTS,
    # When a circle's leaders are alerted is part of those alerts.
    NotificationKind.THRESHOLDS_CHANGED: Topic.ALERTS,
    NotificationKind.CREDENTIAL_EXPIRING: Topic.CHECKS,
    # A thank-you is about one of the carer's own visits.
    NotificationKind.THANKED: Topic.MY_VISITS,
    NotificationKind.CHECK_IN_ASKED: Topic.CHECK_IN,
    # A circle saying it copes much less well is a circle alert, from the circle itself.
    NotificationKind.CHECK_IN_FELL: Topic.ALERTS,
    # One team leader hears a carer is running low, so someone can check in: a circle alert.
    NotificationKind.RUNNING_LOW: Topic.ALERTS,
}

EVERYWHERE = Channels(email=True, push=True)
# Reminders are asked for, never assumed: a person who did not want them would stop
# reading the rest.
DEFAULTS: dict[Topic, Channels] = {topic: EVERYWHERE for topic in Topic} | {
    Topic.REMINDERS: Channels(email=False, push=False)
}

# The topics that concern each role, in the order the settings page lists them.
TOPICS_OF_ROLE: dict[str, list[Topic]] = {
    Role.CARER: [
        Topic.HELP,
        Topic.COVER,
        Topic.SWAPS,
        Topic.MY_VISITS,
        Topic.REMINDERS,
        Topic.CHECKS,
        Topic.CHECK_IN,
    ],
    Role.FAMILY: [Topic.HELP, Topic.MY_VISITS],
    Role.TEAM_LEADER: [Topic.HELP, Topic.ALERTS],
}


def topics_for(roles: Iterable[str], *, coordinator: bool = False) -> list[Topic]:
    """The topics a person with these roles hears of, in the settings page's order.
    Coordinators also hear of their people's checks running out."""
    wanted = {topic for role in roles for topic in TOPICS_OF_ROLE.get(role, [])}
    if coordinator:
        wanted.add(Topic.CHECKS)
    return [topic for topic in Topic if topic in wanted]


def choices_of(person: Person) -> dict[Topic, Channels]:
    """Every topic's channels for this person, in one query."""
    chosen = {
        Topic(row.topic): Channels(email=row.email, push=row.push)
        for row in ChannelChoice.objects.filter(person=person)
    }
    return {topic: chosen.get(topic, DEFAULTS[topic]) for topic in Topic}


def channels_for(person: Person, kind: str) -> Channels:
    """How a message of this kind reaches this person beyond the app."""
    topic = TOPIC_OF[NotificationKind(kind)]
    row = ChannelChoice.objects.filter(person=person, topic=topic).first()
    return Channels(email=row.email, push=row.push) if row is not None else DEFAULTS[topic]


def wanting(channel: Channel, person_field: str = "person") -> Q:
    """A filter on Notification: those whose person takes their kind by `channel`.

    One condition per topic: its kinds, and the person's choice, or no choice when the
    topic's default is to send (a choice exists that says so otherwise).
    """
    field: str = channel
    wanted: list[Q] = []
    for topic in Topic:
        kinds = [kind for kind, of in TOPIC_OF.items() if of == topic]
        by_default: bool = getattr(DEFAULTS[topic], field)
        # A choice that differs from the default, if the person made one.
        differs = Q(
            Exists(
                ChannelChoice.objects.filter(
                    person=OuterRef(person_field), topic=topic, **{field: not by_default}
                )
            )
        )
        wanted.append(Q(kind__in=kinds) & (~differs if by_default else differs))
    return reduce(operator.or_, wanted)


def choose(person: Person, choices: Mapping[Topic, Channels]) -> None:
    """Store the person's channels for these topics (others stay as they were), in one
    statement, so two saves at once each leave a whole choice per topic."""
    ChannelChoice.objects.bulk_create(
        [
            ChannelChoice(person=person, topic=topic, email=channels.email, push=channels.push)
            for topic, channels in choices.items()
        ],
        update_conflicts=True,
        unique_fields=["person", "topic"],
        update_fields=["email", "push"],
    )


def turn_on_reminders(person: Person, *, push: bool) -> Channels:
    """The one tap: reminders by email, and to the phone when the site can push."""
    channels = Channels(email=True, push=push)
    choose(person, {Topic.REMINDERS: channels})
    return channels


def reminders_on(person: Person) -> bool:
    return bool(channels_for(person, NotificationKind.VISITS_TOMORROW))


def wants_reminders(person_field: str = "pk") -> Exists:
    """A filter on Person (or on what `person_field` leads to one from): those who turned
    reminders on, by either channel. Reminders are off by default, so only a choice counts."""
    return Exists(
        ChannelChoice.objects.filter(person=OuterRef(person_field), topic=Topic.REMINDERS).filter(
            Q(email=True) | Q(push=True)
        )
    )


def push_again(person: Person) -> bool:
    """Pressing "Send alerts to this phone" is a clear wish to have them: when the person
    had push off for everything, it comes back on where it is on by default. Returns whether
    anything changed; a person who chose push for some topics keeps their choice."""
    if any(channels.push for channels in choices_of(person).values()):
        return False
    pushed_by_default = [topic for topic, channels in DEFAULTS.items() if channels.push]
    return bool(
        ChannelChoice.objects.filter(person=person, topic__in=pushed_by_default).update(push=True)
    )

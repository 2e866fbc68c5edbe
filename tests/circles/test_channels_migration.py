"""The two old switches on each person ("send me emails", "send to my phone") become their
choices per topic when the database is migrated, so nobody starts getting what they had
turned off, and nobody starts getting reminders."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("circles", "0004_channel_choices_and_reminders"), ("people", "0003_feed_token")]
AFTER = [
    ("circles", "0005_channels_from_the_old_switches"),
    ("people", "0004_channels_are_chosen_per_topic"),
]


@pytest.mark.django_db(transaction=True)
def test_each_persons_switches_become_their_choice_for_every_topic_but_reminders():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Person = old.get_model("people", "Person")
    no_email = Person.objects.create(email="a@example.org", full_name="A", notify_by_email=False)
    no_push = Person.objects.create(email="b@example.org", full_name="B", notify_by_push=False)
    both = Person.objects.create(email="c@example.org", full_name="C")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    ChannelChoice = new.get_model("circles", "ChannelChoice")

    def chosen(person):
        return {
            topic: (email, push)
            for topic, email, push in ChannelChoice.objects.filter(person_id=person.pk).values_list(
                "topic", "email", "push"
            )
        }

    topics = ["help", "cover", "swaps", "my_visits", "alerts", "checks"]
    assert chosen(no_email) == {topic: (False, True) for topic in topics}
    assert chosen(no_push) == {topic: (True, False) for topic in topics}
    assert chosen(both) == {}  # every topic's default, reminders off

    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

"""Each person's two old switches, "send me emails" and "send to my phone", become their
choice for every topic they applied to: all but reminders, which did not exist and start
off. A person who had both on needs no row: that is every topic's default."""

from django.db import migrations

# The topics as they were when this ran: reminders are left at their default, off.
TOPICS = ["help", "cover", "swaps", "my_visits", "alerts", "checks"]


def forwards(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    ChannelChoice = apps.get_model("circles", "ChannelChoice")
    people = Person.objects.exclude(notify_by_email=True, notify_by_push=True).values_list(
        "pk", "notify_by_email", "notify_by_push"
    )
    ChannelChoice.objects.bulk_create(
        [
            ChannelChoice(person_id=pk, topic=topic, email=email, push=push)
            for pk, email, push in people.iterator()
            for topic in TOPICS
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    """Back to one switch each: off where the person had it off for any topic."""
    Person = apps.get_model("people", "Person")
    ChannelChoice = apps.get_model("circles", "ChannelChoice")
    chosen = ChannelChoice.objects.filter(topic__in=TOPICS)
    Person.objects.filter(pk__in=chosen.filter(email=False).values("person")).update(
        notify_by_email=False
    )
    Person.objects.filter(pk__in=chosen.filter(push=False).values("person")).update(
        notify_by_push=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("circles", "0004_channel_choices_and_reminders"),
        ("people", "0003_feed_token"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

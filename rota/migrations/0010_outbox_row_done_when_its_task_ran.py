from django.db import migrations, models


def sent_before_is_done(apps, schema_editor):
    """Rows handed to the broker before rows were marked done are taken as done: sending
    the whole history again would announce old changes anew."""
    OutboxMessage = apps.get_model("rota", "OutboxMessage")
    OutboxMessage.objects.filter(sent_at__isnull=False).update(done_at=models.F("sent_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("rota", "0009_edit_profile_action"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="outboxmessage",
            name="outbox_unsent",
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(sent_before_is_done, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["created_at"],
                name="outbox_not_done",
            ),
        ),
    ]

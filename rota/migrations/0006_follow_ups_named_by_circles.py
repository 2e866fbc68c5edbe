"""A rota change's follow-up is now the circles' task `circles.tasks.announce_change`: rows
still waiting in the outbox under the old name are sent under the new one."""

from django.db import migrations

OLD, NEW = "rota.tasks.announce_change", "circles.tasks.announce_change"


def rename(apps, schema_editor, old=OLD, new=NEW):
    OutboxMessage = apps.get_model("rota", "OutboxMessage")
    OutboxMessage.objects.filter(task=old, sent_at__isnull=True).update(task=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("rota", "0005_audit_event_action_choices")]

    operations = [migrations.RunPython(rename, rename_back)]


import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models
from django.db.models.functions import Length


def shorten_what_is_too_long(apps, schema_editor):
    """Notes typed before there was a limit are cut to it, so the constraint can hold."""
    VisitPlan = apps.get_model("rota", "VisitPlan")
    for plan in VisitPlan.objects.annotate(size=Length("task_notes")).filter(size__gt=2000):
        plan.task_notes = plan.task_notes[:2000]
        plan.save(update_fields=["task_notes"])


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_client_text_limits'),
        ('rota', '0012_one_open_swap_per_visit'),
    ]

    operations = [
        migrations.RunPython(shorten_what_is_too_long, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='visitplan',
            name='task_notes',
            field=models.TextField(blank=True, max_length=2000, verbose_name='what to do'),
        ),
        migrations.AddConstraint(
            model_name='visitplan',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('task_notes'), 2000), name='visitplan_task_notes_length'),
        ),
    ]

from django.db import migrations, models
from django.utils import timezone


def close_second_proposals(apps, schema_editor):
    """Before one open proposal per visit holds, any later proposal for a visit already in
    an open one is closed, the oldest kept."""
    Swap = apps.get_model("rota", "Swap")
    seen_offered: set[int] = set()
    seen_wanted: set[int] = set()
    for swap in Swap.objects.filter(status="proposed").order_by("created_at", "pk"):
        if swap.offered_id in seen_offered or swap.wanted_id in seen_wanted:
            swap.status, swap.closed_at = "closed", timezone.now()
            swap.closed_reason = "Another proposal for this visit came first."
            swap.save(update_fields=["status", "closed_at", "closed_reason"])
            continue
        seen_offered.add(swap.offered_id)
        seen_wanted.add(swap.wanted_id)


class Migration(migrations.Migration):
    dependencies = [
        ("rota", "0011_end_absence_early_action"),
    ]

    operations = [
        migrations.RunPython(close_second_proposals, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="swap",
            name="swap_one_open_per_pair",
        ),
        migrations.AddConstraint(
            model_name="swap",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "proposed")),
                fields=("offered",),
                name="swap_one_open_per_offered",
            ),
        ),
        migrations.AddConstraint(
            model_name="swap",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "proposed")),
                fields=("wanted",),
                name="swap_one_open_per_wanted",
            ),
        ),
    ]

"""Each visit keeps how many of its places are rightly held (rota.counts), counted here once
for the visits already made, as rota.counts.rightly_held counts them."""

from django.db import migrations, models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from rota.sql import LocalDate


def count_places_held(apps, schema_editor):
    Assignment = apps.get_model("rota", "Assignment")
    Shift = apps.get_model("rota", "Shift")
    VisitPlan = apps.get_model("rota", "VisitPlan")
    CarerPreference = apps.get_model("people", "CarerPreference")
    Client = apps.get_model("people", "Client")
    Credential = apps.get_model("people", "Credential")
    not_wanted = CarerPreference.objects.filter(
        client_id=OuterRef("shift__client_id"),
        carer_id=OuterRef("carer_id"),
        preference="not_wanted",
    )
    valid = Credential.objects.filter(
        person_id=OuterRef(OuterRef("carer_id")),
        type_id=OuterRef("credentialtype_id"),
        valid_until__gte=OuterRef(OuterRef("day")),
    )
    plan_check_missing = VisitPlan.credentials_needed.through.objects.filter(
        visitplan_id=OuterRef("shift__plan_id")
    ).filter(~Exists(valid))
    emergency_check_missing = Client.emergency_credentials.through.objects.filter(
        client_id=OuterRef("shift__client_id")
    ).filter(~Exists(valid))
    held = (
        Assignment.objects.filter(released_at__isnull=True, shift_id=OuterRef("pk"))
        .alias(day=LocalDate("start", "shift__circle__timezone"))
        .filter(~Exists(not_wanted), ~Exists(plan_check_missing))
        .filter(~Q(shift__plan__isnull=True) | ~Exists(emergency_check_missing))
        .values("shift_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Shift.objects.filter(assignments__released_at__isnull=True).update(
        places_held=Coalesce(Subquery(held), 0, output_field=IntegerField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_client_family_read_notes"),
        ("rota", "0018_visits_as_they_happen"),
    ]

    operations = [
        migrations.AddField(
            model_name="shift",
            name="places_held",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="places held"
            ),
        ),
        migrations.RunPython(count_places_held, migrations.RunPython.noop),
    ]


import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models
from django.db.models.functions import Length


# The limits as they were when this migration was written (not imported: the model may change).
LIMITS = {
    "address": 500,
    "access_notes": 1000,
    "who_to_phone": 500,
    "what_matters": 2000,
    "likes": 1000,
    "dislikes": 1000,
    "likes_to_give": 1000,
}


def shorten_what_is_too_long(apps, schema_editor):
    """Text typed before there was a limit is cut to it, so the constraints can hold; such
    text was too long for any page to show whole."""
    Client = apps.get_model("people", "Client")
    for field, limit in LIMITS.items():
        for client in Client.objects.annotate(size=Length(field)).filter(size__gt=limit):
            setattr(client, field, getattr(client, field)[:limit])
            client.save(update_fields=[field])


class Migration(migrations.Migration):

    dependencies = [
        ('circles', '0005_channels_from_the_old_switches'),
        ('people', '0004_channels_are_chosen_per_topic'),
    ]

    operations = [
        migrations.RunPython(shorten_what_is_too_long, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='client',
            name='access_notes',
            field=models.TextField(blank=True, help_text='Key safe, parking.', max_length=1000, verbose_name='getting in'),
        ),
        migrations.AlterField(
            model_name='client',
            name='address',
            field=models.TextField(max_length=500, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='client',
            name='dislikes',
            field=models.TextField(blank=True, max_length=1000, verbose_name='dislikes'),
        ),
        migrations.AlterField(
            model_name='client',
            name='likes',
            field=models.TextField(blank=True, max_length=1000, verbose_name='likes'),
        ),
        migrations.AlterField(
            model_name='client',
            name='likes_to_give',
            field=models.TextField(blank=True, max_length=1000, verbose_name='what I like to give'),
        ),
        migrations.AlterField(
            model_name='client',
            name='what_matters',
            field=models.TextField(blank=True, max_length=2000, verbose_name='what matters to me'),
        ),
        migrations.AlterField(
            model_name='client',
            name='who_to_phone',
            field=models.TextField(blank=True, max_length=500, verbose_name='who to phone'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('address'), 500), name='client_address_length'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('access_notes'), 1000), name='client_access_notes_length'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('who_to_phone'), 500), name='client_who_to_phone_length'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('what_matters'), 2000), name='client_what_matters_length'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('likes'), 1000), name='client_likes_length'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('dislikes'), 1000), name='client_dislikes_length'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('likes_to_give'), 1000), name='client_likes_to_give_length'),
        ),
    ]

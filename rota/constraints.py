"""Database constraints that only PostgreSQL can hold, and what JSON lists need from both.

The demo runs on SQLite, which knows no EXCLUDE: there these constraints emit no SQL
and validate nothing, and the Python rules (rota.rules) stand alone.
"""

from datetime import date

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Func, IntegerField


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using="default"):
        from django.db import connections

        if connections[using].vendor != "postgresql":
            return
        super().validate(model, instance, exclude=exclude, using=using)


class JsonLength(Func):
    """How many items a JSON list holds, on PostgreSQL and on the demo's SQLite, for a check
    constraint that bounds a list (a plan's tasks)."""

    function = "JSONB_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_ARRAY_LENGTH", **extra_context)


class DateListField(models.JSONField):
    """A list of days, kept as ISO dates in JSON (so the demo's SQLite holds it too) and read
    back as dates."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("encoder", DjangoJSONEncoder)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        days = super().from_db_value(value, expression, connection)
        return [date.fromisoformat(day) for day in days] if days else []

    def to_python(self, value):
        return [date.fromisoformat(day) if isinstance(day, str) else day for day in value or []]

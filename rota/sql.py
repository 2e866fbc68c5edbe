"""SQL functions the rota's queries share: a moment's local date and week, in the time zone
of its circle, worked out by the database."""

from django.db.models import DateField, Func


class LocalDate(Func):
    """The local calendar date of a moment, in a time zone named by a column."""

    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)::date", arg_joiner=" AT TIME ZONE "
        )

    def as_sqlite(self, compiler, connection, **extra):
        # The function Django registers on SQLite for its own date casts.
        return self.as_sql(
            compiler, connection, template="django_datetime_cast_date(%(expressions)s, 'UTC')"
        )


class LocalWeek(Func):
    """The Monday, in a time zone named by a column, of the week a moment falls in."""

    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="date_trunc('week', %(expressions)s)::date",
            arg_joiner=" AT TIME ZONE ",
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="date(django_datetime_trunc('week', %(expressions)s, 'UTC'))",
        )

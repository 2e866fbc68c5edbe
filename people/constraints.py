"""Constraints the models of every app share (people is the app the others build on)."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual


def choices_constraint(
    field: str, choices: type[models.TextChoices], name: str, *, blank: bool = False
) -> models.CheckConstraint:
    """The column holds one of its enum's values (or, with `blank`, nothing), so the
    database refuses a status or kind the code does not know, whoever writes it."""
    condition = Q(**{f"{field}__in": choices.values})
    if blank:
        condition = Q(**{field: ""}) | condition
    return models.CheckConstraint(condition=condition, name=name)


def length_constraint(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The text is at most `limit` characters, whoever writes it: the field's `max_length`
    (the same limit) makes the forms say so first, in words, and the database has the last
    word."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)

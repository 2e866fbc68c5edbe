"""Constraints the models of every app share (people is the app the others build on)."""

from django.db import models
from django.db.models import Q


def choices_constraint(
    field: str, choices: type[models.TextChoices], name: str, *, blank: bool = False
) -> models.CheckConstraint:
    """The column holds one of its enum's values (or, with `blank`, nothing), so the
    database refuses a status or kind the code does not know, whoever writes it."""
    condition = Q(**{f"{field}__in": choices.values})
    if blank:
        condition = Q(**{field: ""}) | condition
    return models.CheckConstraint(condition=condition, name=name)

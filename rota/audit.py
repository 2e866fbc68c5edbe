"""Writing the audit trail: one call per rota change, inside the change's transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from rota.models import Action, AuditEvent


def record(
    action: Action,
    subject: models.Model,
    *,
    actor: Any = None,
    circle_id: int | None = None,
    client_id: int | None = None,
    carer_ids: Iterable[int] = (),
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor is not None else None,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        circle_id=circle_id,
        client_id=client_id,
        carer_ids=sorted(set(carer_ids)),
        before=before or {},
        after=after or {},
    )

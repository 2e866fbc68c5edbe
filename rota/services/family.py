"""Family visits: “I'll be with Mum Saturday 2–5pm”, or a night, or a fortnight's stay, frees
the visits that fall inside."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.models import Membership, Role
from circles.permissions import leads
from people.models import Client, Person
from rota.models import (
    Action,
    FamilyVisit,
    FamilyVisitStatus,
    ReleaseReason,
    frees,
)
from rota.rules import Refused
from rota.services._base import (
    already_said,
    changed,
    free_shifts,
    lock_circle,
    plan_again,
    require_actor,
    require_aware,
    require_end_after,
    service,
)

# The longest stay one family visit covers: a holiday together fits; longer is a change to
# the care plan, for the circle to agree.
LONGEST = timedelta(days=28)


def _is_family(person: Person, client: Client) -> bool:
    """The client's representative, or family of theirs today."""
    if client.representative_id == person.pk:
        return True
    memberships = Membership.objects.current().filter(person=person, role=Role.FAMILY)
    return memberships.filter(client=client).exists()


@service
def record_family_visit(
    family_member: Person,
    client: Client,
    start: datetime,
    end: datetime,
    *,
    actor: Person | None = None,
) -> FamilyVisit:
    """Non-essential visits lying wholly inside the window are not needed; their carers are
    freed. Essential visits, and visits only partly inside, still happen. Visits the rota
    makes later inside the window are freed as they are made (rota.generation)."""
    require_aware(start, end)
    require_actor(actor, lambda a: a == family_member or leads(a, client.circle))
    if not _is_family(family_member, client):
        raise Refused(
            "not_family",
            _("Only %(client)s's family can say they will be with them.")
            % {"client": client.preferred_name},
        )
    require_end_after(start, end)
    if end - start > LONGEST:
        raise Refused(
            "too_long",
            _("A family visit can last at most %(days)d days.") % {"days": LONGEST.days},
        )
    now = timezone.now()
    if end <= now:
        raise Refused("in_the_past", _("That time has already passed."))
    # Generation locks the circle too: a visit it makes while this is being said is either
    # seen here or sees this family visit, never neither.
    lock_circle(client.circle_id)
    said = FamilyVisit.objects.filter(
        family_member=family_member, client=client, start=start, end=end
    )
    if said.filter(status=FamilyVisitStatus.ACTIVE).exists():
        raise already_said()
    visit = FamilyVisit.objects.create(
        family_member=family_member, client=client, start=start, end=end
    )
    inside = frees(start, end, now) & Q(client=client)
    freed, released = free_shifts(inside, ReleaseReason.FAMILY_VISIT, now)
    visit.freed_shifts.set(freed)
    visit.released.set(released)
    changed(
        Action.RECORD_FAMILY_VISIT,
        visit,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        carers=[a.carer_id for a in released],
        after={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "freed": [s.pk for s in freed],
            "released": [a.pk for a in released],
        },
    )
    return visit


@service
def withdraw_family_visit(visit: FamilyVisit, *, actor: Person | None = None) -> FamilyVisit:
    """Before it starts: the freed visits are planned again, and each original carer is put
    back where the rules still allow; otherwise the place needs cover."""
    # The circle first, as generation locks it: it never frees a visit for a family visit
    # being withdrawn.
    lock_circle(visit.client.circle_id)
    visit = (
        FamilyVisit.objects.select_for_update().select_related("client__circle").get(pk=visit.pk)
    )
    require_actor(actor, lambda a: a.pk == visit.family_member_id or leads(a, visit.client.circle))
    if visit.status != FamilyVisitStatus.ACTIVE:
        raise Refused("already_withdrawn", _("This visit was already withdrawn."))
    now = timezone.now()
    if visit.start <= now:
        raise Refused("started", _("Your visit has already started, so it can't be withdrawn."))
    originals = list(visit.released.select_related("carer"))
    freed = visit.freed_shifts.values_list("pk", flat=True)
    restored, uncovered = plan_again(freed, originals)[1:]
    visit.status, visit.withdrawn_at = FamilyVisitStatus.WITHDRAWN, now
    visit.save(update_fields=["status", "withdrawn_at"])
    changed(
        Action.WITHDRAW_FAMILY_VISIT,
        visit,
        actor=actor,
        circle_id=visit.client.circle_id,
        client_id=visit.client_id,
        carers=[a.carer_id for a in originals],
        after={"restored": restored, "not_restored": uncovered},
    )
    return visit

"""A client's say about their care: which new carers are welcome, and what their likes and
wishes tell the carers ("no decisions about me without me").

The client decides, or their representative for them; a team leader may record what the
client told them. Family members see all of it and may suggest, no more: a relative cannot
turn a carer away nor rewrite what matters to the client. ("Rather not" is
rota.services.decline_carer, since it releases visits.)
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from circles.permissions import decides_for, sets_up
from people.models import Client, Person
from rota import audit
from rota.familiarity import approve_new_face
from rota.models import Action
from rota.rules import Refused
from rota.services._base import require_actor, service

# What a client's likes and wishes are made of: the fields edit_profile changes.
PROFILE_FIELDS = ("what_matters", "likes", "dislikes", "likes_to_give")


def may_decide(actor: Person, client: Client) -> bool:
    """Only the client or their representative decides who visits them and what their page
    says; family and team leaders see it and may suggest."""
    return decides_for(actor, client)


@service
def approve_carer(client: Client, carer: Person, *, actor: Person | None = None) -> Client:
    """The client says a new carer is fine to visit: kept in the trail, nothing else changes."""
    require_actor(actor, lambda a: may_decide(a, client))
    approve_new_face(client, carer, actor=actor)
    return client


@service
def edit_profile(
    client: Client, profile: Mapping[str, str], *, actor: Person | None = None
) -> Client:
    """Change what the client's likes and wishes say: the client, their representative, or
    the coordinator writing down what the client asked. The trail keeps each changed field
    before and after; saving it unchanged records nothing."""
    require_actor(actor, lambda a: may_decide(a, client) or sets_up(a, client))
    if set(profile) - set(PROFILE_FIELDS):
        raise Refused("not_profile", _("Only the likes and wishes can be changed here."))
    client = Client.objects.select_for_update().select_related("circle").get(pk=client.pk)
    before = {
        field: getattr(client, field)
        for field, value in profile.items()
        if getattr(client, field) != value
    }
    if not before:
        return client
    after = {field: profile[field] for field in before}
    for field, value in after.items():
        setattr(client, field, value)
    client.save(update_fields=list(after))
    # Nobody is told of it and no visit changes, so no follow-up either: the trail only.
    audit.record(
        Action.EDIT_PROFILE,
        client,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        before=before,
        after=after,
    )
    return client

"""A client's say about their care: which new carers are welcome, and what their likes and
wishes tell the carers ("no decisions about me without me").

The client decides, or their representative for them; a team leader may record what the
client told them. Family members see all of it and may suggest, no more: a relative cannot
turn a carer away nor rewrite what matters to the client. ("Rather not" is
rota.services.decline_carer, since it releases visits; preferring a carer and lifting a wish
release nothing.)
"""

from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from circles.permissions import decides_for, leads, sets_up
from people.models import NEW_FACE_LIMIT_MAX, CarerPreference, Client, NewFaces, Person, Preference
from rota import audit
from rota.familiarity import approve_new_face
from rota.models import Action
from rota.rules import Refused
from rota.services._base import require_actor, service, set_changed

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
    if set(profile) - set(PROFILE_FIELDS):
        raise Refused("not_profile", _("Only the likes and wishes can be changed here."))
    return _change_wishes(client, profile, actor=actor)


@service
def set_family_read_notes(client: Client, allowed: bool, *, actor: Person | None = None) -> Client:
    """Whether the client's family read the carers' notes on their visits: the notes are the
    client's, so the client or their representative decides (or the coordinator writing down
    what the client asked). Kept in the trail as a change to the client's wishes, before and
    after; saying what is already so records nothing."""
    return _change_wishes(client, {"family_read_notes": allowed}, actor=actor)


def _change_wishes(client: Client, values: Mapping[str, object], *, actor: Person | None) -> Client:
    """Set what the client wishes (the client, their representative, or the coordinator
    writing down what the client asked), keeping each changed field before and after in the
    trail; nothing changed records nothing."""
    require_actor(actor, lambda a: may_decide(a, client) or sets_up(a, client))
    client = Client.objects.select_for_update().select_related("circle").get(pk=client.pk)
    before, after = set_changed(client, values)
    if not before:
        return client
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


@service
def set_new_face_limit(
    client: Client,
    per_month: int | None,
    *,
    past_limit: str | None = None,
    actor: Person | None = None,
) -> Client:
    """How many carers new to them the client meets in a calendar month (None: no limit),
    and, with `past_limit`, what happens to one more: refused ("refuse") or the client asked
    first ("ask_first"). The client or their representative decides; a team leader of the
    circle or a coordinator may write down what the client said. The rules read it at the
    next change (rota.rules, new_face): visits already held stay held. Kept in the trail
    before and after; saying what is already so records nothing."""
    require_actor(actor, lambda a: may_decide(a, client) or leads(a, client.circle))
    # A whole number (not True, not "2" from a form left unconverted), and a small one.
    whole = type(per_month) is int
    if per_month is not None and not (whole and 0 <= per_month <= NEW_FACE_LIMIT_MAX):
        raise Refused(
            "new_face_limit_invalid",
            _("The number of new carers a month must be a whole number from 0 to %(most)s.")
            % {"most": NEW_FACE_LIMIT_MAX},
        )
    values: dict[str, object] = {"new_face_limit": per_month}
    if past_limit is not None:
        if past_limit not in NewFaces.values:
            raise Refused(
                "new_faces_past_limit_invalid",
                _("Past the limit, a new carer is either refused or you are asked first."),
            )
        values["new_faces_past_limit"] = past_limit
    client = Client.objects.select_for_update().select_related("circle").get(pk=client.pk)
    fields = ("new_face_limit", "new_faces_past_limit")
    was = {field: getattr(client, field) for field in fields}
    _before, after = set_changed(client, values)
    if not after:
        return client
    client.save(update_fields=list(after))
    # Both halves are kept, changed or not, so the trail can say what the limit now is. No
    # visit changes and nobody is told: the trail only.
    audit.record(
        Action.SET_NEW_FACE_LIMIT,
        client,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        before=was,
        after={field: getattr(client, field) for field in fields},
    )
    return client


@service
def prefer_carer(client: Client, carer: Person, *, actor: Person | None = None) -> Client:
    """The client would rather have this carer (it lifts a "rather not" of theirs). Nothing
    on the rota changes: a preferred carer counts as familiar, and the trail keeps it."""
    require_actor(actor, lambda a: may_decide(a, client))
    before = _wish(client, carer)
    if before == Preference.PREFERRED:
        return client
    CarerPreference.objects.update_or_create(
        client=client,
        carer=carer,
        defaults={"preference": Preference.PREFERRED, "recorded_at": timezone.now()},
    )
    _wish_changed(Action.PREFER_CARER, client, carer, before, Preference.PREFERRED, actor)
    return client


@service
def clear_carer_wish(client: Client, carer: Person, *, actor: Person | None = None) -> Client:
    """The client no longer minds either way: "I'd be happy to see them again" after a
    "rather not", or no longer asking for them in particular. Visits a "rather not" gave to
    other carers stay with them; the carer may take the client's visits again from now on."""
    require_actor(actor, lambda a: may_decide(a, client))
    before = _wish(client, carer)
    if before is None:
        return client
    CarerPreference.objects.filter(client=client, carer=carer).delete()
    _wish_changed(Action.CLEAR_CARER_WISH, client, carer, before, None, actor)
    return client


def _wish(client: Client, carer: Person) -> str | None:
    """The client's wish about the carer as it is now, its row locked till the change ends."""
    wishes = CarerPreference.objects.select_for_update().filter(client=client, carer=carer)
    return wishes.values_list("preference", flat=True).first()


def _wish_changed(
    action: Action,
    client: Client,
    carer: Person,
    before: str | None,
    after: str | None,
    actor: Person | None,
) -> None:
    # No visit changes, so nobody is told and nothing follows: the trail only.
    audit.record(
        action,
        client,
        actor=actor,
        circle_id=client.circle_id,
        client_id=client.pk,
        carer_ids=[carer.pk],
        before={"preference": before},
        after={"preference": after},
    )

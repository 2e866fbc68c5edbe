"""A client who chose "ask me first" is asked, instead of a carer new to them being turned
away (docs/design.md, A client's say over new faces).

When taking a place, or swapping into a visit, would take the client past their new-face
limit and the new-face rule is the only one refusing, the change is not made: the client
is asked instead (`ask`, a NewFaceRequest), and the carer is told so in plain words
(`rota.rules.AskedFirst`). The client's answer is rota.services.new_faces.
"""

from django.utils.translation import gettext as _

from people.models import Client, NewFaces, Person
from rota.models import Action, NewFaceRequest, NewFaceStatus, Shift, Swap
from rota.rules import AskedFirst, Refusal, Rule, RuleBroken, Violation
from rota.services._base import changed, lock_shift, require_actor, require_live, service


def asks_first(client: Client, violations: list[Violation]) -> bool:
    """The new-face rule alone refuses, and the client chose to be asked first about one
    more new carer and has someone to answer (their own log-in, or a representative)."""
    return (
        bool(violations)
        and all(v.rule == Rule.NEW_FACE for v in violations)
        and client.new_faces_past_limit == NewFaces.ASK_FIRST
        # By ids alone: pages ask it of every visit they show.
        and (client.person_id is not None or client.representative_id is not None)
    )


def asked_instead(
    refusal: RuleBroken,
    shift: Shift,
    carer: Person,
    *,
    actor: Person | None,
    swap: Swap | None = None,
) -> Refusal:
    """What a change refused only by the new-face rule comes to, once its own transaction
    has been rolled back: for a client who asks first, the client asked (in a transaction of
    its own) and `AskedFirst` for the carer; for any other, the refusal as it was."""
    client = Client.objects.get(pk=shift.client_id)
    if not asks_first(client, refusal.violations):
        return refusal
    try:
        request = ask(shift, carer, actor=actor, swap=swap)
    except Refusal as other:
        return other
    return AskedFirst(
        request,
        _(
            "%(client)s asked to be asked first about carers new to them this month. We've "
            "asked them; you'll hear as soon as they answer."
        )
        % {"client": client.preferred_name},
    )


@service
def ask(
    shift: Shift, carer: Person, *, actor: Person | None = None, swap: Swap | None = None
) -> NewFaceRequest:
    """Ask the client about `carer` taking a place on `shift` (or, with `swap`, swapping into
    it): the carer asks for themselves; in a swap either of its two carers. Asked already
    (a second tap, a second tab), the open question is returned and nobody is asked twice;
    the database holds one open question per visit and carer."""
    allowed = {carer.pk}
    if swap is not None:
        swap = Swap.objects.select_related("offered", "wanted").get(pk=swap.pk)
        allowed |= {swap.offered.carer_id, swap.wanted.carer_id}
    require_actor(actor, lambda a: a.pk in allowed)
    shift = lock_shift(shift)
    require_live(shift)
    open_question = NewFaceRequest.objects.filter(
        shift=shift, carer=carer, status=NewFaceStatus.ASKED
    ).first()
    if open_question is not None:
        if swap is not None and open_question.swap_id != swap.pk:
            # The same carer for the same visit, by a newer swap: the answer goes to that one.
            open_question.swap = swap
            open_question.save(update_fields=["swap"])
        return open_question
    request = NewFaceRequest.objects.create(shift=shift, carer=carer, swap=swap)
    changed(
        Action.ASK_NEW_FACE,
        request,
        actor=actor,
        shift=shift,
        carers=[carer],
        after={"shift": shift.pk, "swap": swap.pk if swap else None},
    )
    return request

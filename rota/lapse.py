"""Offers, swap proposals and questions to a client about a new face lapse when a visit they
concern starts (docs/design.md, Changes to the rota)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rota.models import NewFaceRequest, NewFaceStatus, Offer, OfferStatus, Swap, SwapStatus


def lapse_started() -> int:
    """Close the offers, proposals and new-face questions whose visit has started; returns how
    many.

    Safe to run twice, or in two workers at once: each is a conditional update of rows
    still open. Nothing changes hands, so this is not a rota change to audit.
    """
    now = timezone.now()
    why = _("The visit has started.")
    offers = Offer.objects.filter(status=OfferStatus.OPEN, assignment__start__lte=now).update(
        status=OfferStatus.CLOSED, closed_at=now, closed_reason=why
    )
    swaps = (
        Swap.objects.filter(status=SwapStatus.PROPOSED)
        .filter(Q(offered__start__lte=now) | Q(wanted__start__lte=now))
        .update(status=SwapStatus.CLOSED, closed_at=now, closed_reason=why)
    )
    asked = NewFaceRequest.objects.filter(status=NewFaceStatus.ASKED, shift__start__lte=now).update(
        status=NewFaceStatus.LAPSED, decided_at=now, closed_reason=why
    )
    return offers + swaps + asked

"""Reads that more than one audience's pages share."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from rota.models import Assignment, Offer, OfferStatus


def open_offers() -> QuerySet[Offer]:
    """The open offer of the place in the outer query, if its holder is giving it away."""
    return Offer.objects.filter(assignment=OuterRef("pk"), status=OfferStatus.OPEN)


def held_places(path: str = "assignments", *, offered: bool = False) -> Prefetch:
    """A shift's places held now, with their carers, as `held` on the shift at `path` (e.g.
    "shift__assignments" from a place); with `offered`, each says whether its holder is
    giving it away (`is_offered`)."""
    places = Assignment.objects.filter(released_at__isnull=True).select_related("carer")
    if offered:
        places = places.annotate(is_offered=Exists(open_offers()))
    return Prefetch(path, queryset=places.order_by("created_at", "pk"), to_attr="held")

"""Reads that more than one audience's pages share."""

from typing import TYPE_CHECKING, Literal, TypedDict, overload

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from rota.models import Assignment, Offer, OfferStatus, Shift

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Offered(TypedDict):
    """What held_places(offered=True) adds to each place: is its holder giving it away."""

    is_offered: bool


class Held(TypedDict):
    """What held_places adds to a shift: its places held now, carers fetched."""

    held: list[Assignment]


class HeldOffered(TypedDict):
    """What held_places(offered=True) adds to a shift: the same, each place with `is_offered`
    (what rota.rules.check_many reads instead of asking again)."""

    held: "list[HeldPlace]"


if TYPE_CHECKING:
    HeldPlace = WithAnnotations[Assignment, Offered]
    HeldShift = WithAnnotations[Shift, Held]
    CoverShift = WithAnnotations[Shift, HeldOffered]


def open_offers() -> QuerySet[Offer]:
    """The open offer of the place in the outer query, if its holder is giving it away."""
    return Offer.objects.filter(assignment=OuterRef("pk"), status=OfferStatus.OPEN)


# Typed so that django-stubs knows the shifts of a query with held_places() have `held` (each
# place with `is_offered` when offered=True). From a related path the places land on the
# related shift, which it cannot follow: held_places("shift__assignments") is a plain
# Prefetch, and the code reading it says what it holds.
@overload
def held_places(
    *, offered: Literal[False] = False
) -> "Prefetch[str, QuerySet[Assignment], Literal['held']]": ...
@overload
def held_places(
    *, offered: Literal[True]
) -> "Prefetch[str, QuerySet[HeldPlace], Literal['held']]": ...
@overload
def held_places(path: str, *, offered: bool = False) -> Prefetch: ...
def held_places(path: str = "assignments", *, offered: bool = False) -> Prefetch:
    """A shift's places held now, with their carers, as `held` on the shift at `path` (e.g.
    "shift__assignments" from a place); with `offered`, each says whether its holder is
    giving it away (`is_offered`)."""
    # With each carer's photo and lines about themselves, which the family pages show.
    places = Assignment.objects.filter(released_at__isnull=True).select_related(
        "carer__carer_profile"
    )
    if offered:
        places = places.annotate(is_offered=Exists(open_offers()))
    return Prefetch(path, queryset=places.order_by("created_at", "pk"), to_attr="held")

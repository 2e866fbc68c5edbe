"""A carer's say about their own load: what is "enough" for them in a week.

Their own settings, like their quiet hours and their lines about themselves: only they set
them, and the trail does not keep them (no visit changes, nobody else is told).
"""

from django.utils.translation import gettext as _

from people.models import ENOUGH_EVENINGS_MAX, ENOUGH_WEEKENDS_MAX, CarerProfile, Person
from rota.rules import Refused
from rota.services._base import require_actor, service, set_changed


@service
def set_enough(
    carer: Person,
    *,
    evenings: int | None,
    weekends: int | None,
    actor: Person | None = None,
) -> CarerProfile:
    """The most evenings, and the most weekend visits, in a week that are enough for the
    carer (None: no limit). The rule `enough` (rota.rules) reads them at the next change;
    visits already held stay held. Only the carer sets their own."""
    require_actor(actor, lambda a: a.pk == carer.pk)
    for value, most, code in (
        (evenings, ENOUGH_EVENINGS_MAX, "enough_evenings_invalid"),
        (weekends, ENOUGH_WEEKENDS_MAX, "enough_weekends_invalid"),
    ):
        # A whole number (not True, not "2" from a form left unconverted), and a small one.
        if value is not None and not (type(value) is int and 0 <= value <= most):
            raise Refused(
                code,
                _("Give a whole number from 0 to %(most)s, or leave it empty for no limit.")
                % {"most": most},
            )
    profile = CarerProfile.objects.select_for_update().filter(person_id=carer.pk).first()
    if profile is None:
        raise Refused("not_a_carer", _("Only carers say what is enough for them."))
    _before, after = set_changed(
        profile, {"enough_evenings": evenings, "enough_weekends": weekends}
    )
    if after:
        profile.save(update_fields=list(after))
    return profile

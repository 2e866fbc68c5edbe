"""A carer's say about their own load: what is "enough" for them in a week, and saying,
privately, that they are running low for a few days.

Their own, like their quiet hours and their lines about themselves: only they say them, and
the trail does not keep them (no visit changes). Running low tells one team leader, once
(circles.alerts.tell_running_low, by name through the outbox); nobody else hears.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from circles.permissions import cares_anywhere
from people.models import ENOUGH_EVENINGS_MAX, ENOUGH_WEEKENDS_MAX, CarerProfile, Person
from rota import outbox
from rota.models import RUNNING_LOW_MAX_DAYS, RunningLow
from rota.rules import Refused
from rota.services._base import lock_carers, require_actor, service, set_changed

# circles.tasks.tell_running_low, by name: the rota never imports the circles' tasks.
TELL_RUNNING_LOW = "circles.tasks.tell_running_low"


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


@service
def say_running_low(
    carer: Person, first_day: date, last_day: date, *, actor: Person | None = None
) -> RunningLow:
    """The carer is running low from `first_day` to `last_day` (both included): asked for
    cover last on those days (circles.fairness.waves), and one team leader is told, once.
    Only the carer says it, for days from today on, at most RUNNING_LOW_MAX_DAYS, not over
    days they have said it for already."""
    require_actor(actor, lambda a: a.pk == carer.pk)
    if not cares_anywhere(carer):
        raise Refused("not_a_carer", _("Only a carer in a circle can say they are running low."))
    if last_day < first_day:
        raise Refused("end_before_start", _("The last day must be on or after the first."))
    if last_day < timezone.localdate():
        raise Refused("in_the_past", _("Those days are over. Choose days from today on."))
    if (last_day - first_day).days + 1 > RUNNING_LOW_MAX_DAYS:
        raise Refused(
            "too_long",
            _("At most %(days)s days at a time. You can say it again when they are over.")
            % {"days": RUNNING_LOW_MAX_DAYS},
        )
    # Two presses at once are judged one after the other: one is told, the other refused.
    lock_carers(carer)
    first_day = max(first_day, timezone.localdate())
    if RunningLow.objects.filter(
        carer=carer, first_day__lte=last_day, last_day__gte=first_day
    ).exists():
        raise Refused("already_said", _("You have already said so for some of those days."))
    flag = RunningLow.objects.create(carer=carer, first_day=first_day, last_day=last_day)
    outbox.enqueue(TELL_RUNNING_LOW, running_low_id=flag.pk)
    return flag


@service
def end_running_low(flag: RunningLow, *, actor: Person | None = None) -> RunningLow:
    """The carer is better: from today on they are asked as anyone is. Days already past
    stay as they were said; one not begun yet is forgotten (deleted). Nobody is told."""
    require_actor(actor, lambda a: a.pk == flag.carer_id)
    lock_carers(flag.carer)
    today = timezone.localdate()
    current = RunningLow.objects.filter(pk=flag.pk, last_day__gte=today).first()
    if current is None:
        raise Refused("already_over", _("That is over already."))
    if current.first_day >= today:
        current.delete()
        return flag
    current.last_day = today - timedelta(days=1)
    current.save(update_fields=["last_day"])
    return current

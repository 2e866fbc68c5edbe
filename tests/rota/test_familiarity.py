"""A carer is familiar to a client when preferred, or when they did at least two of the
client's visits in the last 28 days (docs/design.md, Capacity and continuity), asked for many pairs
at once."""

from datetime import timedelta

import pytest

from people.models import CarerPreference, Preference
from rota.familiarity import familiar_pairs
from rota.models import ShiftStatus
from tests.factories import AssignmentFactory
from tests.stories import WEDNESDAY_NOON, visit

pytestmark = pytest.mark.django_db


def did(carer, client, days_ago: float, **fields):
    """`carer` did one of `client`'s visits `days_ago` days before now."""
    shift = visit(client, WEDNESDAY_NOON - timedelta(days=days_ago))
    return AssignmentFactory(shift=shift, carer=carer, **fields)


def test_a_preferred_carer_is_familiar_without_a_single_visit(frozen_now, gwen, ana):
    CarerPreference.objects.create(client=gwen, carer=ana, preference=Preference.PREFERRED)

    assert familiar_pairs([(gwen.pk, ana.pk)]) == {(gwen.pk, ana.pk)}


def test_two_visits_in_the_last_28_days_make_a_carer_familiar(frozen_now, gwen, ana):
    did(ana, gwen, days_ago=2)
    did(ana, gwen, days_ago=27)

    assert familiar_pairs([(gwen.pk, ana.pk)]) == {(gwen.pk, ana.pk)}


def test_one_visit_is_not_enough(frozen_now, gwen, ana):
    did(ana, gwen, days_ago=2)

    assert familiar_pairs([(gwen.pk, ana.pk)]) == set()


def test_visits_older_than_28_days_are_forgotten(frozen_now, gwen, ana):
    did(ana, gwen, days_ago=2)
    did(ana, gwen, days_ago=29)
    did(ana, gwen, days_ago=40)

    assert familiar_pairs([(gwen.pk, ana.pk)]) == set()


def test_visits_to_someone_else_do_not_count(frozen_now, gwen, tom, ana):
    did(ana, tom, days_ago=1)
    did(ana, tom, days_ago=3)
    did(ana, gwen, days_ago=5)

    assert familiar_pairs([(gwen.pk, ana.pk), (tom.pk, ana.pk)]) == {(tom.pk, ana.pk)}


def test_visits_not_done_do_not_count(frozen_now, gwen, ana):
    """Coming visits, a visit still under way, a missed one and one given up don't count."""
    did(ana, gwen, days_ago=3)
    did(ana, gwen, days_ago=-1)  # tomorrow
    did(ana, gwen, days_ago=0.01)  # started a quarter of an hour ago, not over yet
    did(ana, gwen, days_ago=4, missed=True)
    did(
        ana,
        gwen,
        days_ago=5,
        released_at=WEDNESDAY_NOON - timedelta(days=6),
        release_reason="absence",
    )

    assert familiar_pairs([(gwen.pk, ana.pk)]) == set()


def test_a_freed_visit_does_not_count(frozen_now, gwen, ana):
    did(ana, gwen, days_ago=3)
    freed = did(ana, gwen, days_ago=4)
    freed.shift.status = ShiftStatus.NOT_NEEDED
    freed.shift.save()

    assert familiar_pairs([(gwen.pk, ana.pk)]) == set()


def test_a_rather_not_is_not_a_preference(frozen_now, gwen, ana):
    CarerPreference.objects.create(client=gwen, carer=ana, preference=Preference.NOT_WANTED)

    assert familiar_pairs([(gwen.pk, ana.pk)]) == set()


def test_many_pairs_take_one_query(frozen_now, gwen, tom, ana, ben, cat, django_assert_num_queries):
    """Only the pairs asked about come back, however the clients and carers combine."""
    CarerPreference.objects.create(client=gwen, carer=ben, preference=Preference.PREFERRED)
    for days_ago in (1, 2, 3):
        did(ana, gwen, days_ago)
        did(cat, tom, days_ago + 0.5)
    did(cat, gwen, days_ago=1.25)
    pairs = [(client.pk, carer.pk) for client in (gwen, tom) for carer in (ana, ben, cat)]

    with django_assert_num_queries(1):
        familiar = familiar_pairs(pairs)

    assert familiar == {(gwen.pk, ana.pk), (gwen.pk, ben.pk), (tom.pk, cat.pk)}
    # Tom was not asked about with Ana, so her Gwen visits say nothing about Tom.
    assert familiar_pairs([(tom.pk, ana.pk), (gwen.pk, cat.pk)]) == set()


def test_no_pairs_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert familiar_pairs([]) == set()

"""Bad input (DESIGN §7): each is refused in plain words and changes nothing at all."""

from contextlib import contextmanager

import pytest

from rota import services
from rota.models import AbsenceKind
from rota.rules import Refused, Rule, RuleBroken
from tests.factories import AssignmentFactory, CircleFactory, ClientFactory, PersonFactory
from tests.rota.conftest import at, visit
from tests.rota.stories import rota_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@contextmanager
def changes_nothing():
    before = rota_state()
    yield
    assert rota_state() == before


def plain(message: str) -> bool:
    """A sentence a person can read: no codes, no exception names, no ids."""
    return message[:1].isupper() and message.endswith(".") and "_" not in message


def test_a_visit_of_another_circle_is_refused_by_the_membership_rule(ana):
    elsewhere = visit(ClientFactory(circle=CircleFactory(name="Pontypridd")), at(4, 8))

    with changes_nothing(), pytest.raises(RuleBroken) as refused:
        services.claim(elsewhere, ana, actor=ana)

    [violation] = refused.value.violations
    assert violation.rule == Rule.MEMBERSHIP
    assert violation.message == "You are not a carer in Pontypridd."


def test_someone_who_is_not_a_carer_in_the_circle_is_refused(gwen, daughter):
    shift = visit(gwen, at(4, 8))

    for outsider in (PersonFactory(), daughter):
        with changes_nothing(), pytest.raises(RuleBroken) as refused:
            services.claim(shift, outsider, actor=outsider)
        assert [v.rule for v in refused.value.violations] == [Rule.MEMBERSHIP]
        assert plain(str(refused.value))


def test_a_swap_with_oneself_is_refused(gwen, ana, anas_place):
    anas_other = AssignmentFactory(shift=visit(gwen, at(5, 8)), carer=ana)

    with changes_nothing(), pytest.raises(Refused) as refused:
        services.propose_swap(anas_place, anas_other, actor=ana)

    assert refused.value.code == "swap_with_self"
    assert plain(refused.value.message)


def test_an_absence_that_ends_before_it_starts_is_refused(ana, anas_place):
    with changes_nothing(), pytest.raises(Refused) as refused:
        services.record_absence(ana, AbsenceKind.SICK, at(6, 0), at(4, 0), actor=ana)

    assert refused.value.code == "end_before_start"
    assert plain(refused.value.message)


def test_an_absence_given_in_naive_times_is_refused(ana, anas_place):
    naive_start, naive_end = at(4, 0).replace(tzinfo=None), at(6, 0).replace(tzinfo=None)
    with changes_nothing(), pytest.raises(Refused) as refused:
        services.record_absence(ana, AbsenceKind.SICK, naive_start, naive_end, actor=ana)

    assert refused.value.code == "naive_datetime"
    assert plain(refused.value.message)


def test_a_family_visit_by_someone_not_of_that_clients_family_is_refused(gwen, ben, anas_place):
    with changes_nothing(), pytest.raises(Refused) as refused:
        services.record_family_visit(ben, gwen, at(4, 7), at(4, 12), actor=ben)

    assert refused.value.code == "not_family"
    assert refused.value.message == "Only Gwen's family can say they will be with them."


def test_an_offer_of_someone_elses_place_is_refused(ben, anas_place):
    with changes_nothing(), pytest.raises(Refused) as refused:
        services.offer(anas_place, actor=ben)

    assert refused.value.code == "not_allowed"
    assert plain(refused.value.message)

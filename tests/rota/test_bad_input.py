"""Bad input (docs/design.md, The domain API): each is refused in plain words and changes nothing at
all."""

import pytest

from rota import services
from rota.models import AbsenceKind
from rota.rules import Rule
from tests.factories import AssignmentFactory, PersonFactory
from tests.outcomes import broken, refused
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def plain(message: str) -> bool:
    """A sentence a person can read: no codes, no exception names, no ids."""
    return message[:1].isupper() and message.endswith(".") and "_" not in message


def test_a_visit_of_another_circle_is_refused_by_the_membership_rule(ana, dilys):
    elsewhere = visit(dilys, at(4, 8))

    with broken(Rule.MEMBERSHIP) as refusal:
        services.claim(elsewhere, ana, actor=ana)

    [violation] = refusal.value.violations
    assert violation.message == "You are not a carer in Pontypridd."


def test_someone_who_is_not_a_carer_in_the_circle_is_refused(gwen, sian):
    shift = visit(gwen, at(4, 8))

    for outsider in (PersonFactory(), sian):
        with broken(Rule.MEMBERSHIP) as refusal:
            services.claim(shift, outsider, actor=outsider)
        assert plain(str(refusal.value))


def test_a_swap_with_oneself_is_refused(gwen, ana, anas_place):
    anas_other = AssignmentFactory(shift=visit(gwen, at(5, 8)), carer=ana)

    with refused("swap_with_self") as refusal:
        services.propose_swap(anas_place, anas_other, actor=ana)

    assert plain(refusal.value.message)


def test_an_absence_that_ends_before_it_starts_is_refused(ana, anas_place):
    with refused("end_before_start") as refusal:
        services.record_absence(ana, AbsenceKind.SICK, at(6, 0), at(4, 0), actor=ana)

    assert plain(refusal.value.message)


def test_an_absence_given_in_naive_times_is_refused(ana, anas_place):
    naive_start, naive_end = at(4, 0).replace(tzinfo=None), at(6, 0).replace(tzinfo=None)
    with refused("naive_datetime") as refusal:
        services.record_absence(ana, AbsenceKind.SICK, naive_start, naive_end, actor=ana)

    assert plain(refusal.value.message)


def test_a_family_visit_by_someone_not_of_that_clients_family_is_refused(gwen, ben, anas_place):
    with refused("not_family") as refusal:
        services.record_family_visit(ben, gwen, at(4, 7), at(4, 12), actor=ben)

    assert refusal.value.message == "Only Gwen's family can say they will be with them."


def test_an_offer_of_someone_elses_place_is_refused(ben, anas_place):
    with refused("not_allowed") as refusal:
        services.offer(anas_place, actor=ben)

    assert plain(refusal.value.message)

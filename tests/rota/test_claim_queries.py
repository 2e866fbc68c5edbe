"""How many queries one claim costs, pinned: it must not grow with the carer's rota."""

import pytest

from rota import services
from tests.factories import AssignmentFactory, ClientFactory
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

# Savepoint, lock the carer, lock the shift, help-request check, the rules' six reads, the
# free-place count, the place, the visit's places held counted again (lock, count), its audit
# event and its outbox row, release savepoint.
QUERIES_PER_CLAIM = 17


def test_a_claim_costs_a_fixed_number_of_queries(gwen, ana, django_assert_num_queries):
    shift = visit(gwen, at(4, 8))
    with django_assert_num_queries(QUERIES_PER_CLAIM):
        services.claim(shift, ana, actor=ana)


def test_a_busy_carer_costs_no_more_queries_to_check(circle, gwen, ana, django_assert_num_queries):
    for day in range(4, 11):
        for hour in (9, 12, 15):
            AssignmentFactory(shift=visit(ClientFactory(circle=circle), at(day, hour)), carer=ana)
    shift = visit(gwen, at(6, 17))
    with django_assert_num_queries(QUERIES_PER_CLAIM):
        services.claim(shift, ana, actor=ana)

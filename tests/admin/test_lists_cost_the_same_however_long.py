"""A list page costs the same number of queries whether it shows a few rows or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rota.generation import roll_horizon
from rota.models import Assignment, Offer
from tests.factories import AssignmentFactory, VisitPlanFactory, carer

pytestmark = pytest.mark.django_db

LISTS = ["rota_shift", "rota_assignment", "rota_offer", "people_person", "circles_membership"]


def busier(gwen, title: str) -> None:
    """Another carer, another daily plan of Gwen's, its shifts, and the carer on one of them."""
    newcomer = carer(gwen.circle)
    plan = VisitPlanFactory(client=gwen, title=title)
    roll_horizon(gwen.circle)
    held = AssignmentFactory(shift=plan.shifts.order_by("start").first(), carer=newcomer)
    Offer.objects.create(assignment=held)


def queries_for(browser, changelist: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = browser.get(reverse(f"admin:{changelist}_changelist"))
    assert page.status_code == 200
    return len(captured)


@pytest.mark.parametrize("changelist", LISTS)
def test_a_longer_list_needs_no_more_queries(coordinator_client, gwen, changelist):
    busier(gwen, "Breakfast")
    few = queries_for(coordinator_client, changelist)

    busier(gwen, "Lunch")
    busier(gwen, "Tea")
    assert Assignment.objects.count() == 3

    assert queries_for(coordinator_client, changelist) == few

"""One open swap proposal per visit: Ben's Tuesday visit is asked for by one colleague at a
time, and Ana asks one colleague at a time for hers. The second asker is told plainly; the
database has the last word (partial unique indexes), even with real parallel transactions."""

import pytest
from django.db import IntegrityError, transaction

from rota import services
from rota.models import Swap, SwapStatus
from rota.rules import Refused
from tests.factories import carer
from tests.outcomes import database_refuses, refused
from tests.rota.test_concurrency import race
from tests.stories import place, tomorrow, visit


@pytest.fixture
def places(gwen, tom, ana, ben, cat):
    """Ana's and Cat's visits tomorrow morning, and Ben's at noon that both would like."""
    return {
        "ana": place(visit(gwen, tomorrow(8)), ana),
        "cat": place(visit(tom, tomorrow(9)), cat),
        "ben": place(visit(tom, tomorrow(12)), ben),
        "ben_later": place(visit(gwen, tomorrow(16)), ben),
    }


@pytest.mark.django_db
def test_a_second_asker_for_the_same_visit_is_told_plainly(ana, cat, places):
    services.propose_swap(places["ana"], places["ben"], actor=ana)

    with refused("asked_by_someone_else") as refusal:
        services.propose_swap(places["cat"], places["ben"], actor=cat)

    assert refusal.value.message == (
        "Someone else has just asked Ben for this visit. Choose another one."
    )


@pytest.mark.django_db
def test_a_carer_asks_one_colleague_at_a_time_for_her_visit(ana, places):
    first = services.propose_swap(places["ana"], places["ben"], actor=ana)

    with refused("already_asking") as refusal:
        services.propose_swap(places["ana"], places["ben_later"], actor=ana)
    assert "Withdraw that in My shifts" in refusal.value.message

    services.withdraw_swap(first, actor=ana)
    again = services.propose_swap(places["ana"], places["ben_later"], actor=ana)
    assert again.status == SwapStatus.PROPOSED


@pytest.mark.django_db
def test_the_database_holds_one_open_proposal_per_visit_on_either_side(places):
    Swap.objects.create(offered=places["ana"], wanted=places["ben"])
    Swap.objects.create(offered=places["cat"], wanted=places["ben"], status=SwapStatus.DECLINED)

    with database_refuses("swap_one_open_per_wanted"):
        Swap.objects.create(offered=places["cat"], wanted=places["ben"])
    with database_refuses("swap_one_open_per_offered"):
        Swap.objects.create(offered=places["ana"], wanted=places["ben_later"])


@pytest.mark.django_db(transaction=True)
def test_ten_colleagues_asking_for_one_visit_at_once_leave_one_proposal(circle, gwen, places):
    askers = [carer(circle) for _ in range(10)]
    theirs = [place(visit(gwen, tomorrow(8)), person) for person in askers]

    results = race(10, lambda i: services.propose_swap(theirs[i], places["ben"], actor=askers[i]))

    won = [r for r in results if isinstance(r, Swap)]
    lost = [r for r in results if isinstance(r, Refused)]
    assert len(won) == 1 and len(lost) == 9, results
    assert {r.code for r in lost} == {"asked_by_someone_else"}
    assert Swap.objects.filter(wanted=places["ben"], status=SwapStatus.PROPOSED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_inserts_at_once_past_the_service_are_refused_by_the_index(places):
    """Without the service's locks, the partial unique index alone lets one in."""

    def insert(i: int) -> Swap:
        with transaction.atomic():
            return Swap.objects.create(offered=places[("ana", "cat")[i]], wanted=places["ben"])

    results = race(2, insert)

    assert sum(isinstance(r, Swap) for r in results) == 1, results
    assert sum(isinstance(r, IntegrityError) for r in results) == 1, results
    assert Swap.objects.filter(wanted=places["ben"], status=SwapStatus.PROPOSED).count() == 1

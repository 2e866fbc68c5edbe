"""The monthly check-in under real parallel transactions on PostgreSQL: a carer's answers
sent twice at the same moment (a double tap, two phones) are one answer, never two, and
never a refusal; many carers answering at once each count once."""

import pytest

from circles import checkins
from circles.models import CheckIn
from rota import services
from tests.factories import carer
from tests.rota.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_carer_answering_ten_times_at_once_leaves_one_answer(circle, ana):
    results = race(
        10, lambda i: services.answer_check_in(circle, coping=1 + i % 5, me=3, actor=ana)
    )

    assert all(isinstance(result, CheckIn) for result in results), results
    saved = CheckIn.objects.get()
    assert saved.person_id == ana.pk
    assert saved.coping in {result.coping for result in results}


def test_ten_carers_answering_at_once_each_count_once(circle):
    carers = [carer(circle) for _ in range(10)]

    results = race(10, lambda i: services.answer_check_in(circle, coping=3, me=3, actor=carers[i]))

    assert all(isinstance(result, CheckIn) for result in results), results
    assert sorted(CheckIn.objects.values_list("person", flat=True)) == sorted(c.pk for c in carers)
    assert {checkins.answered(circle, c.pk).coping for c in carers} == {3}

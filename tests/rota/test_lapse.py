"""Offers and swap proposals lapse when their visit starts."""

from datetime import timedelta

import pytest
import time_machine

from rota import services
from rota.lapse import lapse_started
from rota.models import OfferStatus, SwapStatus
from tests.stories import at, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_an_untaken_offer_and_an_open_swap_lapse_when_the_visit_starts(gwen, tom, ana, ben):
    anas = services.claim(visit(gwen, at(4, 8)), ana)
    bens = services.claim(visit(tom, at(5, 8)), ben)
    later = services.claim(visit(tom, at(6, 8)), ana)
    offer = services.offer(anas, actor=ana)
    swap = services.propose_swap(later, bens, actor=ana)
    assert lapse_started() == 0

    with time_machine.travel(at(4, 8) + timedelta(minutes=1), tick=False):
        assert lapse_started() == 1
        assert lapse_started() == 0  # safe to run again
    offer.refresh_from_db()
    swap.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED and offer.closed_reason == "The visit has started."
    assert swap.status == SwapStatus.PROPOSED  # neither of its visits has started yet

    with time_machine.travel(at(5, 8), tick=False):
        assert lapse_started() == 1
    swap.refresh_from_db()
    assert swap.status == SwapStatus.CLOSED

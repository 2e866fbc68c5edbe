"""Gwen's yes to Ffion (new to her, asked first) and Ben (whom she knows) claiming the same
last place, at the same moment, in real parallel transactions: exactly one of them holds it.
If Ben won, Gwen's yes lapses and says the visit was taken meanwhile; if the yes won, Ben is
told by `full` that it has just been taken."""

import pytest

from people.models import CarerPreference, NewFaces, Preference
from rota import services
from rota.models import Assignment, NewFaceStatus
from rota.rules import AskedFirst, Rule, RuleBroken
from tests.factories import PersonFactory, carer
from tests.rota.test_concurrency import race
from tests.stories import planned_visit, tomorrow

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_yes_and_a_claim_racing_for_the_last_place_leave_exactly_one_holder(circle, gwen):
    rhys = PersonFactory(full_name="Rhys Davies")
    gwen.representative = rhys
    gwen.save(update_fields=["representative"])
    services.set_new_face_limit(gwen, 0, past_limit=NewFaces.ASK_FIRST, actor=rhys)
    ben = carer(circle, full_name="Ben Jones")
    CarerPreference.objects.create(client=gwen, carer=ben, preference=Preference.PREFERRED)

    for hour in (8, 10, 12, 14, 16, 18):
        # A carer new to Gwen each time: once placed, Ffion is no new face this month.
        ffion = carer(circle, full_name=f"Ffion Lloyd {hour}")
        shift = planned_visit(gwen, tomorrow(hour))
        with pytest.raises(AskedFirst) as asked:
            services.claim(shift, ffion, actor=ffion)
        request = asked.value.request

        answered, claimed = race(
            2,
            lambda i, request=request, shift=shift: (
                services.approve_new_face(request, actor=rhys)
                if i == 0
                else services.claim(shift, ben, actor=ben)
            ),
        )

        holders = list(
            Assignment.objects.filter(shift=shift, released_at__isnull=True).values_list(
                "carer_id", flat=True
            )
        )
        request.refresh_from_db()
        if isinstance(claimed, Assignment):
            assert holders == [ben.pk]
            assert request.status == NewFaceStatus.LAPSED
            assert request.closed_reason == "Someone else took the visit meanwhile."
        else:
            assert isinstance(claimed, RuleBroken), claimed
            assert [v.rule for v in claimed.violations] == [Rule.FULL]
            assert holders == [ffion.pk]
            assert request.status == NewFaceStatus.APPROVED

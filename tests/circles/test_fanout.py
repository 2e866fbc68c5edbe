"""Carers and families hear of the rota changes that concern them, once (docs/design.md, Who hears
what)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse

from circles.fanout import tell_people
from circles.models import Notification, NotificationKind
from people.models import CarerPreference, Preference
from rota import services
from rota.models import AbsenceKind, AuditEvent
from tests.stories import MONDAY_MIDNIGHT, at, place, planned_visit, visit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MIDNIGHT),
    pytest.mark.usefixtures("frozen_now"),
]


def told(person, kind=None):
    notes = Notification.objects.filter(person=person)
    return list(notes.filter(kind=kind) if kind else notes)


def follow_up(action: str) -> int:
    return tell_people(AuditEvent.objects.filter(action=action).latest("pk").pk)


def test_the_family_hears_a_new_face_is_coming_and_a_familiar_one_plainly(gwen, sian, ana, ben):
    CarerPreference.objects.create(client=gwen, carer=ben, preference=Preference.PREFERRED)
    services.claim(visit(gwen, at(4, 8)), ana)
    follow_up("claim")
    services.claim(visit(gwen, at(5, 8)), ben)
    follow_up("claim")
    [new_face] = told(sian, NotificationKind.UNFAMILIAR_CARER)
    assert new_face.title == "Someone new is coming to Gwen: Ana, on Mon 4 May 08:00"
    [familiar] = told(sian, NotificationKind.VISIT_CHANGED)
    assert familiar.title == "Ben will visit Gwen on Tue 5 May 08:00"


def test_an_offered_visit_is_offered_to_the_carers_who_could_take_it(gwen, tom, ana, ben, cat):
    place = services.claim(visit(gwen, at(4, 8)), ana)
    services.claim(visit(tom, at(4, 8)), cat)  # busy at that time
    services.offer(place, actor=ana)
    assert follow_up("offer") == 1
    [asked] = told(ben, NotificationKind.NEEDS_COVER)
    assert asked.title == "Gwen's visit on Mon 4 May 08:00 needs a carer"
    assert asked.link == reverse("carer:needs_cover")
    assert told(cat, NotificationKind.NEEDS_COVER) == [] and told(ana) == []


def test_a_swap_proposal_reaches_the_colleague_and_its_acceptance_the_proposer(gwen, tom, ana, ben):
    mine = services.claim(visit(gwen, at(4, 8)), ana)
    theirs = services.claim(visit(tom, at(5, 8)), ben)
    swap = services.propose_swap(mine, theirs, actor=ana)
    follow_up("propose_swap")
    [offer] = told(ben, NotificationKind.SWAP_OFFERED)
    assert offer.title == "Ana asks to swap visits with you"
    assert "Gwen on Mon 4 May 08:00" in offer.body and "Tom on Tue 5 May 08:00" in offer.body
    services.accept_swap(swap, actor=ben)
    follow_up("accept_swap")
    [done] = told(ana, NotificationKind.SHIFT_CHANGED)
    assert done.title == "Ben accepted your swap"


def test_an_absence_asks_the_circle_to_cover_and_does_not_tell_the_carer_who_said_it(
    gwen, ana, ben
):
    services.claim(visit(gwen, at(4, 8)), ana)
    services.record_absence(ana, AbsenceKind.SICK, at(4, 0), at(5, 0), actor=ana)
    follow_up("record_absence")
    assert told(ana) == []
    [asked] = told(ben, NotificationKind.NEEDS_COVER)
    assert "Gwen" in asked.title


def test_a_carer_freed_by_a_family_visit_hears_it_is_not_needed(gwen, sian, ana):
    services.claim(planned_visit(gwen, at(4, 14)), ana)
    services.record_family_visit(sian, gwen, at(4, 13), at(4, 17), actor=sian)
    follow_up("record_family_visit")
    [freed] = told(ana, NotificationKind.SHIFT_CHANGED)
    assert freed.title == "Your visit to Gwen on Mon 4 May 14:00 is not needed"


def test_a_cancelled_visit_is_told_to_its_carer_and_the_family(gwen, sian, ana, rhian):
    shift = visit(gwen, at(4, 8))
    services.claim(shift, ana)
    services.cancel_shift(shift, "In hospital", actor=rhian)
    follow_up("cancel_shift")
    for person in (ana, sian):
        [note] = told(person, NotificationKind.VISIT_CHANGED)
        assert note.body == "The reason given: In hospital"
    assert told(rhian) == []


def test_telling_twice_tells_nobody_twice(gwen, sian, ana):
    services.claim(visit(gwen, at(4, 8)), ana)
    follow_up("claim")
    follow_up("claim")
    assert len(told(sian)) == 1


def messages_by_person() -> Counter:
    return Counter(Notification.objects.values_list("person__full_name", flat=True))


def test_a_change_to_thirty_visits_is_one_message_to_each_person_it_concerns(
    gwen, rhys, sian, ana, ben
):
    for day in range(30):
        place(planned_visit(gwen, at(4, 8) + timedelta(days=day)), ana)
    services.decline_carer(gwen, ana, actor=rhys)

    assert follow_up("decline_carer") == 3
    assert messages_by_person() == {"Ana Price": 1, "Ben Jones": 1, "Sian Davies": 1}
    [gone] = told(ana, NotificationKind.SHIFT_CHANGED)
    assert gone.title == "30 of your visits have changed"
    assert gone.body.count("• Your visit to Gwen on") == 30
    assert gone.body.startswith("• Your visit to Gwen on Mon 4 May 08:00 is no longer yours")
    assert gone.link == reverse("carer:my_shifts")
    [asked] = told(ben, NotificationKind.NEEDS_COVER)
    assert asked.title == "30 visits you could take need a carer"
    assert asked.body.splitlines()[0] == "You could take them: open “Needs cover” to say you will."
    assert asked.body.count("• Gwen's visit on") == 30
    assert asked.link == reverse("carer:needs_cover")
    [family] = told(sian, NotificationKind.VISIT_CHANGED)
    assert family.title == "30 visits have changed"
    assert "• Ana can't come to Gwen on Mon 4 May 08:00" in family.body
    assert family.link == reverse("family:coming_for", kwargs={"client_id": gwen.pk})


def test_a_declined_swap_is_told_to_the_carer_who_asked(gwen, tom, ana, ben):
    mine = services.claim(visit(gwen, at(4, 8)), ana)
    theirs = services.claim(visit(tom, at(5, 8)), ben)
    swap = services.propose_swap(mine, theirs, actor=ana)
    services.decline_swap(swap, actor=ben)
    follow_up("decline_swap")
    [declined] = told(ana, NotificationKind.SHIFT_CHANGED)
    assert declined.title == "Ben can't swap with you"
    assert declined.body == "Your visit to Gwen on Mon 4 May 08:00 stays yours."


def test_withdrawing_a_family_visit_tells_each_carer_put_back_once(gwen, sian, ana, ben, cat):
    morning = planned_visit(gwen, at(4, 9))
    afternoon = planned_visit(gwen, at(4, 14))
    place(morning, ana)
    place(afternoon, ben)
    family_visit = services.record_family_visit(sian, gwen, at(4, 8), at(4, 18), actor=sian)
    follow_up("record_family_visit")
    # Ben has taken another visit at the same time meanwhile: he can't be put back.
    services.claim(visit(gwen, at(4, 14, 30)), ben)
    Notification.objects.all().delete()

    services.withdraw_family_visit(family_visit, actor=sian)
    follow_up("withdraw_family_visit")
    follow_up("withdraw_family_visit")

    [back_on] = told(ana)
    assert back_on.title == "Your visit to Gwen on Mon 4 May 09:00 is back on"
    assert back_on.kind == NotificationKind.SHIFT_CHANGED
    assert back_on.link == reverse("carer:my_shifts")
    assert told(ben) == []  # not put back, and not free to take it
    [asked] = told(cat, NotificationKind.NEEDS_COVER)
    assert asked.title == "Gwen's visit on Mon 4 May 14:00 needs a carer"
    assert messages_by_person() == {"Ana Price": 1, "Cat Morgan": 1}

"""A carer at a visit says “I've arrived” and then “I've left”, with what was done; a tap made
offline comes later with the phone's time and its own id, and counts once."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection

from rota import services
from rota.models import (
    Action,
    AuditEvent,
    MedicationOutcome,
    MedicationRound,
    ReleaseReason,
    ShiftStatus,
    VisitRecord,
)
from rota.rules import Refused
from rota.services import MedicineRound
from tests.rota.test_concurrency import race
from tests.stories import WEDNESDAY_NOON, in_days, place, planned_visit

NOON = WEDNESDAY_NOON
TASKS = ("Breakfast", "Help to wash", "Empty the commode")
MEDICINES = ("Metformin 500 mg", "Paracetamol 1 g")


@pytest.fixture
def gwens_lunch(gwen, frozen_now):
    """Gwen's lunch visit today, Wednesday, 12:00 to 13:00: three tasks, two medicines."""
    shift = planned_visit(gwen, NOON, title="Lunch", tasks=TASKS)
    shift.plan.medicines = list(MEDICINES)
    shift.plan.save(update_fields=["medicines"])
    return shift


@pytest.fixture
def anas(gwens_lunch, ana):
    return place(gwens_lunch, ana)


def events(action: Action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def refused(code: str, change) -> Refused:
    with pytest.raises(Refused) as caught:
        change()
    assert caught.value.code == code, caught.value.message
    return caught.value


# --- arrived ---------------------------------------------------------------------------------


def test_arriving_keeps_the_time_beside_the_planned_one_and_tells_the_trail(anas, ana):
    record = services.arrive(anas, actor=ana)

    assert record.arrived_at == NOON and record.left_at is None
    assert record.arrival_tap is None
    [event] = events(Action.ARRIVE)
    assert event.carer_ids == [ana.pk] and event.actor_id == ana.pk
    assert event.after == {"shift": anas.shift_id, "arrived_at": "2026-04-29T11:00:00+00:00"}


def test_an_offline_tap_keeps_the_phones_time(anas, ana):
    tapped = NOON - timedelta(minutes=7)

    record = services.arrive(anas, at=tapped, tap=uuid.uuid4(), actor=ana)

    assert record.arrived_at == tapped


def test_the_same_tap_sent_again_changes_nothing(anas, ana, frozen_now):
    tap = uuid.uuid4()
    first = services.arrive(anas, at=NOON, tap=tap, actor=ana)
    frozen_now.shift(timedelta(minutes=5))

    again = services.arrive(anas, at=NOON + timedelta(minutes=4), tap=tap, actor=ana)

    assert again.pk == first.pk and again.arrived_at == NOON
    assert VisitRecord.objects.count() == 1
    assert len(events(Action.ARRIVE)) == 1


def test_someone_else_may_not_arrive_at_anas_visit(anas, ben):
    error = refused("not_allowed", lambda: services.arrive(anas, actor=ben))

    assert "someone else" in error.message
    assert not VisitRecord.objects.exists() and not events(Action.ARRIVE)


def test_a_place_given_up_is_not_arrived_at(anas, ana):
    anas.released_at, anas.release_reason = NOON - timedelta(days=1), ReleaseReason.OFFER_TAKEN
    anas.save(update_fields=["released_at", "release_reason"])

    refused("not_held", lambda: services.arrive(anas, actor=ana))
    assert not VisitRecord.objects.exists()


def test_a_cancelled_visit_is_not_arrived_at(anas, ana, gwens_lunch):
    gwens_lunch.status, gwens_lunch.cancel_reason = ShiftStatus.CANCELLED, "Gwen is in hospital"
    gwens_lunch.save(update_fields=["status", "cancel_reason"])

    refused("cancelled", lambda: services.arrive(anas, actor=ana))


def test_arriving_twice_is_refused_with_the_first_time(anas, ana, frozen_now):
    services.arrive(anas, actor=ana)
    frozen_now.shift(timedelta(minutes=3))

    error = refused("already_arrived", lambda: services.arrive(anas, actor=ana))

    assert "12:00" in error.message
    assert VisitRecord.objects.get().arrived_at == NOON
    assert len(events(Action.ARRIVE)) == 1


def test_arriving_is_possible_from_thirty_minutes_before_the_start(anas, ana):
    error = refused(
        "too_early",
        lambda: services.arrive(anas, at=NOON - timedelta(minutes=31), actor=ana),
    )
    assert "11:30" in error.message
    assert not VisitRecord.objects.exists()

    record = services.arrive(anas, at=NOON - timedelta(minutes=30), actor=ana)
    assert record.arrived_at == NOON - timedelta(minutes=30)


def test_arriving_an_hour_after_the_visit_ended_is_too_late(anas, ana, frozen_now):
    frozen_now.move_to(NOON + timedelta(hours=3))
    end = NOON + timedelta(hours=1)

    error = refused(
        "too_late", lambda: services.arrive(anas, at=end + timedelta(minutes=61), actor=ana)
    )

    assert "13:00" in error.message
    assert not VisitRecord.objects.exists()
    assert services.arrive(anas, at=end + timedelta(minutes=60), actor=ana).pk


def test_a_time_still_to_come_is_not_believed(anas, ana):
    refused(
        "in_the_future",
        lambda: services.arrive(anas, at=NOON + timedelta(minutes=3), actor=ana),
    )
    assert not VisitRecord.objects.exists()

    # A phone's clock a minute fast is believed.
    assert services.arrive(anas, at=NOON + timedelta(minutes=1), actor=ana).pk


def test_a_time_without_its_zone_is_refused(anas, ana):
    refused("naive_datetime", lambda: services.arrive(anas, at=NOON.replace(tzinfo=None)))


def test_a_tap_of_another_visit_is_refused(anas, ana, gwen, frozen_now):
    tap = uuid.uuid4()
    services.arrive(anas, tap=tap, actor=ana)
    other = place(planned_visit(gwen, NOON + timedelta(hours=1), title="Tea"), ana)
    frozen_now.move_to(NOON + timedelta(hours=1))

    refused("tap_elsewhere", lambda: services.arrive(other, tap=tap, actor=ana))


def test_a_double_up_records_each_carer(gwen, ana, ben, frozen_now):
    shift = planned_visit(gwen, NOON, carers_needed=2, tasks=TASKS)
    anas, bens = place(shift, ana), place(shift, ben)

    services.arrive(anas, at=NOON - timedelta(minutes=2), actor=ana)
    services.arrive(bens, at=NOON, actor=ben)
    frozen_now.shift(timedelta(hours=1))
    services.leave(bens, at=NOON + timedelta(minutes=50), tasks_done=["Breakfast"], actor=ben)

    ana_record, ben_record = anas.record, bens.record
    ana_record.refresh_from_db()
    assert ana_record.arrived_at == NOON - timedelta(minutes=2) and ana_record.left_at is None
    assert ben_record.left_at == NOON + timedelta(minutes=50)
    assert ben_record.tasks_done == ["Breakfast"]
    assert sorted(e.carer_ids[0] for e in events(Action.ARRIVE)) == sorted([ana.pk, ben.pk])
    # Ben can't say Ana has arrived or left.
    refused("not_allowed", lambda: services.leave(anas, actor=ben))


# --- left ------------------------------------------------------------------------------------


@pytest.fixture
def arrived(anas, ana, frozen_now):
    services.arrive(anas, actor=ana)
    frozen_now.move_to(NOON + timedelta(minutes=55))
    return anas


def test_leaving_says_what_was_done(arrived, ana):
    record = services.leave(
        arrived,
        tasks_done=["Empty the commode", "Breakfast"],
        medication=[
            MedicineRound("Metformin 500 mg", MedicationOutcome.GIVEN),
            MedicineRound("Paracetamol 1 g", MedicationOutcome.NOT_GIVEN, "None left in the box"),
        ],
        note="  Gwen was bright and chatty; the cat had been sick.  ",
        actor=ana,
    )

    record.refresh_from_db()
    assert record.left_at == NOON + timedelta(minutes=55)
    # Kept in the plan's order, whatever order they were ticked in.
    assert record.tasks_done == ["Breakfast", "Empty the commode"]
    assert record.note == "Gwen was bright and chatty; the cat had been sick."
    assert [(m.medicine, m.outcome, m.reason) for m in record.medication.all()] == [
        ("Metformin 500 mg", "given", ""),
        ("Paracetamol 1 g", "not_given", "None left in the box"),
    ]
    [event] = events(Action.LEAVE)
    assert event.carer_ids == [ana.pk]
    assert event.after == {"shift": arrived.shift_id, "left_at": "2026-04-29T11:55:00+00:00"}


def test_a_leaving_tap_sent_again_changes_nothing(arrived, ana, frozen_now):
    tap = uuid.uuid4()
    left = NOON + timedelta(minutes=50)
    services.leave(arrived, at=left, tap=tap, tasks_done=["Breakfast"], note="Fine", actor=ana)
    frozen_now.shift(timedelta(minutes=2))

    again = services.leave(arrived, at=left, tap=tap, tasks_done=["Help to wash"], actor=ana)

    again.refresh_from_db()
    assert again.tasks_done == ["Breakfast"] and again.note == "Fine" and again.left_at == left
    assert len(events(Action.LEAVE)) == 1


def test_leaving_before_arriving_is_refused(anas, ana, frozen_now):
    frozen_now.move_to(NOON + timedelta(minutes=55))

    error = refused("not_arrived", lambda: services.leave(anas, actor=ana))

    assert "arrived" in error.message
    assert not VisitRecord.objects.exists() and not events(Action.LEAVE)


def test_leaving_twice_is_refused(arrived, ana):
    services.leave(arrived, actor=ana)

    refused("already_left", lambda: services.leave(arrived, note="Again", actor=ana))
    assert VisitRecord.objects.get().note == ""


def test_a_leaving_time_before_the_arrival_is_refused(arrived, ana):
    for at in (NOON - timedelta(minutes=1), NOON):
        error = refused("left_before_arriving", lambda at=at: services.leave(arrived, at=at))
        assert "12:00" in error.message
    assert VisitRecord.objects.get().left_at is None


def test_a_leaving_time_still_to_come_is_refused(arrived, ana):
    refused(
        "in_the_future",
        lambda: services.leave(arrived, at=NOON + timedelta(hours=2), actor=ana),
    )
    assert VisitRecord.objects.get().left_at is None


NOTHING_CHANGES = [
    pytest.param({"tasks_done": ["Walk the dog"]}, "not_a_task", id="a task not on the plan"),
    pytest.param(
        {"medication": [MedicineRound("Aspirin", "given")]},
        "not_a_medicine",
        id="a medicine not on the plan",
    ),
    pytest.param(
        {"medication": [MedicineRound("Metformin 500 mg", "forgotten")]},
        "no_outcome",
        id="an outcome that is none of them",
    ),
    pytest.param(
        {"medication": [MedicineRound("Metformin 500 mg", MedicationOutcome.NOT_GIVEN, "  ")]},
        "no_reason",
        id="not given without a reason",
    ),
    pytest.param(
        {
            "medication": [
                MedicineRound("Metformin 500 mg", "given"),
                MedicineRound("Metformin 500 mg", "refused"),
            ]
        },
        "medicine_twice",
        id="a medicine twice",
    ),
    pytest.param(
        {"medication": [MedicineRound("Metformin 500 mg", "not_given", "x" * 201)]},
        "reason_too_long",
        id="a reason over the limit",
    ),
    pytest.param({"note": "x" * 1001}, "note_too_long", id="a note over the limit"),
]


@pytest.mark.parametrize(("said", "code"), NOTHING_CHANGES)
def test_what_was_done_is_checked_against_the_plan_and_nothing_changes(arrived, ana, said, code):
    refused(code, lambda: services.leave(arrived, **said, actor=ana))

    record = VisitRecord.objects.get()
    assert record.left_at is None and record.tasks_done == [] and record.note == ""
    assert not MedicationRound.objects.exists() and not events(Action.LEAVE)


def test_a_medicine_outcome_on_a_visit_without_medication_is_refused(gwen, ana, frozen_now):
    shift = planned_visit(gwen, NOON, tasks=TASKS)
    anas = place(shift, ana)
    services.arrive(anas, actor=ana)
    frozen_now.shift(timedelta(minutes=40))

    error = refused(
        "no_medication",
        lambda: services.leave(
            anas, medication=[MedicineRound("Metformin 500 mg", "given")], actor=ana
        ),
    )

    assert "no medicines" in error.message
    assert VisitRecord.objects.get().left_at is None


# --- two identical taps at the same moment ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_identical_taps_at_once_record_one_visit(cast):
    start = in_days(0, 0) + timedelta(minutes=1)
    shift = planned_visit(cast.gwen, start, hours=23, tasks=TASKS)
    anas = place(shift, cast.ana)
    tap, leaving = uuid.uuid4(), uuid.uuid4()

    arrivals = race(8, lambda i: services.arrive(anas, tap=tap, actor=cast.ana))
    leavings = race(
        8,
        lambda i: services.leave(anas, tap=leaving, tasks_done=["Breakfast"], actor=cast.ana),
    )

    assert all(isinstance(r, VisitRecord) for r in arrivals + leavings), arrivals + leavings
    assert {r.pk for r in arrivals + leavings} == {VisitRecord.objects.get().pk}
    assert AuditEvent.objects.filter(action=Action.ARRIVE).count() == 1
    assert AuditEvent.objects.filter(action=Action.LEAVE).count() == 1
    connection.close()

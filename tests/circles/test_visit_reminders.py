"""Reminders before a carer's visits (docs/design.md, Who hears what), for carers who turned
them on: at 18:00 the evening before, one message listing tomorrow's visits; an hour before,
the visit itself. Each once, each linking to My shifts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from circles.channels import turn_on_reminders
from circles.models import Notification, NotificationKind
from circles.reminders import remind_visits
from rota import services
from tests.stories import at, place, planned_visit, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

WEDNESDAY_EVENING = at(29, 18, month=4)


def thursday(hour: int, minute: int = 0):
    return at(30, hour, minute, month=4)


def reminders(kind) -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("person__full_name", "title", "body")
    )


@pytest.fixture
def ana(ana):
    """Ana, who turned reminders on."""
    turn_on_reminders(ana, push=False)
    return ana


def test_at_six_the_evening_before_a_carer_gets_one_list_of_tomorrows_visits(
    frozen_now, gwen, tom, ana, ben
):
    place(planned_visit(gwen, thursday(8)), ana)
    place(planned_visit(tom, thursday(13, 30), hours=0.5), ana)
    place(planned_visit(gwen, thursday(10)), ben)  # Ben did not ask for reminders
    place(planned_visit(gwen, at(1, 9)), ana)  # Friday: not tomorrow

    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(minutes=5))
    assert remind_visits() == 0
    frozen_now.move_to(WEDNESDAY_EVENING)
    assert remind_visits() == 1
    frozen_now.move_to(WEDNESDAY_EVENING + timedelta(hours=2))
    remind_visits()

    assert reminders(NotificationKind.VISITS_TOMORROW) == [
        (
            "Ana Price",
            "You have 2 visits tomorrow, Thursday 30 April",
            "08:00–09:00 Gwen\n13:30–14:00 Tom\n\n"
            "On the day, My shifts has each address, getting in and who to phone.",
        )
    ]
    note = Notification.objects.get(kind=NotificationKind.VISITS_TOMORROW)
    assert note.link == "/shifts/"
    assert note.key == "visits-tomorrow:2026-04-30"
    assert not note.urgent


def test_places_given_up_and_visits_not_needed_are_left_out(frozen_now, gwen, ana, ben):
    kept = place(planned_visit(gwen, thursday(8)), ana)
    given = services.offer(place(planned_visit(gwen, thursday(12)), ana))
    services.take_offer(given, ben)
    freed = place(planned_visit(gwen, thursday(15)), ana)
    freed.shift.status = "not_needed"
    freed.shift.save(update_fields=["status"])

    frozen_now.move_to(WEDNESDAY_EVENING)
    remind_visits()

    (note,) = Notification.objects.filter(kind=NotificationKind.VISITS_TOMORROW)
    assert note.title == "You have 1 visit tomorrow, Thursday 30 April"
    assert note.body.startswith("08:00–09:00 Gwen\n\n")
    assert kept.carer == ana


def test_an_hour_before_a_visit_its_carer_is_reminded_once(frozen_now, gwen, ana):
    place(planned_visit(gwen, thursday(8)), ana)

    frozen_now.move_to(thursday(6, 55))
    remind_visits()
    assert reminders(NotificationKind.VISIT_SOON) == []
    frozen_now.move_to(thursday(7, 0))
    remind_visits()
    frozen_now.move_to(thursday(7, 5))
    remind_visits()

    assert reminders(NotificationKind.VISIT_SOON) == [
        (
            "Ana Price",
            "Your visit to Gwen starts at 08:00",
            "Gwen, 08:00–09:00. Getting in and who to phone are on My shifts.",
        )
    ]
    assert Notification.objects.get(kind=NotificationKind.VISIT_SOON).link == "/shifts/"


def test_a_visit_taken_within_the_hour_is_not_reminded(frozen_now, gwen, ana):
    frozen_now.move_to(thursday(7, 30))
    place(visit(gwen, thursday(8)), ana)

    remind_visits()

    assert reminders(NotificationKind.VISIT_SOON) == []


def test_carers_who_did_not_turn_reminders_on_hear_nothing(frozen_now, gwen, ben):
    place(planned_visit(gwen, thursday(8)), ben)
    for moment in (WEDNESDAY_EVENING, thursday(7)):
        frozen_now.move_to(moment)
        assert remind_visits() == 0
    assert not Notification.objects.exists()


def test_a_welsh_speaker_is_reminded_in_welsh(frozen_now, gwen, ana):
    ana.language = "cy"
    ana.save(update_fields=["language"])
    place(planned_visit(gwen, thursday(8)), ana)

    frozen_now.move_to(WEDNESDAY_EVENING)
    remind_visits()

    note = Notification.objects.get(kind=NotificationKind.VISITS_TOMORROW)
    assert "Dydd Iau 30 Ebrill" in note.title


def test_the_demos_job_runner_sends_reminders_too(frozen_now, gwen, ana):
    place(planned_visit(gwen, thursday(8)), ana)
    frozen_now.move_to(WEDNESDAY_EVENING)
    out = StringIO()

    call_command("run_periodic_jobs", "--once", stdout=out)

    assert "remind-visits: 1" in out.getvalue()
    assert Notification.objects.filter(kind=NotificationKind.VISITS_TOMORROW).exists()

"""At a visit on the phone (390×844, JavaScript on): Ana taps “I've arrived”, then “I've left”
with a task and a medicine given, and Gwen's daughter Sian reads what happened. Ben, at the
same time at Tom's with no signal, taps both offline: his phone keeps them with the times he
tapped, and once back online they reach the server once, with those times, not the time they
were sent. Time is real here."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rota.models import Action, AuditEvent, MedicationRound, VisitRecord
from tests.browser.conftest import assert_accessible, assert_fits_the_phone
from tests.stories import place, planned_visit
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Saved on your phone: it will be sent when you're back online."


def lunch(client, carer):
    """A visit that started ten minutes ago, with two tasks and one medicine."""
    shift = planned_visit(
        client, timezone.now() - timedelta(minutes=10), hours=2, tasks=("Lunch", "Help to wash")
    )
    shift.plan.medicines = ["Metformin 500 mg"]
    shift.plan.save(update_fields=["medicines"])
    return place(shift, carer)


def test_arrive_and_leave_with_what_was_done(phone_of, story):
    anas = lunch(story.gwen, story.ana)
    ana = phone_of("ana@example.org", "/shifts/")

    ana.get_by_role("button", name="I've arrived").click()

    expect(ana.get_by_text("Thank you: you've arrived.")).to_be_visible()
    record = VisitRecord.objects.get(assignment=anas)
    assert abs(record.arrived_at - timezone.now()) < timedelta(seconds=10)
    assert record.arrival_tap is not None  # made on the phone
    assert_fits_the_phone(ana)
    assert_accessible(ana)

    ana.get_by_role("link", name="I've left").click()
    expect(ana.get_by_role("heading", name="Leaving Gwen")).to_be_visible()
    ana.get_by_label("Lunch").check()
    medicine = ana.get_by_role("group", name="Medicine: Metformin 500 mg")
    medicine.get_by_label("Given", exact=True).check()
    ana.get_by_label("How was Gwen today?").fill("Gwen was cheerful and ate well.")
    assert_fits_the_phone(ana)
    assert_accessible(ana)
    ana.get_by_role("button", name="I've left").click()

    expect(ana.get_by_text("Your visit to Gwen is recorded", exact=False)).to_be_visible()
    record.refresh_from_db()
    assert record.left_at is not None and record.tasks_done == ["Lunch"]
    assert record.note == "Gwen was cheerful and ate well."
    assert list(MedicationRound.objects.values_list("medicine", "outcome")) == [
        ("Metformin 500 mg", "given")
    ]

    # Sian, Gwen's daughter, at work: what happened at her mother's lunch.
    sian = phone_of("sian@example.org", f"/family/{story.gwen.pk}/visits/done/")
    visit = sian.locator("main")
    expect(visit).to_contain_text("Ana")
    expect(visit).to_contain_text("Lunch")
    expect(visit).to_contain_text("Metformin 500 mg")
    expect(visit).to_contain_text("Given")
    expect(visit).to_contain_text("Gwen was cheerful and ate well.")
    arrived = timezone.localtime(record.arrived_at, story.gwen.circle.tz)
    expect(visit).to_contain_text(f"{arrived:%H:%M}")
    assert_fits_the_phone(sian)
    assert_accessible(sian)


def test_taps_made_offline_reach_the_server_once_with_the_times_tapped(phone_of, story):
    bens = lunch(story.tom, story.ben)
    ben = phone_of("ben@example.org", "/shifts/")
    # The page registers the service worker, which controls the pages opened after it (the
    # carer's phone has opened the app before), and keeps the "I've left" screen.
    ben.wait_for_function(
        "navigator.serviceWorker.getRegistration().then(r => Boolean(r && r.active))",
        polling=100,
        timeout=15_000,
    )
    ben.reload()
    ben.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
    ben.wait_for_function(
        "caches.open('visit-screens').then(c => c.keys()).then(k => k.length >= 3)",
        polling=200,
        timeout=15_000,
    )
    ben.context.set_offline(True)

    arrived_at = timezone.now()
    ben.get_by_role("button", name="I've arrived").click()
    expect(ben.get_by_text(SAVED)).to_be_visible()
    ben.wait_for_timeout(3_000)

    ben.get_by_role("link", name="I've left").click()
    expect(ben.get_by_role("heading", name="Leaving Tom")).to_be_visible()
    ben.get_by_label("Help to wash").check()
    medicine = ben.get_by_role("group", name="Medicine: Metformin 500 mg")
    medicine.get_by_label("Not given", exact=True).check()
    medicine.get_by_role("textbox").fill("Tom was asleep")
    ben.get_by_label("How was Tom today?").fill("Sleepy but fine.")
    left_at = timezone.now()
    ben.get_by_role("button", name="I've left").click()
    expect(ben.get_by_text(SAVED)).to_be_visible()
    ben.wait_for_timeout(3_000)
    assert not VisitRecord.objects.filter(assignment=bens).exists()

    back_online = timezone.now()
    ben.context.set_offline(False)

    record = wait_for(
        lambda: VisitRecord.objects.filter(assignment=bens, left_at__isnull=False).first(),
        what="Ben's visit sent once back online",
    )
    assert abs(record.arrived_at - arrived_at) < timedelta(seconds=2)
    assert abs(record.left_at - left_at) < timedelta(seconds=2)
    assert back_online - record.arrived_at > timedelta(seconds=5)
    assert record.tasks_done == ["Help to wash"] and record.note == "Sleepy but fine."
    assert list(MedicationRound.objects.values_list("medicine", "outcome", "reason")) == [
        ("Metformin 500 mg", "not_given", "Tom was asleep")
    ]
    # The page shows what the server holds now; sent again on the next page, nothing changes.
    expect(ben.get_by_text("This visit is recorded. Thank you.")).to_be_visible()
    ben.goto(ben.url)
    assert VisitRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.ARRIVE).count() == 1
    assert AuditEvent.objects.filter(action=Action.LEAVE).count() == 1

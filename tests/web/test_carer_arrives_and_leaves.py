"""Ana at Gwen's lunch visit, on her phone: “I've arrived” on the card, then “I've left” on
one short screen with the tasks, each medicine and a note. A slip gets plain words and
changes nothing; someone else's visit is not there for her."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from rota.models import Action, AuditEvent, MedicationRound, VisitRecord
from tests.stories import WEDNESDAY_NOON, place, planned_visit
from tests.web.pages import HTMX, words

NOON = WEDNESDAY_NOON
TASKS = ["Lunch", "Help to wash"]
MEDICINES = ["Metformin 500 mg", "Paracetamol 1 g"]


@pytest.fixture
def anas(story):
    shift = planned_visit(story.gwen, NOON, title="Lunch visit", tasks=tuple(TASKS))
    shift.plan.medicines = MEDICINES
    shift.plan.save(update_fields=["medicines"])
    return place(shift, story.ana)


@pytest.fixture
def ana_signed_in(client, story):
    client.force_login(story.ana)
    return client


def arrive_url(anas) -> str:
    return reverse("carer:arrive", args=[anas.pk])


def left_url(anas) -> str:
    return reverse("carer:left", args=[anas.pk])


def test_the_card_offers_i_have_arrived_from_half_an_hour_before(
    ana_signed_in, anas, story, frozen_now
):
    frozen_now.move_to(NOON - timedelta(minutes=31))
    assert arrive_url(anas) not in ana_signed_in.get(reverse("carer:my_shifts")).text

    frozen_now.move_to(NOON - timedelta(minutes=30))
    page = ana_signed_in.get(reverse("carer:my_shifts")).text
    assert arrive_url(anas) in page
    assert "I've arrived" in words(page)


def test_arriving_shows_the_time_and_offers_i_have_left(ana_signed_in, anas):
    response = ana_signed_in.post(arrive_url(anas), follow=True)

    assert "Thank you: you've arrived." in words(response.text)
    assert "Arrived 12:00" in words(response.text)
    assert arrive_url(anas) not in response.text
    assert f'href="{left_url(anas)}" data-visit-left aria' in response.text
    assert VisitRecord.objects.get(assignment=anas).arrived_at == NOON


def test_htmx_gets_the_card_and_the_phones_tap(ana_signed_in, anas):
    tap = uuid.uuid4()
    tapped = NOON - timedelta(minutes=4)

    response = ana_signed_in.post(
        arrive_url(anas), {"tap": str(tap), "at": tapped.isoformat()}, headers=HTMX
    )

    assert response.text.strip().startswith(f'<article class="card visit" id="place-{anas.pk}"')
    assert "Arrived 11:56" in words(response.text)
    record = VisitRecord.objects.get(assignment=anas)
    assert record.arrived_at == tapped and record.arrival_tap == tap

    # Sent again by the phone: the same record, nothing new in the trail.
    ana_signed_in.post(arrive_url(anas), {"tap": str(tap), "at": tapped.isoformat()})
    assert VisitRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.ARRIVE).count() == 1


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"at": "half past twelve"}, "Your phone sent a time we could not read."),
        ({"tap": "not-a-uuid"}, "Your phone sent a time we could not read."),
        ({"at": "2026-04-29T14:00:00+01:00"}, "That time is still to come."),
        ({"at": "2026-04-29T12:00:00"}, "Times must include their time zone."),
    ],
)
def test_a_bad_tap_gets_plain_words_and_records_nothing(ana_signed_in, anas, fields, said):
    response = ana_signed_in.post(arrive_url(anas), fields, follow=True)

    assert said in words(response.text)
    assert not VisitRecord.objects.exists()


def test_the_leaving_screen_lists_the_tasks_and_each_medicine(ana_signed_in, anas):
    ana_signed_in.post(arrive_url(anas))

    page = ana_signed_in.get(left_url(anas)).text

    said = words(page)
    assert "Leaving Gwen" in said and "you arrived at 12:00" in said
    assert "Lunch Help to wash" in said
    assert "Medicine: Metformin 500 mg Given Refused Not given" in said
    assert "How was Gwen today?" in said
    assert 'name="tap"' in page and 'name="at"' in page


def test_leaving_records_what_was_done_and_goes_back_to_my_shifts(ana_signed_in, anas, frozen_now):
    ana_signed_in.post(arrive_url(anas))
    frozen_now.move_to(NOON + timedelta(minutes=50))

    response = ana_signed_in.post(
        left_url(anas),
        {
            "tasks": ["Lunch"],
            "medicine-0": "given",
            "medicine-1": "not_given",
            "reason-1": "Asleep, will ask the evening carer",
            "note": "Gwen enjoyed her soup.",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("carer:my_shifts")
    assert "Your visit to Gwen is recorded: 12:00 to 12:50." in words(response.text)
    record = VisitRecord.objects.get(assignment=anas)
    assert record.left_at == NOON + timedelta(minutes=50)
    assert record.tasks_done == ["Lunch"] and record.note == "Gwen enjoyed her soup."
    assert list(MedicationRound.objects.values_list("medicine", "outcome", "reason")) == [
        ("Metformin 500 mg", "given", ""),
        ("Paracetamol 1 g", "not_given", "Asleep, will ask the evening carer"),
    ]
    # The card now says both times, and offers neither tap.
    assert "Arrived 12:00 Left 12:50" in words(response.text)
    assert left_url(anas) not in response.text


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        (
            {"medicine-0": "given"},
            "Say whether Paracetamol 1 g was given, refused or not given.",
        ),
        (
            {"medicine-0": "given", "medicine-1": "not_given"},
            "Say why Paracetamol 1 g was not given.",
        ),
        (
            {"tasks": ["Walk the dog"], "medicine-0": "given", "medicine-1": "given"},
            "Tick only this visit's tasks.",
        ),
        (
            {"medicine-0": "given", "medicine-1": "given", "note": "x" * 1001},
            "at most 1000 characters",
        ),
    ],
)
def test_a_slip_on_the_leaving_screen_gets_plain_words_and_changes_nothing(
    ana_signed_in, anas, frozen_now, fields, said
):
    ana_signed_in.post(arrive_url(anas))
    frozen_now.move_to(NOON + timedelta(minutes=50))

    response = ana_signed_in.post(left_url(anas), {"note": "Kept for the next try", **fields})

    assert response.status_code == 400
    assert said in words(response.text)
    assert "Kept for the next try" in response.text or "x" * 1001 in response.text
    record = VisitRecord.objects.get(assignment=anas)
    assert record.left_at is None and record.note == ""
    assert not MedicationRound.objects.exists()


def test_leaving_before_arriving_is_refused_in_plain_words(ana_signed_in, anas, frozen_now):
    frozen_now.move_to(NOON + timedelta(minutes=50))

    response = ana_signed_in.post(left_url(anas), {"medicine-0": "given", "medicine-1": "given"})

    assert response.status_code == 400
    assert "Say you've arrived first." in words(response.text)
    assert not VisitRecord.objects.exists()


def test_someone_elses_visit_is_not_there(client, story, anas):
    client.force_login(story.ben)

    assert client.post(arrive_url(anas)).status_code == 404
    assert client.get(left_url(anas)).status_code == 404
    assert client.post(left_url(anas), {"note": "Not mine"}).status_code == 404
    assert not VisitRecord.objects.exists()

"""A carer's visits in their phone's calendar, at a secret address.

The feed is read back with vobject, a second iCalendar parser that shares nothing with the
icalendar library that writes it, and that builds its time zones from the feed's own
VTIMEZONE: so the times below are what a calendar app would show.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import vobject

from rota import services
from rota.models import ReleaseReason
from tests.factories import PersonFactory, VisitPlanFactory
from tests.stories import LONDON, at, missed, place, visit, visited

# Tuesday 20 October 2026; the clocks go back at 02:00 on Sunday the 25th.
TUESDAY_BEFORE_THE_CLOCKS_GO_BACK = at(20, 12, month=10)
DAYS = (24, 25, 26)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(TUESDAY_BEFORE_THE_CLOCKS_GO_BACK),
    pytest.mark.usefixtures("frozen_now"),
]

# Things about Gwen that must never leave the site in a calendar feed.
SECRETS = {
    "surname": "Davies",
    "address": "Heol y Nant",
    "postcode": "CF37 1DL",
    "access notes": "1966",
    "who to phone": "07700 900123",
    "what matters": "Smwt",
    "plan title": "Insulin",
    "tasks": "blood sugar",
}


def with_a_feed(person):
    """`person`, with a secret calendar address of their own."""
    person.feed_token = f"{person.get_short_name().lower()}-secret-token"
    person.save(update_fields=["feed_token"])
    return person


@pytest.fixture
def ana(ana):
    return with_a_feed(ana)


@pytest.fixture
def ben(ben):
    return with_a_feed(ben)


@pytest.fixture
def plan(gwen):
    return VisitPlanFactory(
        client=gwen,
        title="Insulin and breakfast",
        tasks=["Check her blood sugar before breakfast", "Insulin in the fridge"],
        starts_on=date(2026, 10, 1),
        start_time=time(8, 0),
    )


@pytest.fixture
def anas_mornings(gwen, plan, ana):
    """Ana visits Gwen at 08:00 on Saturday 24, Sunday 25 and Monday 26 October."""
    return [
        place(visit(gwen, at(day, 8, month=10), plan=plan, plan_date=date(2026, 10, day)), ana)
        for day in DAYS
    ]


def feed_of(client, person) -> str:
    response = client.get(f"/calendar/{person.feed_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode()


def events_of(client, person) -> dict[str, vobject.base.Component]:
    """The feed's events as another parser reads them, by UID."""
    calendar = vobject.readOne(feed_of(client, person))
    return {event.uid.value: event for event in getattr(calendar, "vevent_list", [])}


def uid(assignment) -> str:
    return f"shift-{assignment.shift_id}@care-circles"


def test_each_visit_is_at_eight_local_time_either_side_of_the_clock_change(
    client, now, anas_mornings
):
    events = events_of(client, anas_mornings[0].carer)

    assert set(events) == {uid(a) for a in anas_mornings}
    starts = [events[uid(a)].dtstart.value for a in anas_mornings]
    ends = [events[uid(a)].dtend.value for a in anas_mornings]
    assert [f"{s.astimezone(LONDON):%a %d %b %H:%M}" for s in starts] == [
        "Sat 24 Oct 08:00",
        "Sun 25 Oct 08:00",
        "Mon 26 Oct 08:00",
    ]
    # British Summer Time on the 24th, Greenwich Mean Time from the 25th.
    assert [s.astimezone(UTC) for s in starts] == [
        datetime(2026, 10, 24, 7, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    ]
    assert [e - s for s, e in zip(starts, ends, strict=True)] == [timedelta(hours=1)] * 3
    for assignment in anas_mornings:
        event = events[uid(assignment)]
        assert event.summary.value == "Visit: Gwen"
        assert event.status.value == "CONFIRMED"
        assert event.sequence.value == "0"
        assert event.dtstamp.value == now.astimezone(UTC)


def test_times_carry_the_circles_time_zone_with_its_definition(client, anas_mornings):
    text = feed_of(client, anas_mornings[0].carer)

    assert "DTSTART;TZID=Europe/London:20261025T080000" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/London" in text
    # Calendar apps are asked to look again hourly (RFC 7986, and Outlook's own name).
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text


def test_the_feed_has_times_and_the_first_name_only(client, anas_mornings):
    text = feed_of(client, anas_mornings[0].carer)

    assert "Gwen" in text
    leaked = [what for what, words in SECRETS.items() if words.lower() in text.lower()]
    assert leaked == []
    assert "LOCATION" not in text and "DESCRIPTION" not in text


def test_what_happened_at_a_visit_never_reaches_the_feed(client, gwen, plan, ana):
    """Monday's and Sunday's visits, done and recorded with their tasks, medicine rounds and
    notes, and Saturday's missed: the feed has the visits, and none of what happened."""
    plan.medicines = ["Insulin 10 units", "Metformin 500 mg"]
    plan.save(update_fields=["medicines"])
    what_happened = {
        "note": "Gwen was low this morning and cried about her sister",
        "second note": "Smwt was sick on the rug",
        "medicine": "Metformin",
        "why not given": "she was vomiting",
        "task done": "blood sugar",
    }
    for day, note in ((19, what_happened["note"]), (18, what_happened["second note"])):
        done = place(
            visit(gwen, at(day, 8, month=10), plan=plan, plan_date=date(2026, 10, day)), ana
        )
        visited(
            done,
            at(day, 8, 5, month=10),
            at(day, 8, 55, month=10),
            tasks=("Check her blood sugar before breakfast",),
            medication=(
                ("Insulin 10 units", "given", ""),
                ("Metformin 500 mg", "not_given", "Not given: she was vomiting"),
            ),
            note=note,
        )
    missed(
        place(visit(gwen, at(17, 8, month=10), plan=plan, plan_date=date(2026, 10, 17)), ana).shift
    )

    text = feed_of(client, ana)

    assert len(vobject.readOne(text).vevent_list) == 3
    leaked = [
        what
        for what, words in {**SECRETS, **what_happened}.items()
        if words.lower() in text.lower()
    ]
    assert leaked == []
    for word in ("arrived", "left", "missed", "given", "refused", "note"):
        assert word not in text.lower()


def test_a_cancelled_visit_is_cancelled_in_the_calendar_with_a_higher_sequence(
    client, ana, anas_mornings
):
    sunday = anas_mornings[1]
    before = events_of(client, ana)[uid(sunday)]

    services.cancel_shift(sunday.shift, "Gwen is staying with her daughter.")

    event = events_of(client, ana)[uid(sunday)]
    assert event.status.value == "CANCELLED"
    assert int(event.sequence.value) > int(before.sequence.value)
    assert event.summary.value == "Cancelled: visit to Gwen"
    assert "staying with her daughter" not in feed_of(client, ana)


def test_a_visit_given_away_is_cancelled_for_the_giver_and_appears_for_the_taker(
    client, ana, ben, anas_mornings
):
    saturday = anas_mornings[0]
    offer = services.offer(saturday, actor=ana)

    services.take_offer(offer, ben, actor=ben)

    anas = events_of(client, ana)
    assert anas[uid(saturday)].status.value == "CANCELLED"
    assert anas[uid(saturday)].summary.value == "No longer yours: visit to Gwen"
    # The shift itself did not change, but Ana's copy did: its sequence must grow.
    assert anas[uid(saturday)].sequence.value == "1"
    assert anas[uid(anas_mornings[1])].status.value == "CONFIRMED"
    bens = events_of(client, ben)
    assert set(bens) == {uid(saturday)}
    assert bens[uid(saturday)].status.value == "CONFIRMED"
    assert bens[uid(saturday)].sequence.value == "0"


def test_a_visit_taken_back_is_confirmed_again_with_a_still_higher_sequence(
    client, ana, ben, anas_mornings
):
    saturday = anas_mornings[0]
    services.take_offer(services.offer(saturday, actor=ana), ben, actor=ben)
    bens_place = saturday.shift.assignments.get(carer=ben, released_at=None)

    services.take_offer(services.offer(bens_place, actor=ben), ana, actor=ana)

    event = events_of(client, ana)[uid(saturday)]
    assert event.status.value == "CONFIRMED"
    assert event.sequence.value == "2"


def test_a_place_given_up_long_ago_is_left_out(client, now, gwen, ana):
    place(
        visit(gwen, now + timedelta(days=3)),
        ana,
        released_at=now - timedelta(days=15),
        release_reason=ReleaseReason.ABSENCE,
    )

    assert events_of(client, ana) == {}


def test_visits_older_than_two_weeks_are_left_out(client, now, gwen, ana):
    place(visit(gwen, now - timedelta(days=15)), ana)
    recent = place(visit(gwen, now - timedelta(days=13)), ana)

    assert set(events_of(client, ana)) == {uid(recent)}


def test_another_persons_visits_are_not_in_the_feed(client, gwen, ana, ben, anas_mornings):
    bens = place(visit(gwen, at(24, 18, month=10)), ben)

    assert uid(bens) not in events_of(client, ana)
    assert set(events_of(client, ben)) == {uid(bens)}


def test_the_feed_costs_the_same_queries_however_many_visits(
    client, django_assert_num_queries, now, gwen, ana, anas_mornings
):
    for day in range(1, 11):
        place(visit(gwen, now + timedelta(days=day, hours=6)), ana)

    # The person by their secret, then their assignments with shift, client and circle.
    with django_assert_num_queries(2):
        assert len(events_of(client, ana)) == 13


def test_calendar_apps_may_ask_with_head_first(client, ana):
    response = client.head(f"/calendar/{ana.feed_token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_an_unknown_address_is_not_found(client, ana):
    assert client.get("/calendar/not-anyones-token.ics").status_code == 404


def test_a_person_who_can_no_longer_sign_in_has_no_feed(client, ana):
    ana.is_active = False
    ana.save(update_fields=["is_active"])

    assert client.get(f"/calendar/{ana.feed_token}.ics").status_code == 404


def test_the_address_is_made_on_the_first_visit_to_the_page_and_kept(client):
    ana = PersonFactory(full_name="Ana Price")
    client.force_login(ana)

    page = client.get("/calendar/").content.decode()

    ana.refresh_from_db()
    assert ana.feed_token and len(ana.feed_token) >= 40
    assert f"http://testserver/calendar/{ana.feed_token}.ics" in page
    assert f"webcal://testserver/calendar/{ana.feed_token}.ics" in page
    assert "Make a new address" in page
    client.get("/calendar/")
    assert PersonFactory._meta.model.objects.get(pk=ana.pk).feed_token == ana.feed_token


def test_a_new_address_revokes_the_old_one(client, anas_mornings):
    ana = anas_mornings[0].carer
    client.force_login(ana)
    old = f"/calendar/{ana.feed_token}.ics"
    assert client.get(old).status_code == 200

    response = client.post("/calendar/new-address/", follow=True)

    ana.refresh_from_db()
    new = f"/calendar/{ana.feed_token}.ics"
    assert new != old
    assert "The old one no longer works" in response.content.decode()
    assert new in response.content.decode()
    client.logout()  # calendar apps have no session
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_calendar_page_needs_a_signed_in_person(client):
    response = client.get("/calendar/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_new_address_is_only_made_by_a_post(client, ana):
    client.force_login(ana)
    assert client.get("/calendar/new-address/").status_code == 405
    ana.refresh_from_db()
    assert ana.feed_token == "ana-secret-token"

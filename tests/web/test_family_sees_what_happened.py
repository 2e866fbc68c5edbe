"""“Gwen's visits this week”: Sian, Rhys and Gwen herself see what happened at each of Gwen's
visits of the last 7 days: who came, when they arrived and left beside the planned times, the
tasks done and not done, each medicine round, the carers' notes, and the visits nobody came
to. The notes are Gwen's: family read them unless she (or Rhys) says not. Team leaders see
the same on Gwen's page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rota import services
from rota.models import Action, AuditEvent
from tests.outcomes import nothing_changes, refused
from tests.stories import WEDNESDAY_NOON, at, missed, place, planned_visit, visit, visited
from tests.web.pages import cards, words

BREAKFAST_NOTE = "Gwen was cheerful; we talked about Smwt and the garden."
TEA_NOTES = ("Ate all her tea.", "Helped her into her nightdress.")


def gwens_week(story):
    """Gwen's last week, as her carers recorded it.

    Today 08:00, breakfast: Ana came, did two of the three tasks, gave the Metformin and not
    the vitamin D (it had run out), and left a note. Today 11:30, still under way: Cat is
    there. Yesterday 17:00, tea: Ben and Cat together, a note each. Monday 08:00: Ben never
    came (missed). Sunday 08:00: nobody was on it, and nobody came (missed). Last Wednesday,
    more than 7 days ago, a visit of Ana's with a note; today 17:00, to come; and a visit of
    Tom's with a note of its own.
    """
    breakfast = planned_visit(
        story.gwen,
        at(29, 8, month=4),
        title="Breakfast",
        tasks=("Make breakfast", "Help with a shower", "Water the tomatoes"),
        medicines=("Metformin 500 mg", "Vitamin D"),
    )
    visited(
        place(breakfast, story.ana),
        at(29, 8, 4, month=4),
        at(29, 8, 58, month=4),
        tasks=("Make breakfast", "Help with a shower"),
        medication=(
            ("Metformin 500 mg", "given", ""),
            ("Vitamin D", "not_given", "Ran out: Sian is collecting more"),
        ),
        note=BREAKFAST_NOTE,
    )
    late_morning = planned_visit(story.gwen, at(29, 11, 30, month=4), title="Late morning")
    visited(place(late_morning, story.cat), at(29, 11, 35, month=4))
    tea = planned_visit(story.gwen, at(28, 17, month=4), title="Tea", carers_needed=2)
    for carer, arrived, left, note in (
        (story.ben, at(28, 17, 2, month=4), at(28, 17, 50, month=4), TEA_NOTES[0]),
        (story.cat, at(28, 17, 10, month=4), at(28, 17, 55, month=4), TEA_NOTES[1]),
    ):
        visited(place(tea, carer), arrived, left, note=note)
    missed(place(planned_visit(story.gwen, at(27, 8, month=4), title="Breakfast"), story.ben).shift)
    missed(planned_visit(story.gwen, at(26, 8, month=4), title="Sunday breakfast"))
    long_ago = planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(days=7, hours=4))
    visited(place(long_ago, story.ana), long_ago.start, long_ago.end, note="A note from long ago")
    place(planned_visit(story.gwen, at(29, 17, month=4), title="Tea to come"), story.ben)
    toms = planned_visit(story.tom, at(29, 9, month=4), title="Tom's breakfast")
    visited(place(toms, story.ana), toms.start, toms.end, note="Tom's own note")


def page_of(client, person, client_id=None):
    client.force_login(person)
    if client_id is None:
        return client.get(reverse("family:what_happened"))
    return client.get(reverse("family:what_happened_for", args=[client_id]))


def test_sian_sees_who_came_when_and_what_was_done(client, story):
    gwens_week(story)

    page = page_of(client, story.sian)

    assert page.status_code == 200
    text = words(page.text)
    assert "Gwen's visits this week" in text
    assert cards(page.text, "done-visit") == [
        # Each carer who came can be thanked, in a line, under their name: the line folded
        # under "Say thank you to …", which labels it too.
        "11:30–12:30 Late morning Cat Morgan arrived 11:35, still there "
        "Say thank you to Cat Morgan Say thank you to Cat Morgan Send",
        "08:00–09:00 Breakfast Ana Price arrived 08:04, left 08:58 "
        "Say thank you to Ana Price Say thank you to Ana Price Send "
        "Tasks Done Make breakfast Done Help with a shower Not done Water the tomatoes "
        "Medicines Given Metformin 500 mg Not given Vitamin D: Ran out: Sian is collecting more "
        f"{BREAKFAST_NOTE} Ana Price",
        "17:00–18:00 Tea Ben Jones arrived 17:02, left 17:50 "
        "Say thank you to Ben Jones Say thank you to Ben Jones Send "
        "Cat Morgan arrived 17:10, left 17:55 "
        "Say thank you to Cat Morgan Say thank you to Cat Morgan Send "
        f"{TEA_NOTES[0]} Ben Jones {TEA_NOTES[1]} Cat Morgan",
        "08:00–09:00 Breakfast Missed Nobody came to this visit. Due to come: Ben Jones.",
        "08:00–09:00 Sunday breakfast Missed Nobody came to this visit.",
    ]
    assert text.index("Today") < text.index("Yesterday") < text.index("Monday 27 April")
    assert "Sunday 26 April" in text


def test_only_the_last_seven_days_and_only_gwens(client, story):
    gwens_week(story)

    text = words(page_of(client, story.sian).text)

    assert "A note from long ago" not in text
    assert "Wednesday 22 April" not in text
    assert "Tea to come" not in text
    assert "Tom's" not in text


def test_a_missed_visit_is_marked_and_says_who_was_due(client, story):
    gwens_week(story)

    page = page_of(client, story.sian)

    missed_cards = [card for card in cards(page.text, "done-visit") if "Missed" in card]
    assert len(missed_cards) == 2
    assert 'class="card done-visit missed"' in page.text
    assert "Due to come: Ben Jones." in missed_cards[0]


def test_gwen_herself_is_spoken_to(client, story):
    gwens_week(story)

    text = words(page_of(client, story.gwen_herself).text)

    assert "Your visits this week" in text
    assert "Gwen's visits" not in text
    assert "Your family can read the carers' notes about your visits." in text
    assert BREAKFAST_NOTE in text


def test_notes_kept_from_family_are_still_read_by_gwen_and_rhys(client, story):
    gwens_week(story)
    story.gwen.family_read_notes = False
    story.gwen.save(update_fields=["family_read_notes"])
    story.gwen_herself  # noqa: B018 - Gwen has her own log-in

    sians = words(page_of(client, story.sian).text)
    gwens = words(page_of(client, story.gwen_herself).text)
    rhys = words(page_of(client, story.rhys).text)

    for note in (BREAKFAST_NOTE, *TEA_NOTES):
        assert note not in sians
        assert note in gwens
        assert note in rhys
    # The rest of what happened is still Sian's to see.
    assert "Given Metformin 500 mg" in sians
    assert "Gwen keeps the carers' notes private. Only Gwen or Rhys can change this." in sians
    assert "Only you and your representative can read the carers' notes" in gwens
    assert "Only Gwen and you can read the carers' notes" in rhys


def test_the_page_is_on_the_menu_and_linked_from_who_is_coming(client, story):
    client.force_login(story.sian)
    what_happened = reverse("family:what_happened_for", args=[story.gwen.pk])

    coming = client.get(reverse("family:coming"))

    assert f'href="{what_happened}"' in coming.text
    assert "Gwen's visits this week: who came and what was done" in words(coming.text)
    assert f'href="{reverse("family:what_happened")}"' in coming.text


def test_nothing_yet_is_said_in_words(client, story):
    text = words(page_of(client, story.sian).text)

    assert "No visits to Gwen in the last 7 days." in text


def test_someone_elses_client_is_not_found(client, story):
    gwens_week(story)

    assert page_of(client, story.bryn, story.gwen.pk).status_code == 404
    assert page_of(client, story.sian, story.tom.pk).status_code == 404
    assert "Gwen" not in page_of(client, story.bryn).text


def test_the_leader_sees_the_same_on_gwens_page_notes_and_all(client, story):
    gwens_week(story)
    story.gwen.family_read_notes = False
    story.gwen.save(update_fields=["family_read_notes"])
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:client", args=[story.gwen.pk]))

    text = words(page.text)
    assert "Visits of the last 7 days" in text
    visits = cards(page.text, "done-visit")
    assert visits[1].startswith("08:00–09:00 Breakfast Ana Price arrived 08:04, left 08:58")
    assert BREAKFAST_NOTE in visits[1]
    assert "Missed Nobody came to this visit. Due to come: Ben Jones." in visits[3]
    assert "Tom's own note" not in text
    assert "A note from long ago" not in text


def test_a_visit_for_a_call_for_help_and_a_cancelled_one(client, story):
    call = visit(story.gwen, at(28, 9, month=4))
    visited(place(call, story.cat), at(28, 9, 20, month=4), at(28, 9, 50, month=4))
    cancelled = planned_visit(story.gwen, at(28, 12, month=4), title="Lunch")
    cancelled.status, cancelled.cancel_reason = "cancelled", "Gwen was at the day centre"
    cancelled.save(update_fields=["status", "cancel_reason"])

    page = page_of(client, story.sian)

    assert cards(page.text, "done-visit") == [
        "12:00–13:00 Lunch Cancelled Gwen was at the day centre",
        "09:00–10:00 Visit when help was asked for Cat Morgan arrived 09:20, left 09:50 "
        "Say thank you to Cat Morgan Say thank you to Cat Morgan Send",
    ]


# --- the client, or their representative, says whether family read the notes ---------------


@pytest.fixture
def notes_url(story):
    return reverse("family:family_read_notes", args=[story.gwen.pk])


def test_gwen_keeps_the_notes_from_family_and_the_trail_keeps_it(client, story, notes_url):
    client.force_login(story.gwen_herself)

    response = client.post(notes_url, {"read": "no"}, follow=True)

    story.gwen.refresh_from_db()
    assert story.gwen.family_read_notes is False
    assert "Done: only you and your representative can read the carers' notes." in words(
        response.text
    )
    assert response.redirect_chain[-1][0].endswith("#notes")
    event = AuditEvent.objects.get(action=Action.EDIT_PROFILE)
    assert event.actor_id == story.gwen_herself.pk
    assert event.client_id == story.gwen.pk
    assert (event.before, event.after) == (
        {"family_read_notes": True},
        {"family_read_notes": False},
    )
    client.force_login(story.rhian)
    trail = words(client.get(reverse("leaders:trail")).text)
    assert "stopped Gwen's family reading the carers' notes." in trail


def test_rhys_lets_family_read_them_again(client, story, notes_url):
    story.gwen.family_read_notes = False
    story.gwen.save(update_fields=["family_read_notes"])
    client.force_login(story.rhys)

    response = client.post(notes_url, {"read": "yes"}, follow=True)

    story.gwen.refresh_from_db()
    assert story.gwen.family_read_notes is True
    assert "Done: family can read the carers' notes." in words(response.text)
    assert AuditEvent.objects.get(action=Action.EDIT_PROFILE).after == {"family_read_notes": True}


def test_saying_it_twice_records_it_once(client, story, notes_url):
    client.force_login(story.rhys)

    client.post(notes_url, {"read": "no"})
    client.post(notes_url, {"read": "no"})

    assert AuditEvent.objects.filter(action=Action.EDIT_PROFILE).count() == 1


@pytest.mark.parametrize("sent", [{"read": "maybe"}, {"read": ""}, {}])
def test_a_bad_answer_is_refused_in_words_and_changes_nothing(client, story, notes_url, sent):
    client.force_login(story.rhys)

    with nothing_changes():
        response = client.post(notes_url, sent, follow=True)

    story.gwen.refresh_from_db()
    assert story.gwen.family_read_notes is True
    assert "Say whether family can read the notes. Nothing has been changed." in words(
        response.text
    )


def test_family_cannot_decide_and_strangers_find_nothing(client, story, notes_url):
    for person, status in ((story.sian, 403), (story.bryn, 404), (story.ana, 403)):
        client.force_login(person)
        with nothing_changes():
            assert client.post(notes_url, {"read": "no"}).status_code == status
    client.force_login(story.rhys)
    assert client.get(notes_url).status_code == 405
    story.gwen.refresh_from_db()
    assert story.gwen.family_read_notes is True
    assert not AuditEvent.objects.filter(action=Action.EDIT_PROFILE).exists()


def test_the_service_lets_only_gwen_rhys_or_her_coordinator_decide(story):
    for person in (story.sian, story.ana, story.rhian):
        with refused("not_allowed"):
            services.set_family_read_notes(story.gwen, False, actor=person)

    services.set_family_read_notes(story.gwen, False, actor=story.nerys)

    story.gwen.refresh_from_db()
    assert story.gwen.family_read_notes is False
    assert AuditEvent.objects.get(action=Action.EDIT_PROFILE).actor_id == story.nerys.pk

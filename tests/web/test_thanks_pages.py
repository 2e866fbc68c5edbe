"""Thanks on the pages: Sian says thank you to Ana under Tuesday's visit on “What happened”,
and Rhian on Gwen's page; Ana reads it on her Thanks page and lets the circle see it, or keeps
it to herself; Treforest's board shows only what its carers shared, and Pontypridd's board
never shows Treforest's. In Welsh too."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rota import services
from rota.models import Thanks
from tests.outcomes import nothing_changes
from tests.stories import at, place, planned_visit, visited
from tests.web.pages import words


@pytest.fixture
def anas_place(story):
    """Ana's visit to Gwen yesterday, Tuesday 28 April, 09:00 to 10:00: she came and left."""
    shift = planned_visit(story.gwen, at(28, 9, month=4), title="Breakfast")
    anas = place(shift, story.ana)
    visited(anas, shift.start, shift.end)
    return anas


def what_happened(client, person, gwen):
    client.force_login(person)
    return client.get(reverse("family:what_happened_for", args=[gwen.pk]))


def test_sian_says_thank_you_under_the_visit_and_is_not_offered_it_twice(client, story, anas_place):
    page = what_happened(client, story.sian, story.gwen)
    form_id = f'id="thank-{anas_place.pk}"'
    assert form_id in page.text
    assert "Say thank you to Ana Price" in words(page.text)

    sent = client.post(
        reverse("family:thank", args=[anas_place.pk]),
        {"message": "Mam loved the walk."},
        follow=True,
    )

    [thanks] = Thanks.objects.all()
    assert (thanks.author, thanks.assignment, thanks.message) == (
        story.sian,
        anas_place,
        "Mam loved the walk.",
    )
    assert sent.redirect_chain[-1][0].endswith(f"#visit-{anas_place.shift_id}")
    text = words(sent.text)
    assert "Sent: Ana Price will see your thanks." in text
    assert "You thanked Ana Price for this visit." in text
    assert form_id not in sent.text


def test_an_empty_line_is_refused_in_words_and_nothing_is_written(client, story, anas_place):
    client.force_login(story.sian)
    with nothing_changes():
        answer = client.post(
            reverse("family:thank", args=[anas_place.pk]), {"message": "  "}, follow=True
        )
    assert "Write a few words of thanks first." in words(answer.text)


def test_another_clients_family_can_not_thank_for_gwens_visit(client, story, anas_place):
    client.force_login(story.bryn)
    with nothing_changes():
        answer = client.post(reverse("family:thank", args=[anas_place.pk]), {"message": "Hi"})
    assert answer.status_code == 404


def test_rhian_thanks_ana_from_gwens_page(client, story, anas_place):
    client.force_login(story.rhian)
    page = client.get(reverse("leaders:client", args=[story.gwen.pk]))
    assert "Say thank you to Ana Price" in words(page.text)

    client.post(
        reverse("leaders:thank", args=[anas_place.pk]),
        {"message": "Thank you for covering at short notice."},
    )

    [thanks] = Thanks.objects.all()
    assert thanks.author == story.rhian
    assert thanks.message == "Thank you for covering at short notice."


def test_ana_reads_her_thanks_newest_first_and_chooses_who_sees_each(client, story, anas_place):
    older = services.thank(anas_place, "Diolch o galon", actor=story.rhys)
    newer = services.thank(anas_place, "Mam loved the walk.", actor=story.sian)
    Thanks.objects.filter(pk=older.pk).update(at=older.at - timedelta(hours=1))
    client.force_login(story.ana)

    page = client.get(reverse("carer:thanks"))

    text = words(page.text)
    assert text.index("Mam loved the walk.") < text.index("Diolch o galon")
    assert "From Sian Davies, for your visit to Gwen on Tuesday 28 April, 09:00." in text
    assert text.count("Only you can see this.") == 2
    assert text.count("Let the circle see this") == 2

    shared = client.post(
        reverse("carer:share_thanks", args=[newer.pk]), {"shared": "yes"}, follow=True
    )

    newer.refresh_from_db()
    older.refresh_from_db()
    assert (newer.shared, older.shared) == (True, False)
    text = words(shared.text)
    assert "Done: the circle can see these thanks on its board." in text
    assert "The circle can see this on its board. Keep it to myself" in text

    client.post(reverse("carer:share_thanks", args=[newer.pk]), {"shared": "no"})
    newer.refresh_from_db()
    assert newer.shared is False


def test_only_ana_may_share_her_thanks(client, story, anas_place):
    thanks = services.thank(anas_place, "Thank you", actor=story.sian)
    client.force_login(story.ben)
    with nothing_changes():
        answer = client.post(reverse("carer:share_thanks", args=[thanks.pk]), {"shared": "yes"})
    assert answer.status_code == 404
    assert "Thank you" not in words(client.get(reverse("carer:thanks")).text)


def test_the_board_shows_only_shared_thanks_and_only_the_circles_own(client, story, anas_place):
    bens = place(planned_visit(story.tom, at(28, 14, month=4), title="Walk"), story.ben)
    visited(bens, bens.start, bens.end)
    shared = services.thank(anas_place, "Mam loved the walk.", actor=story.sian)
    services.share_thanks(shared, True, actor=story.ana)
    services.thank(bens, "Kept between us", actor=story.cat)
    client.force_login(story.ben)

    text = words(client.get(reverse("carer:board")).text)

    assert "Thanks said in the circle" in text
    assert "Mam loved the walk." in text
    assert "Sian Davies to Ana Price, for the visit to Gwen on Tuesday 28 April." in text
    assert "Kept between us" not in text

    client.force_login(story.eli)
    elsewhere = words(client.get(reverse("carer:board")).text)
    assert "Mam loved the walk." not in elsewhere
    assert "Thanks said in the circle" not in elsewhere


def test_ana_reads_her_thanks_in_welsh(client, story, anas_place):
    services.thank(anas_place, "Diolch o galon", actor=story.sian)
    story.ana.language = "cy"
    story.ana.save(update_fields=["language"])
    client.force_login(story.ana)

    text = words(client.get(reverse("carer:thanks"), headers={"accept-language": "cy"}).text)

    assert "Gan Sian Davies, am eich ymweliad â Gwen ar Dydd Mawrth 28 Ebrill, 09:00." in text
    assert "Dim ond chi all weld hwn." in text
    assert "Gadael i'r cylch weld hwn" in text

    client.force_login(story.sian)
    story.sian.language = "cy"
    story.sian.save(update_fields=["language"])
    page = client.get(
        reverse("family:what_happened_for", args=[story.gwen.pk]),
        headers={"accept-language": "cy"},
    )
    assert "Diolchoch chi i Ana Price am yr ymweliad hwn." in words(page.text)

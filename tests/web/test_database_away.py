"""When the database is away, a person gets a page in plain words and in their language,
never a bare "Server Error (500)"; and a change that was saved just before the database went
is never shown as lost. The database is really unreachable here: the connection is pointed
at a port where nothing listens."""

from contextlib import ExitStack, contextmanager

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from rota import services
from rota.models import Assignment
from tests.ports import unused_port
from tests.stories import at, planned_visit
from tests.web.pages import HTMX, words

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_away():
    """From now on every query finds no database; afterwards it is back."""
    real = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", unused_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = real


@pytest.fixture
def browser(story):
    """Ana's phone, signed in, with the language cookie her last page left."""
    phone = Client(raise_request_exception=False)
    phone.force_login(story.ana)
    phone.get(reverse("carer:my_shifts"))
    return phone


def test_a_page_asked_for_while_the_database_is_away_says_so_plainly(browser):
    with database_away():
        reply = browser.get(reverse("carer:needs_cover"))

    assert reply.status_code == 503
    assert reply["Retry-After"] == "60"
    text = words(reply.text)
    assert "The rota can't be reached right now" in text
    assert "Your change was not saved. Please try again in a minute." in text
    assert f'href="{reverse("carer:needs_cover")}"' in reply.text


def test_it_speaks_welsh_to_a_welsh_speaker(browser, story):
    story.ana.language = "cy"
    story.ana.save()
    browser.get(reverse("carer:my_shifts"))  # her next page remembers her language
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"

    with database_away():
        reply = browser.get(reverse("carer:needs_cover"))

    assert reply.status_code == 503
    assert 'lang="cy"' in reply.text
    assert "Does dim modd cyrraedd y rota ar hyn o bryd" in words(reply.text)


def test_a_change_saved_just_before_the_database_went_is_shown_as_saved(
    browser, story, monkeypatch
):
    free = planned_visit(story.tom, at(2, 9))
    claim = services.claim

    def claim_then_lose_the_database(*args, **kwargs):
        taken = claim(*args, **kwargs)  # committed
        stack.enter_context(database_away())
        return taken

    monkeypatch.setattr(services, "claim", claim_then_lose_the_database)
    with ExitStack() as stack:
        reply = browser.post(reverse("carer:take", args=[free.pk]), headers=HTMX)

    assert reply.status_code == 200  # htmx swaps it in, over the whole page
    assert reply["HX-Retarget"] == "body"
    text = words(reply.text)
    assert "Your change is saved: It's yours. Thank you!" in text
    assert "not saved" not in text
    assert Assignment.objects.filter(shift=free, carer=story.ana).exists()


def test_an_unexpected_error_still_gets_words_not_a_bare_500(browser, story, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "claim", broken)
    free = planned_visit(story.tom, at(2, 9))

    reply = browser.post(reverse("carer:take", args=[free.pk]))

    assert reply.status_code == 500
    text = words(reply.text)
    assert "Something went wrong" in text
    assert "Your change was not saved." in text
    assert "If it keeps happening, tell your coordinator." in text

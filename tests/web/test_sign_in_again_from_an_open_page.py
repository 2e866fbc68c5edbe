"""A phone left on the rota overnight: the session has ended, and the next tap is sent by htmx.
The whole window goes to sign in (HX-Redirect) and comes back to the page the carer was on,
instead of the sign-in page appearing inside one visit's card. Nothing is changed meanwhile."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from rota.models import Assignment
from tests.stories import at, planned_visit
from tests.web.pages import HTMX

pytestmark = pytest.mark.django_db


def test_a_tap_after_the_session_ended_sends_the_window_to_sign_in_and_back(client, story):
    free = planned_visit(story.tom, at(2, 9))
    page = "http://testserver" + reverse("carer:needs_cover")

    reply = client.post(
        reverse("carer:take", args=[free.pk]), headers={**HTMX, "HX-Current-URL": page}
    )

    assert reply.status_code == 200
    assert reply.text == ""
    to = urlsplit(reply["HX-Redirect"])
    assert to.path == reverse("account:login")
    assert parse_qs(to.query)["next"] == [reverse("carer:needs_cover")]
    assert not Assignment.objects.filter(shift=free).exists()


def test_a_page_elsewhere_is_never_where_sign_in_returns_to(client, story):
    free = planned_visit(story.tom, at(2, 9))

    reply = client.post(
        reverse("carer:take", args=[free.pk]),
        headers={**HTMX, "HX-Current-URL": "https://elsewhere.example/shifts/"},
    )

    to = urlsplit(reply["HX-Redirect"])
    assert parse_qs(to.query)["next"] == [reverse("account:home")]


def test_without_htmx_the_sign_in_page_is_a_plain_redirect(client, story):
    free = planned_visit(story.tom, at(2, 9))

    reply = client.post(reverse("carer:take", args=[free.pk]))

    assert reply.status_code == 302
    assert urlsplit(reply.url).path == reverse("account:login")
    assert "HX-Redirect" not in reply

"""Each audience's pages are for people with that role: a carer reaching the team leaders'
pages, a relative the carers', a team leader the family's, is refused (403) with a page that
says so; someone signed out is asked to sign in. Gwen, a client, cannot say she is off sick:
time off is for carers."""

import pytest
from django.urls import reverse

from rota import services
from rota.models import AbsenceKind
from tests.outcomes import nothing_changes, refused
from tests.stories import at, planned_visit

LEADERS = ["leaders:dashboard", "leaders:trail", "leaders:payroll"]
CARERS = ["carer:my_shifts", "carer:needs_cover", "carer:board", "carer:off"]
FAMILY = ["family:coming", "family:about"]

REFUSED = [
    ("ana", LEADERS),
    ("ana", FAMILY),
    ("sian", LEADERS),
    ("sian", CARERS),
    ("rhys", CARERS),
    ("gwen_herself", CARERS),
    ("gwen_herself", LEADERS),
    ("rhian", CARERS),
    ("rhian", FAMILY),
    ("nerys", CARERS),
]


@pytest.mark.parametrize(("who", "pages"), REFUSED)
def test_a_page_of_another_role_is_refused(client, story, who, pages):
    client.force_login(getattr(story, who))

    for page in pages:
        response = client.get(reverse(page))
        assert response.status_code == 403, page
        assert "Not one of your pages" in response.text


@pytest.mark.parametrize(
    ("who", "pages"),
    [
        ("ana", CARERS),
        ("sian", FAMILY),
        ("rhys", FAMILY),
        ("gwen_herself", FAMILY),
        ("rhian", LEADERS),
        ("nerys", LEADERS),
    ],
)
def test_each_person_reaches_the_pages_of_their_role(client, story, who, pages):
    client.force_login(getattr(story, who))

    for page in pages:
        assert client.get(reverse(page)).status_code == 200, page


def test_someone_signed_out_is_asked_to_sign_in(client):
    for page in [*LEADERS, *CARERS, *FAMILY]:
        response = client.get(reverse(page))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account:login"))


def test_a_client_cannot_record_time_off(client, story):
    client.force_login(story.gwen_herself)

    with nothing_changes():
        sick = client.post(reverse("carer:sick_today"))
        days = client.post(
            reverse("carer:off"), {"kind": "holiday", "first": "2026-05-04", "last": "2026-05-05"}
        )

    assert (sick.status_code, days.status_code) == (403, 403)


def test_a_relative_cannot_take_a_carers_action(client, story):
    shift = planned_visit(story.gwen, at(4, 8))
    client.force_login(story.sian)

    with nothing_changes():
        response = client.post(reverse("carer:take", args=[shift.pk]))

    assert response.status_code == 403


def test_the_service_refuses_time_off_for_someone_who_is_no_carer(story):
    with refused("not_a_carer"):
        services.record_absence(
            story.gwen_herself,
            AbsenceKind.SICK,
            at(4, 0),
            at(5, 0),
            actor=story.gwen_herself,
        )

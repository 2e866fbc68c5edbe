"""Free text has room for what a person needs to say and no more: the form says so in plain
words and saves nothing, and the database refuses over-long text whoever writes it."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from circles.models import Notification
from people.models import CLIENT_TEXT_LIMITS, Client
from rota import services
from rota.models import LINES_LIMIT, Shift, VisitPlan
from tests.factories import VisitPlanFactory
from tests.outcomes import nothing_changes, refused
from tests.stories import at, place, visit
from tests.web.pages import words

# Text written by the software, never typed by a person: a message lists every visit a
# change touched, so it has no limit.
WRITTEN_BY_THE_SOFTWARE = {(Notification, "body")}


def test_every_free_text_field_has_a_maximum():
    unbounded = [
        f"{model.__name__}.{field.name}"
        for app in ("people", "circles", "rota")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and field.max_length is None
        and (model, field.name) not in WRITTEN_BY_THE_SOFTWARE
    ]
    assert unbounded == []


@pytest.mark.parametrize("field", sorted(CLIENT_TEXT_LIMITS))
def test_the_database_refuses_a_clients_text_over_its_limit(gwen, field):
    limit = CLIENT_TEXT_LIMITS[field]
    Client.objects.filter(pk=gwen.pk).update(**{field: "x" * limit})  # at the limit: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.filter(pk=gwen.pk).update(**{field: "x" * (limit + 1)})


def test_the_database_refuses_a_plan_with_too_many_tasks_or_medicines(gwen):
    plan = VisitPlanFactory(client=gwen)
    VisitPlan.objects.filter(pk=plan.pk).update(tasks=["x"] * LINES_LIMIT)  # at the limit: fine
    for field in ("tasks", "medicines"):
        with pytest.raises(IntegrityError), transaction.atomic():
            VisitPlan.objects.filter(pk=plan.pk).update(**{field: ["x"] * (LINES_LIMIT + 1)})


def test_a_24000_character_likes_and_wishes_is_refused_in_words(client, story):
    client.force_login(story.gwen_herself)
    edit = reverse("family:edit_about", args=[story.gwen.pk])
    form = client.get(edit).text
    assert 'maxlength="2000"' in form and 'maxlength="1000"' in form

    with nothing_changes():
        page = client.post(
            edit,
            {"what_matters": "x" * 24000, "likes": "", "dislikes": "", "likes_to_give": ""},
        )

    assert page.status_code == 200
    assert (
        "Please keep this to 2000 characters or fewer (it has 24000). Nothing has been saved."
        in words(page.text)
    )
    story.gwen.refresh_from_db()
    assert story.gwen.what_matters == "My garden and my cat, Smwt."


def test_a_cancel_reason_over_its_limit_is_refused_in_words(client, story):
    shift = visit(story.gwen, at(4, 8))
    place(shift, story.ana)
    client.force_login(story.rhian)

    page = client.post(
        reverse("leaders:cancel", args=[shift.pk]), {"reason": "x" * 201}, follow=True
    )

    assert "Please keep the reason to 200 characters or fewer. Nothing has changed." in words(
        page.text
    )
    assert Shift.objects.get(pk=shift.pk).status == "planned"


def test_the_service_refuses_a_cancel_reason_over_its_limit(story):
    shift = visit(story.gwen, at(4, 8))
    with refused("reason_too_long"):
        services.cancel_shift(shift, "x" * 201, actor=story.rhian)

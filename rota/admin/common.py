"""What the rota's admin pages share: the carers a coordinator may choose from, and the
page that asks what a service needs before an action runs."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest
from django.template.response import TemplateResponse

from circles.admin import admin_user, scoped
from circles.models import Membership, Role
from people.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def carers_for(
    model_admin: admin.ModelAdmin, request: HttpRequest, circle_ids: Iterable[int] | None = None
) -> QuerySet[Person]:
    """The active carers of these circles (of every circle when None) whom the user may
    see: for a coordinator, those of their own organisation."""
    current = Membership.objects.current().filter(role=Role.CARER)
    if circle_ids is not None:
        current = current.filter(circle_id__in=circle_ids)
    user = admin_user(request)
    memberships = scoped(model_admin.admin_site, current, user)
    people = Person.objects.filter(pk__in=memberships.values("person"), is_active=True)
    return scoped(model_admin.admin_site, people, user).order_by("full_name")


def form_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form: Form,
    title: "StrOrPromise",
    intro: "StrOrPromise",
    submit: "StrOrPromise",
    objects: Sequence = (),
    action: str | None = None,
) -> TemplateResponse:
    """The page between choosing an action and doing it, which asks what the service needs.

    Django's intermediate-action pattern: the form posts back to the changelist with the
    action, the selected ids and `apply`, and the action then runs with the answers.
    """
    request.current_app = model_admin.admin_site.name
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "intro": intro,
        "form": form,
        "submit": submit,
        "objects": objects,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/rota/service_form.html", context)

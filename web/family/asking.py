"""New carers asking: a client who chose to be asked first about one more carer new to them
says yes or no, visit by visit (docs/design.md, A client's say over new faces).

Everyone who speaks for the client sees the questions; only the client and their
representative answer (403 for the rest, who are told whom to ask).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from circles.permissions import clients_of, decides_for
from people.models import Person
from rota import services
from rota.models import NewFaceRequest, NewFaceStatus
from web.family.access import access_client, deciders, family_required, naming
from web.family.queries import open_questions
from web.http import Request, attempt, get_or_404, redirect_with


@family_required
@require_GET
def asked(request: Request, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    context = {
        **naming(request.user, client),
        "decides": decides_for(request.user, client),
        "deciders": deciders(client),
        "questions": open_questions(client, now=timezone.now()),
    }
    return render(request, "family/asked.html", context)


@family_required
@require_POST
def say_yes(request: Request, request_id: int) -> HttpResponse:
    """Yes: the carer is placed if the place is still theirs to have; else why not."""
    return _answer(request, request_id, yes=True)


@family_required
@require_POST
def say_no(request: Request, request_id: int) -> HttpResponse:
    """No: the visit stays as it was, and the carer is told."""
    return _answer(request, request_id, yes=False)


def _answer(request: Request, request_id: int, *, yes: bool) -> HttpResponse:
    question = _access_question(request.user, request_id)
    client = question.shift.client
    if not decides_for(request.user, client):
        raise PermissionDenied
    change = services.approve_new_face if yes else services.decline_new_face
    outcome = attempt(lambda: change(question, actor=request.user), _("Thank you: noted."))
    if outcome.value is not None:
        outcome.note = _said(outcome.value, request.user)
    return redirect_with(request, outcome, reverse("family:asked", args=[client.pk]))


def _access_question(person: Person, request_id: int) -> NewFaceRequest:
    """A question about a client the person speaks for, or 404."""
    questions = NewFaceRequest.objects.select_related("shift__client__circle", "carer")
    return get_or_404(questions.filter(shift__client__in=clients_of(person)), pk=request_id)


def _said(question: NewFaceRequest, person: Person) -> str:
    """What came of the answer, in words: placed, told no, or why a yes could not be kept."""
    client = question.shift.client
    words = {
        "carer": question.carer.get_short_name(),
        "client": client.preferred_name,
        "when": dateformat.format(
            timezone.localtime(question.shift.start, client.circle.tz), "l j F, H:i"
        ),
        "why": question.closed_reason,
    }
    if question.status == NewFaceStatus.APPROVED:
        if client.is_themselves(person):
            return _("Thank you: %(carer)s will visit you on %(when)s.") % words
        return _("Thank you: %(carer)s will visit %(client)s on %(when)s.") % words
    if question.status == NewFaceStatus.LAPSED:
        return _("Thank you. %(why)s So %(carer)s won't be coming; nothing has changed.") % words
    return _("Noted: %(carer)s has been told, and the visit stays as it was.") % words

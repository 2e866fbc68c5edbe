"""Setting up one's sign-in from an invitation: the link in the email a new person gets
when the coordinator adds them (people/invitations.py). They choose a password by the
site's rules and are signed in; staff then go on to add their authenticator app, as the
second factor asks of every staff sign-in (web/account/second_factor.py).

Opening the link spends nothing, so a mail scanner that follows it does no harm; choosing
the password does. A link that has expired, was used, or never was gets one plain page
saying what to do, and each one from a network address counts towards its hourly share
(web/account/throttle.py), so guessing stops paying."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from people import invitations
from people.models import Language
from web.account import sessions, throttle


@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """The invited person chooses their password, and is signed in."""
    address = throttle.client_address(request)
    if throttle.too_many_bad_invitations(address):
        return render(request, "account/invitation_refused.html", {"too_many": True}, status=429)
    person = invitations.invited(uid, token)
    if person is None:
        return _refused(request, address)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = invitations.accept(uid, token, form.cleaned_data["new_password1"])
        if person is None:  # spent a moment ago, by another press of the same link
            return _refused(request, address)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        sessions.started(request, keep=False)
        translation.activate(person.language)
        messages.success(request, _("Your password is set, and you are signed in."))
        response = redirect("account:home")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.language, samesite="Lax")
        return response
    # Straight from their email, the page speaks the person's language; once they have
    # used the switch on the page, it speaks the one they chose.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    with translation.override(chosen if chosen in Language.values else person.language):
        return render(request, "account/invitation.html", {"form": form, "person": person})


def _refused(request: HttpRequest, address: str | None) -> HttpResponse:
    throttle.count_bad_invitation(address)
    return render(request, "account/invitation_refused.html", {"too_many": False}, status=410)

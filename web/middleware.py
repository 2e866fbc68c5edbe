from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from web.outage import remember_language


class PersonLanguageMiddleware:
    """Pages speak the signed-in person's language (English or Welsh), whatever the
    browser says; the language switch saves their choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        language = request.user.language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Their language now (the language switch may have changed it), unless they signed out.
        if request.user.is_authenticated:
            language = request.user.language
        remember_language(request, response, language)
        return response


class SignInAgainMiddleware:
    """When a session has ended while a page stays open, a tap that htmx sends would be
    answered with the sign-in page swapped into one card. Instead the whole window goes to
    sign in, and comes back afterwards to the page the person was on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or response.status_code != 302:
            return response
        sign_in = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != sign_in:
            return response
        # Back to the page on screen; a tap's own address answers only a POST.
        back = htmx.current_url_abs_path or (
            request.get_full_path()
            if request.method == "GET"
            else resolve_url(settings.LOGIN_REDIRECT_URL)
        )
        return HttpResponseClientRedirect(redirect_to_login(back, sign_in).url)


class RefuseNulCharactersMiddleware:
    """No one types a NUL character and PostgreSQL cannot store one: a request carrying it in
    its address, its form or its JSON is answered in plain words, and no page sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            return HttpResponseBadRequest(
                _("Part of what was sent can't be stored. Please type it again."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    if request.content_type == "application/json":
        return b"\x00" in request.body or b"\\u0000" in request.body
    return False

"""When the database is away (a restart, a failover): a page that says so in plain words,
in the person's language, instead of a bare "Server Error (500)", and a change that was
saved before the page failed is never reported as lost."""

import sys
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# What the one change of this request said when its service committed, if it did.
saved: ContextVar[str] = ContextVar("saved", default="")

# How long the page asks the browser to wait before trying again.
RETRY_AFTER_SECONDS = 60


class SavedChangeMiddleware:
    """Forget, at each request's start, whether a change was saved in an earlier one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = saved.set("")
        try:
            return self.get_response(request)
        finally:
            saved.reset(token)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. Drawn without the database: no signed-in person, no counts, and
    the language from the cookie set at sign-in (or the browser's)."""
    _kind, error, _trace = sys.exc_info()
    outage = isinstance(error, OperationalError | InterfaceError)
    change = saved.get()
    with translation.override(translation.get_language_from_request(request)):
        again = request.get_full_path() if request.method == "GET" else "/"
        body = render_to_string("trouble.html", {"saved": change, "outage": outage, "again": again})
    if request.headers.get("HX-Request"):
        # htmx shows no answer that is an error: this one takes the whole page instead.
        response = HttpResponse(body)
        response["HX-Retarget"], response["HX-Reswap"] = "body", "innerHTML"
    elif change:
        # The change is in; only the page after it failed. Never "your change was lost".
        response = HttpResponse(body)
    else:
        response = HttpResponse(body, status=503 if outage else 500)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def remember_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Keep the signed-in person's language in a cookie, so a page drawn without the
    database (server_error) still speaks it."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )

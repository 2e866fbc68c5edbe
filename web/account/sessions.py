"""How long a signed-in session lasts (settings SESSION_*): 12 hours from signing in, and
ended after 2 hours without a page. "Keep me signed in on this phone" makes a carer's,
family's or client's last 30 days on that phone (its cookie); never a staff member's."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
KEPT = "kept_on_this_phone"
# The last page seen is written at most this often, not on every request.
SEEN_EVERY_SECONDS = 60


def started(request: HttpRequest, *, keep: bool) -> None:
    """A person has just signed in on this request."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[KEPT] = keep
    request.session.set_expiry(settings.SESSION_KEPT_SECONDS if keep else None)


class SessionLimitsMiddleware:
    """Ends a session that is too old or has been idle too long, and sends the person to
    sign in again, coming back to the page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = timezone.now().timestamp()
            # A session signed in some other way (the admin's form) starts when first seen.
            signed_in = session.setdefault(SIGNED_IN_AT, now)
            seen = session.setdefault(SEEN_AT, now)
            if session.get(KEPT) and not request.user.is_staff:
                longest = idle = settings.SESSION_KEPT_SECONDS
            else:
                longest, idle = settings.SESSION_COOKIE_AGE, settings.SESSION_IDLE_SECONDS
            if now - signed_in > longest or now - seen > idle:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - seen > SEEN_EVERY_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)

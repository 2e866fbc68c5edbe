"""Slowing down guessing and flooding at the sign-in forms.

Wrong passwords (on /sign-in/ and /admin/login/) are counted by django-axes per account and
address together (settings AXES_*): this module names the account and words the lockout.
Sign-in link emails are counted here, in the cache, per email address and per network address;
so are invitation links that do not check out, per network address.
"""

import hashlib
import math
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LINK_WINDOW_SECONDS = 60 * 60


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from. Behind PROXY_COUNT proxies of our own (each adding
    the address it was called from to X-Forwarded-For), it is the one the outermost proxy
    saw; anything further left was written by the caller and cannot be trusted."""
    if settings.PROXY_COUNT:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in names, as people type it: "Ana@Example.org" is ana's too."""
    name = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if name is None:
        name = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return name.strip().lower() if isinstance(name, str) else None


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Too many wrong passwords for this account from this address: a plain page that says
    how long to wait, with no hint whether the account exists."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "account/locked_out.html", {"minutes": minutes}, status=429)


def may_send_link(email: str, address: str | None) -> bool:
    """Count one sign-in link asked for; False once this email address, or this network
    address, has asked for more than its share this hour. The count grows either way, so
    flooding keeps it shut."""
    keys = [
        (_key("email", email.strip().lower()), settings.SIGN_IN_LINKS_PER_EMAIL),
        (_key("ip", address or "unknown"), settings.SIGN_IN_LINKS_PER_IP),
    ]
    allowed = True
    for key, limit in keys:
        allowed = _count(key) <= limit and allowed
    return allowed


def count_bad_invitation(address: str | None) -> None:
    """Count one invitation link from this network address that did not check out."""
    _count(_key("bad-invitation", address or "unknown"))


def too_many_bad_invitations(address: str | None) -> bool:
    """Whether this network address has tried more invitation links that did not check out
    than its share this hour. Its own good link waits too: guessing stops paying at once."""
    count = cache.get(_key("bad-invitation", address or "unknown"), 0)
    return count >= settings.BAD_INVITATION_LINKS_PER_IP


def _count(key: str) -> int:
    """One more in this hour's count under `key`; the count so far."""
    # add() starts the hour's window only if there is none; incr() counts within it.
    cache.add(key, 0, timeout=LINK_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=LINK_WINDOW_SECONDS)
        return 1


def _key(kind: str, value: str) -> str:
    # Hashed, so the cache holds no one's email address.
    return f"sign-in-links:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"

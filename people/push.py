"""Web Push to the phones a person opted in on their settings page.

The browser subscribes with the push service of its maker and gives us the subscription
(web.account.push stores it); `send_push` encrypts a message for each of the person's
phones and signs it with our VAPID key; the service worker (static/js/sw.js) shows it and
opens its page when tapped.

A subscription names an address that our server will POST to, so it is checked like any
address a stranger gives us: https, on a push service we know (settings.PUSH_SERVICE_HOSTS),
resolving only to public addresses, when it is stored and again before each message, and
no redirect is ever followed. Otherwise a signed-in person could make the server reach
into the network it runs in (the cloud's metadata service, the database, the admin).
"""

import ipaddress
import json
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.templatetags.static import static
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from people.models import Person, PushSubscription

log = logging.getLogger(__name__)

# Push services keep a message for a phone that is off this long (seconds), then drop it.
PUSH_TTL = 12 * 3600
# A push service that does not answer must not hold a worker for long.
PUSH_TIMEOUT = 10
# Push services take about 4 KB a message, encrypted: a phone shows little more anyway.
TITLE_MAX, BODY_MAX = 200, 1000
# What a push service answers when the phone unsubscribed or the browser was reset.
GONE = (404, 410)


def is_safe_endpoint(endpoint: str) -> bool:
    """Whether we may POST to this push endpoint: https, a known push service's host, and
    every address the host resolves to public. A name that does not resolve is refused."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port or 443
    except ValueError:
        return False
    host = (parts.hostname or "").rstrip(".").lower()
    # A local push service speaks plain http; only tests let one in (see settings).
    local_allowed = settings.PUSH_ALLOW_PRIVATE_ADDRESSES
    if parts.scheme != "https" and not (local_allowed and parts.scheme == "http"):
        return False
    if parts.username or parts.password or not _known_push_service(host):
        return False
    addresses = resolve(host, port)
    if not addresses:
        return False
    return local_allowed or all(_is_public(address) for address in addresses)


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to; none when it does not resolve."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in found]


def _known_push_service(host: str) -> bool:
    """`fcm.googleapis.com` names that host only; `*.push.apple.com` any host under it."""
    for allowed in settings.PUSH_SERVICE_HOSTS:
        allowed = allowed.lower()
        if allowed.startswith("*."):
            if host.endswith(allowed[1:]):
                return True
        elif host == allowed:
            return True
    return False


def _is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])  # an IPv6 zone is no part of it
    except ValueError:
        return False
    # An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 one.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class NoRedirects(requests.Session):
    """A session that never follows a redirect: a push service answers 201, and a redirect
    could lead anywhere, plain http or the internal network included."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


def send_push(person: Person, *, title: str, body: str, url: str, urgent: bool = False) -> int:
    """Send a message to each phone the person opted in; returns how many push services
    took it. Nothing is sent without VAPID keys; whether this message goes to the person's
    phones at all is their choice per kind, asked by the caller (circles.notify).

    `title` and `body` are already in the person's language; `url` is where tapping the
    message leads, best a path on this site. A subscription that is gone is forgotten; any
    other failure is logged and that phone skipped, so one broken phone never stops the
    others (nor the email that goes with an alert).
    """
    if not settings.VAPID_PRIVATE_KEY:
        return 0
    subscriptions = list(PushSubscription.objects.filter(person=person))
    if not subscriptions:
        return 0
    vapid = Vapid.from_string(private_key=settings.VAPID_PRIVATE_KEY)
    payload = json.dumps(
        {
            "title": str(title)[:TITLE_MAX],
            "body": str(body)[:BODY_MAX],
            "url": url,
            "icon": static("icons/icon-192.png"),
            "urgent": urgent,
        }
    )
    with NoRedirects() as session:
        return sum(
            _send_one(subscription, payload, vapid, session, urgent=urgent)
            for subscription in subscriptions
        )


def _send_one(
    subscription: PushSubscription,
    payload: str,
    vapid: Vapid,
    session: requests.Session,
    *,
    urgent: bool,
) -> bool:
    # Checked again at each send: the name may resolve elsewhere since it was stored.
    if not is_safe_endpoint(subscription.endpoint):
        log.warning("Push to subscription %s skipped: not a public push service", subscription.pk)
        return False
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload,
            vapid_private_key=vapid,
            # A new dict each time: webpush writes the push service's origin ("aud") into it.
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=PUSH_TTL,
            # "high" wakes a phone that is saving its battery; routine messages can wait.
            headers={"Urgency": "high" if urgent else "normal"},
            timeout=PUSH_TIMEOUT,
            requests_session=session,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE:
            subscription.delete()
        else:
            log.warning("Push to subscription %s failed: %s", subscription.pk, error)
        return False
    except requests.RequestException as error:
        log.warning("Push to subscription %s failed: %s", subscription.pk, error)
        return False
    return True

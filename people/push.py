"""Web Push to the phones a person opted in on their settings page.

The browser subscribes with the push service of its maker and gives us the subscription
(web.account.push stores it); `send_push` encrypts a message for each of the person's
phones and signs it with our VAPID key; the service worker (static/js/sw.js) shows it and
opens its page when tapped.
"""

import json
import logging

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
    with requests.Session() as session:
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

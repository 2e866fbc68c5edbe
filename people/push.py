"""Web Push to the phones a person opted in on their settings page.

The browser subscribes with the push service of its maker and gives us the subscription
(static/js/push.js); `send_push` encrypts a message for each of the person's phones and
signs it with our VAPID key; the service worker (static/js/sw.js, served at /sw.js so that
it covers the whole site) shows it and opens its page when tapped.
"""

import base64
import binascii
import json
import logging
import re
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe
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
HTTPS_ONLY = URLValidator(schemes=["https"])
ENDPOINT_MAX_LENGTH = PushSubscription._meta.get_field("endpoint").max_length
BASE64URL = re.compile(r"[A-Za-z0-9_-]{1,200}={0,2}")


def send_push(person: Person, *, title: str, body: str, url: str, urgent: bool = False) -> int:
    """Send a message to each phone the person opted in; returns how many push services
    took it. Nothing is sent without VAPID keys or when the person turned push off.

    `title` and `body` are already in the person's language; `url` is where tapping the
    message leads, best a path on this site. A subscription that is gone is forgotten; any
    other failure is logged and that phone skipped, so one broken phone never stops the
    others (nor the email that goes with an alert).
    """
    if not settings.VAPID_PRIVATE_KEY or not person.notify_by_push:
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


@require_GET
def public_key(request: HttpRequest) -> JsonResponse:
    """The key browsers subscribe with; empty when push is not set up on this site."""
    return JsonResponse({"publicKey": settings.VAPID_PUBLIC_KEY})


@login_required
@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """Store this phone's subscription: {endpoint, keys: {p256dh, auth}} as the browser
    gives it. A phone that was someone else's before is theirs no longer."""
    data = _json(request)
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    if not (_is_endpoint(endpoint) and _is_key(p256dh, 65) and _is_key(auth, 16)):
        return JsonResponse(
            {"message": _("This browser sent something we can't use. Please try again.")},
            status=400,
        )
    PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"person": request.user, "p256dh": p256dh, "auth": auth}
    )
    # Pressing "Send alerts to this phone" is a clear wish to have them.
    Person.objects.filter(pk=request.user.pk, notify_by_push=False).update(notify_by_push=True)
    return JsonResponse({"message": _("Alerts will come to this phone.")}, status=201)


@login_required
@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    """Forget this phone: only the person's own subscription, whatever is posted."""
    endpoint = _json(request).get("endpoint")
    PushSubscription.objects.filter(person=request.user, endpoint=endpoint).delete()
    return JsonResponse({"message": _("Alerts will no longer come to this phone.")})


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at /sw.js: a service worker only controls pages under its own path."""
    path = finders.find("js/sw.js")
    if path is None:
        raise Http404
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker at most daily anyway; never serve them a stale one.
    response["Cache-Control"] = "no-cache"
    return response


def _json(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _is_endpoint(value: object) -> bool:
    if not isinstance(value, str) or len(value) > ENDPOINT_MAX_LENGTH:
        return False
    try:
        HTTPS_ONLY(value)
    except ValidationError:
        return False
    return True


def _is_key(value: object, length: int) -> bool:
    """A base64url string of `length` bytes, as browsers encode subscription keys."""
    if not isinstance(value, str) or not BASE64URL.fullmatch(value):
        return False
    try:
        decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except binascii.Error:
        return False
    return len(decoded) == length

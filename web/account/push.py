"""The phones a person opts in to alerts on their settings page (static/js/push.js), and
the service worker that shows the alerts, at /sw.js so that it covers the whole site.
people.push sends them."""

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any, TypeGuard, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from circles import channels
from people.models import Person, PushSubscription
from people.push import is_safe_endpoint
from web.http import Request

HTTPS_ONLY = URLValidator(schemes=["https"])
# The endpoint column is a URLField declared with its max_length (people.models).
ENDPOINT_MAX_LENGTH = cast(int, PushSubscription._meta.get_field("endpoint").max_length)
BASE64URL = re.compile(r"[A-Za-z0-9_-]{1,200}={0,2}")


def push_offered() -> bool:
    """Whether this site can push at all: without VAPID keys, phones are not offered."""
    return bool(settings.VAPID_PRIVATE_KEY)


@require_GET
def public_key(request: HttpRequest) -> JsonResponse:
    """The key browsers subscribe with; empty when push is not set up on this site."""
    return JsonResponse({"publicKey": settings.VAPID_PUBLIC_KEY})


@login_required
@require_POST
def subscribe(request: Request) -> JsonResponse:
    """Store this phone's subscription: {endpoint, keys: {p256dh, auth}} as the browser
    gives it. Only a known push service on a public address is taken (people.push), and
    a phone that gets someone else's alerts stays theirs until they stop them: anyone who
    learnt its address could otherwise take their alerts away."""
    if not push_offered():
        raise Http404  # the site cannot push: there is nothing to opt in to
    data = _json(request)
    keys = data.get("keys")
    if not isinstance(keys, dict):
        keys = {}
    endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    if not (_is_endpoint(endpoint) and _is_key(p256dh, 65) and _is_key(auth, 16)):
        return JsonResponse(
            {"message": _("This browser sent something we can't use. Please try again.")},
            status=400,
        )
    if not is_safe_endpoint(endpoint):
        return JsonResponse(
            {"message": _("This browser's alert service is not one we send alerts through.")},
            status=400,
        )
    if not _store(endpoint, request.user, p256dh=p256dh, auth=auth):
        return JsonResponse(
            {
                "message": _(
                    "This phone already gets alerts for someone else. They can stop them on "
                    "their settings page; then try again."
                )
            },
            status=409,
        )
    channels.push_again(request.user)
    return JsonResponse({"message": _("Alerts will come to this phone.")}, status=201)


@login_required
@require_POST
def unsubscribe(request: Request) -> JsonResponse:
    """Forget this phone: only the person's own subscription, whatever is posted."""
    endpoint = _json(request).get("endpoint")
    if not _is_endpoint(endpoint):
        return JsonResponse(
            {"message": _("This browser sent something we can't use. Please try again.")},
            status=400,
        )
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


def _store(endpoint: str, person: Person, *, p256dh: str, auth: str) -> bool:
    """Store or renew the person's own subscription; False if it is someone else's."""
    try:
        with transaction.atomic():
            mine = PushSubscription.objects.filter(endpoint=endpoint, person=person).update(
                p256dh=p256dh, auth=auth
            )
            if not mine:
                if PushSubscription.objects.filter(endpoint=endpoint).exists():
                    return False
                PushSubscription.objects.create(
                    endpoint=endpoint, person=person, p256dh=p256dh, auth=auth
                )
    except IntegrityError:
        return False  # someone else stored it in the same moment
    return True


# A subscription is a few hundred bytes of JSON; anything far bigger is not one.
JSON_MAX_BYTES = 4096


def _json(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json":
        return {}  # a form's body was read as the form's fields; it is no subscription anyway
    body = request.body[: JSON_MAX_BYTES + 1]
    if len(body) > JSON_MAX_BYTES:
        return {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        return {}
    return data if isinstance(data, dict) else {}


def _is_endpoint(value: object) -> TypeGuard[str]:
    if not isinstance(value, str) or len(value) > ENDPOINT_MAX_LENGTH:
        return False
    try:
        HTTPS_ONLY(value)
    except ValidationError:
        return False
    return True


def _is_key(value: object, length: int) -> TypeGuard[str]:
    """A base64url string of `length` bytes, as browsers encode subscription keys."""
    if not isinstance(value, str) or not BASE64URL.fullmatch(value):
        return False
    try:
        decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except binascii.Error:
        return False
    return len(decoded) == length

"""/healthz/: whether this web process reaches the database and the broker, for whatever
watches the service (a load balancer, docker-compose, bin/serve's caller). It says only
"ok" or "unreachable" of each, to anyone: nothing about the people in it."""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK, UNREACHABLE = "ok", "unreachable"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(state == OK for state in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return UNREACHABLE
    return OK


def _broker() -> str:
    if not settings.REDIS_URL:
        return OK  # the demo: tasks run in-process, there is no broker to reach
    try:
        redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        ).ping()
    except redis.RedisError:
        return UNREACHABLE
    return OK

"""/healthz/ says whether the database and the broker are reached (really reached: a broker
at a port where nothing listens is "unreachable"), and log lines are JSON with the id of
their request, which the answer carries too."""

import json
import logging
import sys

import pytest
from django.urls import reverse

from tests.ports import unused_port
from web.logs import JsonFormatter, request_id

pytestmark = pytest.mark.django_db


def test_healthy(client, settings, redis_url):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = redis_url

    reply = client.get(reverse("healthz"))

    assert reply.status_code == 200
    assert reply.json() == {"database": "ok", "broker": "ok"}
    assert "no-store" in reply["Cache-Control"]


def test_a_broker_that_is_away_makes_it_unhealthy(client, settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{unused_port()}/0"

    reply = client.get(reverse("healthz"))

    assert reply.status_code == 503
    assert reply.json() == {"database": "ok", "broker": "unreachable"}


def test_every_answer_carries_its_request_id_and_a_sane_one_from_the_proxy_is_kept(client):
    mine = client.get(reverse("healthz"))["X-Request-ID"]
    other = client.get(reverse("healthz"))["X-Request-ID"]
    assert len(mine) == 32 and mine != other

    given = client.get(reverse("healthz"), headers={"X-Request-ID": "proxy-abc.123"})
    assert given["X-Request-ID"] == "proxy-abc.123"
    forged = client.get(reverse("healthz"), headers={"X-Request-ID": 'x"\n{"level": "ERROR"'})
    assert forged["X-Request-ID"] != 'x"\n{"level": "ERROR"' and len(forged["X-Request-ID"]) == 32


def record(name="circles.notify", msg="sent %s", args=("1",), exc_info=None):
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, exc_info)


def test_a_log_line_is_one_json_object_with_its_request_id():
    token = request_id.set("abc123")
    try:
        line = JsonFormatter().format(record(msg='said "hi"\nthen %s'))
    finally:
        request_id.reset(token)

    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == 'said "hi"\nthen 1'
    assert parsed["request_id"] == "abc123"
    assert parsed["level"] == "INFO" and parsed["logger"] == "circles.notify"


def test_an_error_keeps_its_traceback_inside_the_line():
    try:
        raise ValueError("broken")
    except ValueError:
        line = JsonFormatter().format(record(exc_info=sys.exc_info()))
    assert "ValueError: broken" in json.loads(line)["error"]


def test_gunicorns_access_line_becomes_fields():
    atoms = {
        "m": "GET",
        "U": "/shifts/",
        "s": "200",
        "B": "512",
        "M": "12",
        "{x-request-id}o": "r1",
    }
    line = json.loads(JsonFormatter().format(record("gunicorn.access", "%(m)s", atoms)))
    assert line["path"] == "/shifts/" and line["status"] == 200 and line["bytes"] == 512
    assert line["duration_ms"] == 12 and line["request_id"] == "r1"

"""Log lines as JSON, one per line, each with the id of the request (or task) it belongs to,
so the lines of one tap can be found together in whatever keeps the logs.

Every request gets an id, taken from the proxy's X-Request-ID when it sends a sane one, and
sent back in the answer's X-Request-ID; gunicorn's access line reads it from there.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from celery import current_task
from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="")

# What a proxy may send as a request id: short, and nothing that could forge a log line.
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Give each request its id, for its log lines and in the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        token = request_id.set(given if SANE_ID.fullmatch(given) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id.get()
            return response
        finally:
            request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request or task id, and
    the error's traceback when there is one. gunicorn's access lines become fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            line.update(_access(record.args))
        else:
            line["message"] = record.getMessage()
            if task := _task_id():
                line["task_id"] = task
            if rid := request_id.get():
                line["request_id"] = rid
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _access(atoms: dict) -> dict[str, object]:
    """gunicorn's access atoms, by name: the path without its query (a sign-in link's secret
    travels there), the status, size and time, and the id the app gave the request."""
    return {
        "message": f"{atoms.get('m')} {atoms.get('U')} {atoms.get('s')}",
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "status": _number(atoms.get("s")),
        "bytes": _number(atoms.get("B")),
        "duration_ms": _number(atoms.get("M")),
        "request_id": atoms.get("{x-request-id}o") or None,
    }


def _number(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _task_id() -> str | None:
    """The running Celery task's id (an outbox task's names its row), if in a worker."""
    return current_task.request.id if current_task else None

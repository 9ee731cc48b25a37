"""Per-request observation: a request id on every response, a JSON access log line, metrics.

A plain ASGI middleware (not BaseHTTPMiddleware) so it adds no task or copy per request and sees
streamed bodies to their end. It is also the last line of defence: an unexpected exception
becomes the one JSON error shape with status 500, and its traceback goes to the log only.
Every log line has personal data in its free text masked (assistant/privacy.py) before it is
written, whichever logger wrote it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from api.metrics import Metrics
from assistant.privacy import redact

# An incoming X-Request-ID is kept when it is short and plain (it is echoed into logs).
_SANE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
ACCESS = logging.getLogger("bluelight.access")
ERRORS = logging.getLogger("bluelight.errors")
# Fields that are the service's own values, never free text from a user: written as they are
# (a request id must stay exactly itself for the lines to be joined up).
_OWN_FIELDS = frozenset(
    {"request_id", "method", "route", "status", "duration_ms", "bytes", "client", "job_id"}
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log shippers parse without configuration."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()).text,
        }
        for name, value in getattr(record, "fields", {}).items():
            free = isinstance(value, str) and name not in _OWN_FIELDS
            line[name] = redact(value).text if free else value
        if record.exc_info:
            line["exc"] = redact(self.formatException(record.exc_info)).text
        return json.dumps(line, default=str)


def configure_logging() -> None:
    """Send bluelight's own loggers to stderr as JSON, once, unless someone configured them."""
    root = logging.getLogger("bluelight")
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False


def request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _SANE_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class Observe:
    """Request id, access log, request metrics, and the JSON 500 for anything unexpected."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        header = (b"x-request-id", rid.encode())
        status = 0
        sent = 0

        async def send_observed(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        self.metrics.in_progress.inc()
        try:
            await self.app(scope, receive, send_observed)
        except Exception:
            ERRORS.exception(
                "unhandled error", extra={"fields": {"request_id": rid, "path": scope["path"]}}
            )
            if not status:
                await _internal_error(send_observed, rid)
            status = status or 500
        finally:
            self.metrics.in_progress.dec()
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.observe_request(route, scope["method"], status, seconds)
            client = scope.get("client")
            ACCESS.info(
                "request",
                extra={
                    "fields": {
                        "request_id": rid,
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                        "bytes": sent,
                        "client": client[0] if client else None,
                    }
                },
            )


async def _internal_error(send: Send, rid: str) -> None:
    message = "an unexpected error occurred; quote the request id when reporting it"
    body = json.dumps(error_body(rid, "internal_error", message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

"""One JSON error shape for every failure: {"error": {"code", "message", "request_id"}}.

BluelightError subclasses carry their own status and code; FastAPI's validation errors and
Starlette's 404/405 are rendered the same way, so a client parses one shape whatever went wrong.
Anything unexpected is rendered by the observe middleware, without a stack trace.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import Scope, Send

from api.schemas import ErrorBody
from assistant.errors import BluelightError

LOG = logging.getLogger("bluelight.errors")


class NoKeyConfigured(BluelightError):
    """The server has no API key, so nothing that needs one can be allowed."""

    status = 403
    code = "no_api_key_configured"


# Codes for the HTTP errors Starlette raises itself (unknown path, wrong method, body too big).
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def error_body(
    request_id: str, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "request_id": request_id}
    if details:
        error["details"] = details
    return {"error": error}


def in_band(exc: Exception, request_id: str) -> dict[str, Any]:
    """The error shape for a stream that has already started (its status is already sent)."""
    if isinstance(exc, BluelightError):
        return error_body(request_id, exc.code, exc.message)
    LOG.error("stream failed", exc_info=exc, extra={"fields": {"request_id": request_id}})
    message = "the answer failed part-way; quote the request id when reporting it"
    return error_body(request_id, "internal_error", message)


def request_id_of(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def error_response(
    request: Request, status: int, code: str, message: str, **extra: Any
) -> JSONResponse:
    headers = extra.pop("headers", None)
    body = error_body(request_id_of(request), code, message, extra.pop("details", None))
    return JSONResponse(body, status_code=status, headers=headers)


async def send_error(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    message: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """The error shape from a middleware, before the app has read the body.

    The connection is closed after it: the unread body must not be taken for the next request.
    """
    rid = str(scope.get("state", {}).get("request_id", ""))
    body = json.dumps(error_body(rid, code, message)).encode()
    start = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body})


async def _bluelight_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BluelightError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(request, exc.status, exc.code, exc.message, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [_detail(e) for e in exc.errors()]
    first = details[0] if details else {"loc": "body", "msg": "invalid request"}
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    message = f"{first['loc']}: {first['msg']}{more}"
    return error_response(request, 422, "validation_error", message, details=details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    code = _HTTP_CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
    message = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
    if status == 404 and message == "Not Found":
        message = f"no such endpoint: {request.method} {request.url.path}; see /docs"
    elif status == 405:
        message = f"{request.method} is not allowed on {request.url.path}; see /docs"
    elif status == 413 and message == HTTPStatus(413).phrase:
        message = "the request body is too large"
    return error_response(request, status, code, message, headers=exc.headers)


def _detail(error: Any) -> dict[str, Any]:
    """A validation error without the offending input echoed back (it can be large)."""
    loc = ".".join(str(p) for p in error.get("loc", ()))
    return {"loc": loc or "body", "msg": str(error.get("msg", "")), "type": error.get("type", "")}


def install(app: FastAPI) -> None:
    app.add_exception_handler(BluelightError, _bluelight_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can return, all in the one shape."""
    return {s: {"model": ErrorBody, "description": HTTPStatus(s).phrase} for s in sorted(statuses)}

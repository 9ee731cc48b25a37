"""The API key checked from the headers alone, before anything reads the request body.

FastAPI reads and parses a body before it runs a route's dependencies, so without this a keyless
20 MB upload would be read in full before its 401. This middleware takes the operations that need
the key from the app's own OpenAPI schema (those with a `security` requirement, which the key
dependencies in api/deps.py put there) and runs the same check on the headers first. Which routes
need a key is still said once, where each route is declared; the dependency still runs after.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.security.utils import get_authorization_scheme_param
from starlette.datastructures import Headers
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import check_key
from api.errors import send_error
from assistant.errors import BluelightError
from assistant.settings import Settings


class KeyFirst:
    def __init__(self, app: ASGIApp, api: FastAPI, settings: Settings) -> None:
        self.app = app
        self.api = api
        self.settings = settings
        self._keyed: list[tuple[str, re.Pattern[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._needs_key(scope["method"], scope["path"]):
            headers = Headers(scope=scope)
            try:
                check_key(
                    self.settings,
                    presented_key(headers.get("authorization"), headers.get("x-api-key")),
                    f"{scope['method']} {scope['path']}",
                )
            except BluelightError as exc:
                extra = [(b"www-authenticate", b"Bearer")] if exc.status == 401 else []
                await send_error(scope, send, exc.status, exc.code, exc.message, extra)
                return
        await self.app(scope, receive, send)

    def _needs_key(self, method: str, path: str) -> bool:
        if self._keyed is None:  # built on the first request, once the app's routes are final
            self._keyed = [
                (verb.upper(), compile_path(template)[0])
                for template, operations in self.api.openapi().get("paths", {}).items()
                for verb, operation in operations.items()
                if isinstance(operation, dict) and operation.get("security")
            ]
        return any(verb == method and regex.match(path) for verb, regex in self._keyed)


def presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The key a request carries, read as deps' HTTPBearer and APIKeyHeader read it."""
    scheme, credentials = get_authorization_scheme_param(authorization)
    if authorization and scheme.lower() == "bearer" and credentials:
        return credentials
    return x_api_key

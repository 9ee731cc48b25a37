"""uvicorn's HTTP protocol with two additions: its own 400 for malformed requests in the one JSON
error shape, and a total deadline for the request line and headers.

A request that is not valid HTTP/1.1 (a header holding a control character, say) is refused by
uvicorn's parser before the app sees it, with a plain-text 400; no middleware can reach it. This
subclass answers that case in the API's JSON shape instead. uvicorn also waits for headers for
ever, so a client sending a byte every few seconds holds a connection as long as it likes; here
the headers must be complete within settings.header_timeout_s of the connection opening (or of
the first byte of the next request on a kept-alive connection), or the client gets a 408 and the
connection closes. Selected with uvicorn's `--http api.protocol:JsonErrorsProtocol` (api/serve.py
and api/launch.py pass it).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from functools import cache

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.errors import error_body
from assistant.settings import Settings

SPEC = "api.protocol:JsonErrorsProtocol"
MESSAGE = (
    "the request is not valid HTTP: a header holds a character HTTP does not allow (a control "
    "character, say) or the request line is malformed; nothing was processed"
)


@cache
def header_timeout_s() -> float:
    # The protocol is built by uvicorn, not by create_app: it reads the same BLUELIGHT_ settings.
    return Settings().header_timeout_s


class JsonErrorsProtocol(HttpToolsProtocol):
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_header_deadline()  # the next request on a kept-alive connection

    def on_headers_complete(self) -> None:
        self._disarm_header_deadline()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self._refuse(b"400 Bad Request", "bad_request", MESSAGE)

    def _arm_header_deadline(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(header_timeout_s(), self._headers_late)

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_late(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            message = (
                f"the request headers did not all arrive within {header_timeout_s():g} s "
                "(BLUELIGHT_HEADER_TIMEOUT_S); send the whole request without pausing"
            )
            self._refuse(b"408 Request Timeout", "request_timeout", message)

    def _refuse(self, status: bytes, code: str, message: str) -> None:
        rid = uuid.uuid4().hex
        body = json.dumps(error_body(rid, code, message)).encode()
        head = [b"HTTP/1.1 " + status + b"\r\n"]
        defaults = self.server_state.default_headers  # server and date, as on every response
        head += [name + b": " + value + b"\r\n" for name, value in defaults]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"x-request-id: " + rid.encode() + b"\r\n",
            b"connection: close\r\n",
            b"\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()

"""Limits on request bodies: their size (413), how long the next piece and the whole may take (408).

FastAPI's own body limit answers in plain text in some paths, so the API keeps its own: a
declared Content-Length over the cap is refused at once; a chunked body is counted as it
arrives and refused as soon as it passes the cap. uvicorn waits for a body for ever, so a client
that stops sending mid-body is cut off here, after settings.body_read_timeout_s of silence, and
one that trickles a byte at a time once settings.body_deadline_s have passed since its body began.
"""

from __future__ import annotations

import anyio
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import send_error


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.message = f"the request body is over the limit of {max_bytes:,} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Rendered by the app's HTTPException handler, in the one error shape.
                    raise HTTPException(413, detail=self.message)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        await send_error(scope, send, 413, "payload_too_large", self.message)


class BodyTimeout:
    """A 408 when the next piece of a request body takes longer than timeout_s to arrive, or
    the whole body longer than deadline_s (a total, which no arriving byte restarts).

    Only while the body is incomplete: once it has all arrived, receive() is left alone, since a
    streaming response waits on it for the client's disconnect for as long as the stream runs.
    """

    def __init__(self, app: ASGIApp, timeout_s: float, deadline_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self.deadline_s = deadline_s
        self.message = (
            f"the request body stopped arriving: nothing came for {timeout_s:g} s "
            "(BLUELIGHT_BODY_READ_TIMEOUT_S); send the whole body without pausing"
        )
        self.late = (
            f"the request body did not all arrive within {deadline_s:g} s "
            "(BLUELIGHT_BODY_DEADLINE_S); send it faster, or in smaller pieces"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        complete = False
        deadline = anyio.current_time() + self.deadline_s

        async def timed() -> Message:
            nonlocal complete
            if complete:
                return await receive()
            left = deadline - anyio.current_time()
            with anyio.move_on_after(min(self.timeout_s, left)):
                message = await receive()
                complete = message["type"] != "http.request" or not message.get("more_body")
                return message
            # Rendered by the app's HTTPException handler; the unread rest must not be read as
            # the next request, so the connection closes.
            detail = self.late if left <= self.timeout_s else self.message
            raise HTTPException(408, detail=detail, headers={"Connection": "close"})

        await self.app(scope, timed, send)

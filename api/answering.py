"""Run the synchronous assistant off the event loop, under the request-time limit.

The assistant embeds the question and scores passages on the CPU, so each answer runs in a worker
thread; the loop stays free to accept requests. When the limit passes, the client gets a 504 at
once; the thread cannot be killed and finishes in the background, its result dropped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial
from typing import Any

import anyio
import anyio.to_thread
from fastapi import Request
from fastapi.responses import StreamingResponse

from api import sse
from api.errors import in_band, request_id_of
from api.metrics import Metrics
from assistant.answer import Assistant
from assistant.errors import AnswerTimeout
from assistant.types import Answer, Ask

Event = tuple[str, Any]


def _timeout(limit_s: float) -> AnswerTimeout:
    return AnswerTimeout(
        f"no answer within {limit_s:g} s (BLUELIGHT_ANSWER_TIMEOUT_S); "
        "try again, or ask a narrower question"
    )


async def answer(assistant: Assistant, ask: Ask, limit_s: float) -> Answer:
    call = partial(assistant.answer, ask)
    with anyio.move_on_after(limit_s):
        return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    raise _timeout(limit_s)


class EventStream:
    """Pulls (event, payload) pairs from Assistant.stream one at a time in worker threads.

    The same deadline covers the whole stream, so a stream cannot outlive the answer limit.
    """

    def __init__(self, events: Iterator[Event], limit_s: float) -> None:
        self.events = events
        self.limit_s = limit_s
        self.deadline = anyio.current_time() + limit_s

    async def next(self) -> Event | None:
        """The next event, None at the end; raises AnswerTimeout past the deadline."""
        with anyio.move_on_after(self.deadline - anyio.current_time()):
            return await anyio.to_thread.run_sync(_next, self.events, abandon_on_cancel=True)
        raise _timeout(self.limit_s)


def _next(events: Iterator[Event]) -> Event | None:
    return next(events, None)


def stream(assistant: Assistant, ask: Ask, limit_s: float) -> EventStream:
    return EventStream(assistant.stream(ask), limit_s)


Frames = Callable[[AsyncIterator[Event]], AsyncIterator[bytes]]


async def streaming(
    assistant: Assistant,
    ask: Ask,
    limit_s: float,
    metrics: Metrics,
    request: Request,
    frames: Frames,
) -> StreamingResponse:
    """The one streaming path: the answer's events, framed by `frames` (bluelight's events or
    OpenAI chunks). An error before the first event gets its own status; one after it arrives
    as an ("error", body) event, and the stream then ends."""
    events = stream(assistant, ask, limit_s)
    first = await events.next()  # errors this early still get their own status
    return StreamingResponse(
        frames(_observed(first, events, metrics, request_id_of(request))),
        media_type=sse.MEDIA_TYPE,
        headers=sse.HEADERS,
    )


async def _observed(
    first: Event | None, events: EventStream, metrics: Metrics, request_id: str
) -> AsyncIterator[Event]:
    item = first
    while item is not None:
        name, payload = item
        if name == "done":
            metrics.observe_done(payload)
        yield item
        try:
            item = await events.next()
        except Exception as exc:  # the stream has started: report in-band, then end cleanly
            yield "error", in_band(exc, request_id)
            return

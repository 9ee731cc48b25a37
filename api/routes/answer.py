"""POST /v1/answer and /v1/answer/stream: the cited answer, whole or as server-sent events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from api import answering, sse
from api.answering import Event
from api.deps import AssistantDep, MetricsDep, SettingsDep
from api.errors import responses
from api.schemas import AnswerRequest, ErrorBody, StreamDone
from assistant.types import Answer, Citation, Passage

router = APIRouter(tags=["answers"])
ANSWER_ERRORS = responses(400, 422, 503, 504)
# Each event's data, in the order events arrive; the schema below is made from these.
EVENTS: dict[str, Any] = {
    "passages": list[Passage],
    "delta": str,
    "citations": list[Citation],
    "done": StreamDone,
    "error": ErrorBody,
}

_STREAM_DOC = f"""Server-sent events, in order:

- `event: passages` — the retrieved passages (a JSON list of Passage)
- `event: delta` — a piece of the answer text (a JSON string), many times
- `event: citations` — the checked citations (a JSON list of Citation)
- `event: done` — the rest of the Answer ({", ".join(StreamDone.model_fields)})

Errors before the first event are ordinary JSON error responses; an error after it arrives as
`event: error` with the JSON error shape, and the stream then ends.
"""


@router.post("/v1/answer", response_model=Answer, responses=ANSWER_ERRORS)
async def answer(
    body: AnswerRequest, assistant: AssistantDep, settings: SettingsDep, metrics: MetricsDep
) -> Response:
    """Answer a question from the evidence, with every claim cited, or decline."""
    result = await answering.answer(assistant, body.ask(), settings.answer_timeout_s)
    metrics.observe_answer(result.composer, result.declined, result.timings_ms)
    # Serialised once, by pydantic-core; returning the model would validate it again.
    return Response(result.model_dump_json(), media_type="application/json")


@router.post(
    "/v1/answer/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": _STREAM_DOC,
            "content": {sse.MEDIA_TYPE: {"schema": sse.events_schema(EVENTS)}},
        },
        **ANSWER_ERRORS,
    },
)
async def answer_stream(
    request: Request,
    body: AnswerRequest,
    assistant: AssistantDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> StreamingResponse:
    """The same answer as server-sent events: passages, text deltas, citations, done."""
    return await answering.streaming(
        assistant,
        body.ask(),
        settings.answer_timeout_s,
        metrics,
        request,
        _sse,
    )


async def _sse(events: AsyncIterator[Event]) -> AsyncIterator[bytes]:
    async for name, payload in events:
        yield sse.event(name, payload)

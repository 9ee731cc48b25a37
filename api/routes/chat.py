"""OpenAI-compatible chat: POST /v1/chat/completions (streaming and not) and GET /v1/models."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api import answering, sse
from api import openai_compat as oa
from api.answering import Event
from api.deps import AssistantDep, MetricsDep, SettingsDep
from api.errors import responses

router = APIRouter(tags=["openai"])


@router.get("/v1/models", response_model=oa.ModelList)
async def models() -> dict[str, Any]:
    """The one model this server offers, so OpenAI front ends can list and pick it."""
    return {"object": "list", "data": [{"id": oa.MODEL_ID, "created": 0, "owned_by": "bluelight"}]}


@router.post(
    "/v1/chat/completions",
    response_model=oa.ChatCompletion,
    responses={
        200: {
            "description": "A chat.completion, or with `stream: true` a stream of "
            "chat.completion.chunk events ending with `data: [DONE]`",
            "content": {sse.MEDIA_TYPE: {"schema": sse.event_schema()}},
        },
        **responses(400, 422, 503, 504),
    },
)
async def chat_completions(
    request: Request,
    body: oa.ChatRequest,
    assistant: AssistantDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> Response:
    """Answer the last user message; earlier messages are the conversation so far."""
    ask = body.ask()
    if not body.stream:
        answer = await answering.answer(assistant, ask, settings.answer_timeout_s)
        metrics.observe_answer(answer.composer, answer.declined, answer.timings_ms)
        return JSONResponse(oa.completion(answer))
    return await answering.streaming(
        assistant, ask, settings.answer_timeout_s, metrics, request, _chunks
    )


async def _chunks(events: AsyncIterator[Event]) -> AsyncIterator[bytes]:
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    yield sse.event(None, oa.chunk(cid, created, {"role": "assistant", "content": ""}))
    passages: list[Any] = []
    citations: list[dict[str, Any]] = []
    async for name, payload in events:
        if name == "passages":
            passages = payload
        elif name == "delta":
            yield sse.event(None, oa.chunk(cid, created, {"content": payload}))
        elif name == "citations":
            citations = payload
        elif name == "done":
            if sources := oa.sources_list(citations):
                yield sse.event(None, oa.chunk(cid, created, {"content": sources}))
            final = oa.chunk(
                cid,
                created,
                {},
                finish_reason="stop",
                citations=citations,
                bluelight=oa.extra(payload, passages),
            )
            yield sse.event(None, final)
        elif name == "error":
            yield sse.event(None, payload)
            break
    yield sse.done_marker()

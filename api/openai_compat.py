"""The OpenAI chat-completions shapes, and the mapping between them and a bluelight Answer.

OpenAI clients and chat front ends send many options (temperature, max_tokens, ...); they are
accepted and ignored, since the answer is composed from the evidence. The citations travel twice:
as a numbered reference list at the end of the message, which any front end shows, and as
structured `citations` and `bluelight` fields, which a front end that knows bluelight can use.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import MAX_TURNS, FiltersIn, TopK
from assistant.errors import BadInput
from assistant.types import MAX_TURN_CHARS, Answer, Ask, Citation, Filters, Passage, Status, Turn

MODEL_ID = "bluelight"
SOURCES_HEADING = "\n\nSources:\n"


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: Annotated[str, Field(max_length=32)]
    text: Annotated[str, Field(max_length=MAX_TURN_CHARS)] | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: (
        Annotated[str, Field(max_length=MAX_TURN_CHARS)]
        | Annotated[list[ContentPart], Field(max_length=32)]
        | None
    ) = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatRequest(BaseModel):
    """An OpenAI chat-completions request; `filters`, `top_k`, `composer` are bluelight's own."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": MODEL_ID,
                    "messages": [{"role": "user", "content": "What is the duty to collaborate?"}],
                }
            ]
        },
    )

    model: Annotated[str, Field(max_length=100)] = MODEL_ID
    messages: Annotated[list[ChatMessage], Field(min_length=1, max_length=2 * MAX_TURNS)]
    stream: bool = False
    filters: FiltersIn | None = None
    top_k: TopK | None = None
    composer: Literal["extractive", "llm"] | None = None

    def ask(self) -> Ask:
        """The question (the last user message), with the turns before it as history."""
        turns = [(m.role, m.text()) for m in self.messages if m.role in ("user", "assistant")]
        if not turns or turns[-1][0] != "user":
            raise BadInput("the last message must be the question, with role 'user'")
        earlier = [(r, strip_sources(c)) for r, c in turns[:-1]]
        if any(len(c) > MAX_TURN_CHARS for _, c in earlier):
            # Parts of one message are joined, so the joined text can pass the per-part limit.
            raise BadInput(f"an earlier message is longer than {MAX_TURN_CHARS} characters")
        history = [Turn(role=r, content=c) for r, c in earlier]
        return Ask(
            question=turns[-1][1],
            history=history[-MAX_TURNS:],
            filters=self.filters.to_filters() if self.filters else None,
            top_k=self.top_k,
            composer=self.composer,
        )


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class BluelightExtra(BaseModel):
    """The structured parts of the Answer that the message text cannot carry."""

    answer_id: str
    status: Status = "answered"
    declined: bool
    missing: list[str] = []
    composer: str
    notice: str | None = None
    filters: Filters
    suggestions: list[str]
    passages: list[Passage]
    timings_ms: dict[str, float]


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[Choice]
    citations: list[Citation]
    bluelight: BluelightExtra


class Model(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Model]


def strip_sources(content: str) -> str:
    """An earlier reply without its reference list: history needs the words, not the list."""
    head, sep, _ = content.rpartition(SOURCES_HEADING)
    return head if sep else content


def sources_list(citations: list[dict[str, Any]] | list[Citation]) -> str:
    """'\\n\\nSources:\\n[1] Title, p. 7 (reports/x.pdf)', one line per marker; '' if none."""
    lines: dict[int, str] = {}
    for c in citations:
        c = c.model_dump() if isinstance(c, Citation) else c
        where = f", record {c['record_id']}" if c.get("record_id") else ""
        where = where or (f", p. {c['page']}" if c.get("page") else "")
        lines.setdefault(int(c["marker"]), f"[{c['marker']}] {c['title']}{where} ({c['source']})")
    if not lines:
        return ""
    return SOURCES_HEADING + "\n".join(lines[m] for m in sorted(lines))


def extra(answer: dict[str, Any], passages: list[Any]) -> dict[str, Any]:
    return {
        "answer_id": answer["id"],
        "status": answer.get("status", "answered"),
        "declined": answer["declined"],
        "missing": answer.get("missing", []),
        "composer": answer["composer"],
        "notice": answer.get("notice"),
        "filters": answer["filters"],
        "suggestions": answer.get("suggestions", []),
        "passages": passages,
        "timings_ms": answer.get("timings_ms", {}),
    }


def completion(answer: Answer) -> dict[str, Any]:
    data = answer.model_dump()
    return {
        "id": f"chatcmpl-{answer.id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": answer.answer + sources_list(answer.citations),
                },
                "finish_reason": "stop",
            }
        ],
        "citations": data["citations"],
        "bluelight": extra(data, data["passages"]),
    }


def chunk(completion_id: str, created: int, delta: dict[str, Any], **fields: Any) -> dict[str, Any]:
    finish = fields.pop("finish_reason", None)
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **fields,
    }

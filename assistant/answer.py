"""The assistant: retrieve, compose, verify; one `answer()` for Python, the CLI, HTTP and evals."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.compose.base import Composer, Turn
from assistant.compose.extractive import ExtractiveComposer, decline
from assistant.errors import BadInput
from assistant.retrieve import Retriever
from assistant.settings import Settings
from assistant.types import Answer, Filters, Passage
from assistant.verify import verify

MAX_QUESTION_CHARS = 2000
FALLBACK_NOTICE = (
    "The language model's reply held no citation that could be checked against the evidence, "
    "so this is the extractive answer instead."
)
# Follow-ups like "and in Wales?" borrow the previous question's words for retrieval.
_FOLLOW_UP_WORDS = 12
_FOLLOW_UP = re.compile(
    r"^\s*(and|but|also|what about|how about|so)\b|"
    r"\b(it|its|they|them|their|there|that|those|these|this|he|she|his|her|ones?)\b",
    re.I,
)


class Assistant:
    """Answers questions from the store, with citations checked before anything leaves."""

    def __init__(
        self, retriever: Retriever, composers: dict[str, Composer], settings: Settings
    ) -> None:
        self.retriever = retriever
        self.composers = composers
        self.settings = settings

    def answer(
        self,
        question: str,
        *,
        history: Sequence[Turn | dict[str, Any]] = (),
        filters: Filters | None = None,
        top_k: int | None = None,
        composer: str | None = None,
    ) -> Answer:
        started = time.perf_counter()
        question = _clean(question)
        turns = [t if isinstance(t, Turn) else Turn(t["role"], t["content"]) for t in history]
        name = composer or self.settings.composer
        if name not in self.composers:
            raise BadInput(
                f"composer {name!r} is not available; choose one of {', '.join(self.composers)}"
                + ("" if "llm" in self.composers else " (set BLUELIGHT_LLM_BASE_URL for llm)")
            )
        k = top_k or self.settings.top_k
        retrieval = self.retriever.retrieve(_with_context(question, turns), filters, k)
        retrieved = time.perf_counter()
        index = self.retriever.index
        draft = self.composers[name].compose(question, retrieval, index, turns)
        passages = [Passage.of(h.chunk, h.score) for h in retrieval.hits]
        text, citations = verify(draft.text, draft.citations, passages)
        notice = draft.notice
        if not draft.declined and not citations and name != "extractive":
            # The model gave nothing that could be checked: answer extractively, and say so.
            draft = ExtractiveComposer().compose(question, retrieval, index, turns)
            text, citations = verify(draft.text, draft.citations, passages)
            notice = FALLBACK_NOTICE
        declined = draft.declined or not citations
        if declined and not draft.declined:
            draft = decline(index, "no sentence of the evidence could be cited for it")
            text = draft.text
        composed = time.perf_counter()
        return Answer(
            answer=text,
            declined=declined,
            citations=[] if declined else citations,
            passages=passages,
            timings_ms={
                "retrieve": _ms(started, retrieved),
                "compose": _ms(retrieved, composed),
                "total": _ms(started, composed),
            },
            id=uuid.uuid4().hex,
            composer=name,
            notice=notice,
            filters=retrieval.filters,
            suggestions=draft.suggestions,
        )

    def stream(self, question: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Events for a streamed answer: passages, text deltas, citations, done."""
        answer = self.answer(question, **kwargs)
        yield "passages", [p.model_dump() for p in answer.passages]
        for piece in _pieces(answer.answer):
            yield "delta", piece
        yield "citations", [c.model_dump() for c in answer.citations]
        yield "done", answer.model_dump(exclude={"passages", "citations", "answer"})


def _clean(question: str) -> str:
    question = " ".join(question.split())
    if not question:
        raise BadInput(
            "the question is empty; ask something about emergency services collaboration"
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInput(
            f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
        )
    return question


def _with_context(question: str, turns: list[Turn]) -> str:
    """A follow-up ("when did it open?", "and in Wales?") carries the words of the last user
    question into retrieval; a question that stands on its own is left alone."""
    last = next((t.content for t in reversed(turns) if t.role == "user"), None)
    if last and len(question.split()) <= _FOLLOW_UP_WORDS and _FOLLOW_UP.search(question):
        return f"{question} {last}"
    return question


def _pieces(text: str, size: int = 24) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _ms(a: float, b: float) -> float:
    return round((b - a) * 1000, 2)

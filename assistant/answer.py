"""The answer pipeline, top to bottom: one `Assistant.answer()` for Python, the CLI, HTTP and evals.

    understand  the question: follow-up context, answer type, parts, names      (question.py)
    retrieve    passages and their sentences, dense + lexical, filtered          (retrieve.py)
    judge       what the evidence answers: answered, partial, not covered...     (judge.py)
    compose     the answer from the judged evidence: extractive or llm           (compose/)
    verify      every citation against its passage, before anything leaves       (verify.py)

Each step is one call with typed input and output, timed in `Answer.timings_ms`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.compose.base import Composer, Draft, Evidence
from assistant.errors import BadInput, ModelUnavailable
from assistant.judge import Judgement, judge
from assistant.question import Analysis, analyse, with_context
from assistant.retrieve import Retrieval, Retriever
from assistant.sanitize import strip_invisible
from assistant.settings import Settings
from assistant.types import DECLINING, Answer, Ask, Passage
from assistant.verify import verify

MAX_QUESTION_CHARS = 2000
FALLBACK_NOTICE = (
    "The language model's reply held no citation that could be checked against the evidence, "
    "so this is the extractive answer instead."
)
MODEL_FAILED_NOTICE = (
    "The language model did not reply in time (or could not be reached), so this is the "
    "extractive answer instead."
)
# Suggested questions offered with a decline, each one checked to be answerable.
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Understood:
    question: str  # as asked, cleaned
    search: str  # with a follow-up's context, for retrieval
    analysis: Analysis


class Assistant:
    """Answers questions from the store, with citations checked before anything leaves."""

    def __init__(
        self, retriever: Retriever, composers: dict[str, Composer], settings: Settings
    ) -> None:
        self.retriever = retriever
        self.composers = composers
        self.settings = settings

    def answer(self, ask: Ask | str, **options: Any) -> Answer:
        ask = ask if isinstance(ask, Ask) else Ask(question=ask, **options)
        composer = self._composer(ask.composer)
        clock = _Clock()
        understood = clock.time("understand", understand, ask)
        retrieval = clock.time("retrieve", self.retrieve, understood, ask)
        judgement = clock.time("judge", judge, understood.question, understood.analysis, retrieval)
        draft = clock.time("compose", self.compose, composer, understood, retrieval, judgement, ask)
        passages = [Passage.of(h.chunk, h.score) for h in retrieval.hits]
        text, citations = clock.time("verify", verify, draft.text, draft.citations, passages)
        status = judgement.status
        if status not in DECLINING and not citations:
            # Nothing the composer wrote could be checked: say so rather than answer uncited.
            status, text = "not_covered", _decline_text(Judgement("not_covered"))
        suggestions = draft.suggestions
        if status in DECLINING and status == "not_covered" and not suggestions:
            suggestions = clock.time("suggest", self.suggest, understood, ask)
        return Answer(
            answer=text,
            status=status,
            declined=status in DECLINING,
            missing=judgement.missing,
            citations=[] if status in DECLINING else citations,
            passages=passages,
            timings_ms=clock.timings(),
            id=uuid.uuid4().hex,
            composer=composer.name,
            notice=draft.notice,
            filters=retrieval.filters,
            suggestions=suggestions,
        )

    # -- the steps -----------------------------------------------------------------------

    def retrieve(self, understood: Understood, ask: Ask) -> Retrieval:
        return self.retriever.retrieve(
            understood.search, ask.filters, ask.top_k or self.settings.top_k
        )

    def compose(
        self,
        composer: Composer,
        understood: Understood,
        retrieval: Retrieval,
        judgement: Judgement,
        ask: Ask,
    ) -> Draft:
        """The composer's draft; a decline is written here, the same for every composer."""
        if judgement.declined:
            return Draft(_decline_text(judgement), [])
        evidence = Evidence(
            understood.question, retrieval.hits, judgement, retrieval.matching_records
        )
        extractive = self.composers["extractive"]
        if composer is extractive:
            return extractive.compose(evidence, ask.turns())
        try:
            draft = composer.compose(evidence, ask.turns())
        except ModelUnavailable:
            draft = Draft("", [], notice=MODEL_FAILED_NOTICE)
        passages = [Passage.of(h.chunk, h.score) for h in retrieval.hits]
        if not verify(draft.text, draft.citations, passages)[1]:
            # The model gave nothing that could be checked: answer extractively, and say so.
            fallback = extractive.compose(evidence, ask.turns())
            return Draft(fallback.text, fallback.citations, notice=draft.notice or FALLBACK_NOTICE)
        return draft

    def suggest(self, understood: Understood, ask: Ask) -> list[str]:
        """Questions near this one that the evidence does answer, each checked by asking it."""
        hits = self.retriever.retrieve(understood.search, None, self.settings.top_k).hits
        out: list[str] = []
        for candidate in _candidates(hits):
            if len(out) >= MAX_SUGGESTIONS:
                break
            try_it = understand(Ask(question=candidate))
            found = self.retrieve(try_it, Ask(question=candidate))
            if judge(candidate, try_it.analysis, found).status == "answered":
                out.append(candidate)
        return out

    def stream(self, question: str, **options: Any) -> Iterator[tuple[str, Any]]:
        """Events for a streamed answer: passages, whole sentences as deltas, citations, done."""
        answer = self.answer(question, **options)
        yield "passages", [p.model_dump() for p in answer.passages]
        for piece in _sentences_of(answer.answer):
            yield "delta", piece
        yield "citations", [c.model_dump() for c in answer.citations]
        yield "done", answer.model_dump(exclude={"passages", "citations", "answer"})

    def _composer(self, name: str | None) -> Composer:
        name = name or self.settings.composer
        if name not in self.composers:
            raise BadInput(
                f"composer {name!r} is not available; choose one of {', '.join(self.composers)}"
                + ("" if "llm" in self.composers else " (set BLUELIGHT_LLM_BASE_URL for llm)")
            )
        return self.composers[name]


def understand(ask: Ask) -> Understood:
    """The question cleaned, with a follow-up's context for retrieval, and analysed."""
    question = clean(ask.question)
    return Understood(question, with_context(question, ask.turns()), analyse(question))


def clean(question: str) -> str:
    """The question with invisible characters removed and whitespace collapsed; refused when
    empty or too long."""
    question = " ".join(strip_invisible(question).split())
    if not question:
        raise BadInput(
            "the question is empty; ask something about emergency services collaboration"
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInput(
            f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
        )
    return question


def _decline_text(judgement: Judgement) -> str:
    if judgement.status == "not_covered":
        why = judgement.reason or "The sources hold nothing that answers this question."
        return f"{why} I can only answer from the evidence bluelight holds."
    return judgement.reason


def _candidates(hits: list[Any]) -> Iterator[str]:
    """Questions built from what the store holds near the question: sections and records."""
    seen: set[str] = set()
    for hit in hits:
        c = hit.chunk
        if c.record_id:
            q = f"What did the project {c.title} do?"
        elif c.section and c.section != c.title:
            topic = c.section.lstrip("0123456789. ").strip()
            q = f"What does {c.title} say about {topic[:1].lower() + topic[1:]}?"
        else:
            continue
        if q not in seen:
            seen.add(q)
            yield q


def _sentences_of(text: str) -> Iterator[str]:
    """Whole lines and sentences of a finished answer, as stream deltas."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        yield line + ("\n" if i < len(lines) - 1 else "")


class _Clock:
    """Times each step of one answer, in milliseconds."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.steps: dict[str, float] = {}

    def time(self, name: str, step: Any, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return step(*args)
        finally:
            self.steps[name] = round((time.perf_counter() - start) * 1000, 2)

    def timings(self) -> dict[str, float]:
        return {**self.steps, "total": round((time.perf_counter() - self.started) * 1000, 2)}

"""The answer pipeline, top to bottom: one `Assistant.answer()` for Python, the CLI, HTTP and evals.

    understand  the question: follow-up context, answer type, parts, names and
                conditions read against the store                 (question/understand.py)
    retrieve    passages and their sentences, dense + lexical, filtered (retrieval/retrieve.py)
    judge       what the evidence answers: answered, partial, not covered... (judgement/judge.py)
    compose     the answer from the judged evidence: extractive or llm           (compose/)
    verify      every citation against its passage, before anything leaves       (verify.py)

Each step is one call with typed input and output, timed in `Answer.timings_ms`.
"""

from __future__ import annotations

import itertools
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from assistant.compose.base import Composer, Draft, Evidence
from assistant.errors import BadInput, ModelUnavailable
from assistant.judgement.judge import Judgement, judge
from assistant.profile import Profile
from assistant.question.understand import Understood, understand
from assistant.retrieval.index import Snapshot
from assistant.retrieval.retrieve import Hit, Retrieval, Retriever
from assistant.settings import Settings
from assistant.types import DECLINING, SENT_BEFORE_DONE, Answer, Ask, Chunk, Citation, Passage
from assistant.verify import verify

FALLBACK_NOTICE = (
    "The language model's reply held no citation that could be checked against the evidence, "
    "so this is the extractive answer instead."
)
MODEL_FAILED_NOTICE = (
    "The language model did not reply in time (or could not be reached), so this is the "
    "extractive answer instead."
)
PERSONAL_NOTICE = (
    "Personal details are not needed to answer questions about the evidence; those in the "
    "question were masked and not kept."
)
# Where one cited sentence ends and the next begins, inside a line of an answer.
_AFTER_MARKER = re.compile(r"(?<=\]) (?=\S)")
# Suggested questions offered with a decline, built from the first SUGGEST_FROM passages; each
# is one the store answers, checked when its index snapshot is built (Assistant.prepare).
MAX_SUGGESTIONS = 3
SUGGEST_FROM = 4
_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass(frozen=True)
class _Run:
    """One answer in progress: what the steps before composing found."""

    ask: Ask
    composer: Composer
    clock: _Clock
    understood: Understood
    retrieval: Retrieval
    judgement: Judgement

    @property
    def passages(self) -> list[Passage]:
        return [Passage.of(h.chunk, h.score) for h in self.retrieval.hits]

    def evidence(self) -> Evidence:
        return Evidence.of(self.understood, self.retrieval, self.judgement)


class Assistant:
    """Answers questions from the store, with citations checked before anything leaves."""

    def __init__(
        self,
        retriever: Retriever,
        composers: dict[str, Composer],
        settings: Settings,
        profile: Profile | None = None,
    ) -> None:
        self.retriever = retriever
        self.composers = composers
        self.settings = settings
        self.profile = profile or Profile.empty()
        # Suggestions are checked once per store version, off every answer's path, so a decline
        # costs no more than an answer and reads verdicts that every process and request share.
        retriever.indexes.prepare_with(self.prepare)

    def answer(self, ask: Ask) -> Answer:
        return self._whole(self._run(ask))

    def stream(self, ask: Ask) -> Iterator[tuple[str, Any]]:
        """Events for a streamed answer: passages, text deltas, citations, done.

        The llm composer's sentences are sent as the model writes them, each once its citation
        is verified (one that fails is never sent); other answers are sent sentence by sentence.
        """
        run = self._run(ask)
        shown = [] if run.judgement.status == "refused" else run.passages
        yield "passages", [p.model_dump() for p in shown]
        composer = run.composer
        if run.judgement.declined or not hasattr(composer, "stream"):
            answer = self._whole(run)
            for piece in _lines_of(answer.answer):
                yield "delta", piece
            yield from _closing(answer)
            return
        texts: list[str] = []
        citations: list[Citation] = []
        notice = None
        started = time.perf_counter()
        try:
            for text, found in composer.stream(run.evidence(), run.ask.history):
                yield "delta", (" " if texts else "") + text
                texts.append(text)
                citations += found
        except ModelUnavailable:
            notice = MODEL_FAILED_NOTICE
        if not citations:
            fallback = self._fallback(run, notice)
            text, citations = verify(fallback.text, fallback.citations, run.passages)
            notice = fallback.notice
            for piece in _lines_of(text):
                yield "delta", piece
            texts = [text]
        run.clock.steps["compose"] = round((time.perf_counter() - started) * 1000, 2)
        yield from _closing(self._finish(run, " ".join(texts), citations, notice))

    def _run(self, ask: Ask) -> _Run:
        """The steps before composing: understand, retrieve, judge."""
        composer = self._composer(ask.composer)
        clock = _Clock()
        # One version of the store for both: the question is read against what it retrieves from.
        snapshot = self.retriever.snapshot()
        understood = clock.time("understand", self.understand, ask, snapshot)
        retrieval = clock.time("retrieve", self.retrieve, understood, ask, snapshot)
        judgement = clock.time("judge", judge, understood.question, understood.analysis, retrieval)
        return _Run(ask, composer, clock, understood, retrieval, judgement)

    def _whole(self, run: _Run) -> Answer:
        """Compose, verify and finish an answer in one piece."""
        draft = run.clock.time("compose", self.compose, run)
        text, citations = run.clock.time(
            "verify", verify, draft.text, draft.citations, run.passages
        )
        return self._finish(run, text, citations, draft.notice)

    def _finish(
        self, run: _Run, text: str, citations: list[Citation], notice: str | None
    ) -> Answer:
        """The typed Answer: a decline when nothing could be cited, suggestions with a decline."""
        status = run.judgement.status
        if status not in DECLINING and not citations:
            # Nothing the composer wrote could be checked: say so rather than answer uncited.
            status, text = "not_covered", _decline_text(Judgement("not_covered"))
        if run.understood.personal:
            notice = " ".join(filter(None, [PERSONAL_NOTICE, notice]))
        # A request outside the remit was not read against the store: no reading to report.
        outside = status in ("refused", "out_of_remit")
        if not outside and (read := [k for k in run.retrieval.links if k.reported]):
            # Say how a short form was read, so a wrong reading is seen.
            said = "; ".join(f"“{k.typed}” as {k.read_as}" for k in read)
            notice = " ".join(filter(None, [notice, f"Read {said}."]))
        suggestions: list[str] = []
        if status == "not_covered":
            suggestions = run.clock.time("suggest", self.suggest, run.retrieval)
        return Answer(
            answer=text,
            status=status,
            declined=status in DECLINING,
            missing=run.judgement.missing,
            citations=[] if status in DECLINING else citations,
            # A refused request shows nothing of the store: it was not a question about it.
            passages=[] if status == "refused" else run.passages,
            timings_ms=run.clock.timings(),
            id=uuid.uuid4().hex,
            composer=run.composer.name,
            notice=notice,
            filters=run.retrieval.filters,
            suggestions=suggestions,
        )

    # -- the steps -----------------------------------------------------------------------

    def understand(self, ask: Ask, snapshot: Snapshot | None = None) -> Understood:
        """The question read against the store (as `snapshot` holds it, else as it is now)."""
        known = (snapshot or self.retriever.snapshot()).known
        return understand(ask, known, self.profile)

    def retrieve(
        self, understood: Understood, ask: Ask, snapshot: Snapshot | None = None
    ) -> Retrieval:
        top_k = ask.top_k or self.settings.top_k
        return self.retriever.retrieve(understood, ask.filters, top_k, snapshot)

    def compose(self, run: _Run) -> Draft:
        """The composer's draft; a decline is written here, the same for every composer."""
        if run.judgement.declined:
            return Draft(_decline_text(run.judgement), [])
        extractive = self.composers["extractive"]
        if run.composer is extractive:
            return extractive.compose(run.evidence(), run.ask.history)
        notice = None
        try:
            draft = run.composer.compose(run.evidence(), run.ask.history)
        except ModelUnavailable:
            draft, notice = Draft("", []), MODEL_FAILED_NOTICE
        if not verify(draft.text, draft.citations, run.passages)[1]:
            return self._fallback(run, notice)
        return draft

    def _fallback(self, run: _Run, notice: str | None) -> Draft:
        """The extractive answer when the model gave nothing that could be checked, or did not
        reply in time (`notice` says which; without one, the reply held no citation)."""
        fallback = self.composers["extractive"].compose(run.evidence(), run.ask.history)
        return Draft(fallback.text, fallback.citations, notice=notice or FALLBACK_NOTICE)

    def suggest(self, retrieval: Retrieval) -> list[str]:
        """Questions near this one that the evidence does answer: those about the sections and
        records of the first passages, as checked when the store's snapshot was prepared."""
        answerable = self.retriever.snapshot().answerable
        found = (q for q in _candidates(retrieval.hits[:SUGGEST_FROM]) if q in answerable)
        return list(itertools.islice(found, MAX_SUGGESTIONS))

    def prepare(self, snapshot: Snapshot) -> None:
        """Ask each question a decline could suggest from this snapshot (one per section and
        per record) and keep those it answers; runs as the snapshot is built, before it is read."""
        answerable: set[str] = set()
        for candidate in dict.fromkeys(filter(None, map(_suggestion, snapshot.chunks))):
            ask = Ask(question=candidate)
            understood = self.understand(ask, snapshot)
            found = self.retrieve(understood, ask, snapshot)
            if judge(candidate, understood.analysis, found).status == "answered":
                answerable.add(candidate)
        snapshot.answerable = frozenset(answerable)

    def _composer(self, name: str | None) -> Composer:
        name = name or self.settings.composer
        if name not in self.composers:
            raise BadInput(
                f"composer {name!r} is not available; choose one of {', '.join(self.composers)}"
                + ("" if "llm" in self.composers else " (set BLUELIGHT_LLM_BASE_URL for llm)")
            )
        return self.composers[name]


def _decline_text(judgement: Judgement) -> str:
    if judgement.status == "not_covered":
        why = judgement.reason or "The sources hold nothing that answers this question."
        return f"{why} Answers here come only from the sources bluelight holds."
    return judgement.reason


def _candidates(hits: list[Hit]) -> Iterator[str]:
    """Questions built from what the store holds near the question: sections and records."""
    yield from dict.fromkeys(q for hit in hits if (q := _suggestion(hit.chunk)))


def _suggestion(chunk: Chunk) -> str | None:
    """The question a decline may suggest about a chunk's record or section, if it has one."""
    topic = chunk.title if chunk.record_id else (chunk.section or "").lstrip("0123456789. ").strip()
    if not topic or (not chunk.record_id and topic == chunk.title):
        return None
    return f"What does the evidence say about {topic.rstrip('.')}?"


def _closing(answer: Answer) -> Iterator[tuple[str, Any]]:
    yield "citations", [c.model_dump() for c in answer.citations]
    yield "done", answer.model_dump(exclude=set(SENT_BEFORE_DONE))


def _lines_of(text: str) -> Iterator[str]:
    """Whole lines of a finished answer (a sentence, a list item, a table row), as deltas."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        pieces = [line] if line.startswith("|") else _AFTER_MARKER.split(line)
        for j, piece in enumerate(pieces):
            last = j == len(pieces) - 1
            yield piece + ("\n" if last and i < len(lines) - 1 else "" if last else " ")


class _Clock:
    """Times each step of one answer, in milliseconds."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.steps: dict[str, float] = {}

    def time(self, name: str, step: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        start = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            self.steps[name] = round((time.perf_counter() - start) * 1000, 2)

    def timings(self) -> dict[str, float]:
        return {**self.steps, "total": round((time.perf_counter() - self.started) * 1000, 2)}

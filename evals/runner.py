"""Run the questions: in-process through the assistant, or against a running API over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.errors import BluelightError
from assistant.settings import Settings
from assistant.types import Answer, Ask, Turn
from evals.dataset import Question

if TYPE_CHECKING:
    from assistant.answer import Assistant
    from assistant.retrieval.embedder import Embedder
    from assistant.retrieval.store import Store

# Asked as answer(question) or, for a follow-up, answer(question, history) with the earlier turns
# as {"role", "content"} dicts.
AnswerFn = Callable[..., Answer]
ProgressFn = Callable[[int, int, Question], None]

# Added to the API's own answer timeout so a slow answer is reported by the API, not cut here.
HTTP_GRACE_S = 30.0


class EvalTargetError(BluelightError):
    """The API under evaluation cannot be reached or answers outside the contract."""

    status = 502
    code = "eval_target_unavailable"


@dataclass(frozen=True)
class Outcome:
    """One question's answer as the assistant gave it, with the wall-clock time it took."""

    question: Question
    answer: Answer
    wall_ms: float
    error: str | None = None


def run_questions(
    questions: Sequence[Question],
    answer: AnswerFn,
    progress: ProgressFn | None = None,
    warm_up: bool = True,
) -> list[Outcome]:
    """Ask every question in turn; a question that errors is recorded, not fatal.

    The first question is asked once untimed first, so that loading the model and building the
    lexical index (done on first use) do not count as the latency of question one.
    """
    if warm_up and questions:
        try:
            answer(questions[0].question)
        except EvalTargetError:
            raise
        except BluelightError:
            pass  # the timed run records it
    outcomes: list[Outcome] = []
    for number, question in enumerate(questions, start=1):
        if progress:
            progress(number, len(questions), question)
        started = time.perf_counter()
        error: str | None = None
        try:
            result = ask(answer, question)
        except EvalTargetError:
            raise
        except BluelightError as exc:
            result, error = Answer(answer=""), exc.message
        wall = round((time.perf_counter() - started) * 1000, 2)
        outcomes.append(Outcome(question, result, wall, error))
    return outcomes


def ask(answer: AnswerFn, question: Question) -> Answer:
    """One question, with its earlier turns when it is a follow-up."""
    if not question.history:
        return answer(question.question)
    return answer(question.question, turns(question))


def turns(question: Question) -> list[dict[str, str]]:
    return [{"role": role, "content": content} for role, content in question.history]


def in_process(
    settings: Settings, embedder: Embedder | None = None, assistant: Assistant | None = None
) -> AnswerFn:
    """Answers from the assistant the settings build; an empty store is filled from the corpus."""
    if assistant is None:
        from assistant.factory import build_assistant
        from assistant.retrieval.embedder import make_embedder
        from assistant.retrieval.store import open_store

        embedder = embedder or make_embedder(settings)
        store = open_store(settings)
        ensure_corpus(settings, store, embedder)
        assistant = build_assistant(settings, store=store, embedder=embedder)
    built = assistant

    def answer(question: str, history: Sequence[dict[str, str]] = ()) -> Answer:
        turns = [Turn(role=h["role"], content=h["content"]) for h in history]  # type: ignore[arg-type]
        return built.answer(Ask(question=question, history=turns))

    return answer


def ensure_corpus(settings: Settings, store: Store, embedder: Embedder) -> None:
    """Ingest settings.corpus_dir (relative to the working folder, or absolute) when the store
    holds nothing yet."""
    from ingest import ingest

    if store.count() > 0:
        return
    corpus = settings.corpus_dir.expanduser().resolve()
    if not corpus.is_dir():
        raise BluelightError(
            f"the store is empty and the corpus folder {corpus} does not exist; "
            "set BLUELIGHT_CORPUS_DIR or run `bluelight ingest` first"
        )
    report = ingest([corpus], store, embedder, settings)
    if report.failed:
        raise BluelightError("ingesting the corpus failed: " + "; ".join(report.failed))


def over_http(url: str, settings: Settings) -> AnswerFn:
    """Answers from a running API: POST {url}/v1/answer with {"question": ...}."""
    import httpx

    headers = {}
    if settings.api_key is not None:
        headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
    client = httpx.Client(
        base_url=url.rstrip("/"),
        headers=headers,
        timeout=settings.answer_timeout_s + HTTP_GRACE_S,
    )

    def answer(question: str, history: Sequence[dict[str, str]] = ()) -> Answer:
        body: dict[str, object] = {"question": question}
        if history:
            body["history"] = list(history)
        try:
            response = client.post("/v1/answer", json=body)
        except httpx.HTTPError as exc:
            raise EvalTargetError(f"cannot reach the API at {url}: {exc}") from exc
        if response.status_code in (401, 403, 404, 405):
            # Every question would fail the same way: wrong URL or missing key.
            raise EvalTargetError(
                f"the API at {url} answered {response.status_code} to POST /v1/answer: "
                f"{response.text[:300]}"
            )
        if response.status_code >= 400:
            raise BluelightError(f"HTTP {response.status_code}: {response.text[:300]}")
        try:
            return Answer.model_validate(response.json())
        except ValueError as exc:
            raise EvalTargetError(f"the API at {url} sent no Answer JSON: {exc}") from exc

    return answer

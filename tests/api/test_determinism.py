"""The same question gets the same answer in process and over HTTP, whatever the server's torch
thread count and however many questions arrive together: the same passages (with the same
scores), the same citations and the same text, for every question of the dev set.

Questions asked over HTTP go in eight at a time, so they queue in the server's batching embedder
(api/batching.py), which gives each its own pass, bit-identical to Embedder.embed_query. Set
BLUELIGHT_DETERMINISM_ROUNDS to ask them again that many times against the same servers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.settings import Settings
from assistant.types import Answer, Ask
from tests.api.conftest import Server, corpus_data_dir, start_server

pytestmark = [pytest.mark.server, pytest.mark.slow]

DEV = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "dev.jsonl"
QUESTIONS = [json.loads(line)["question"] for line in DEV.read_text().splitlines() if line.strip()]
ROUNDS = int(os.environ.get("BLUELIGHT_DETERMINISM_ROUNDS", "1"))
CONCURRENCY = 8
# What may differ between two runs of one answer: its id and how long each stage took.
VARIES = {"id", "timings_ms"}


def comparable(answer: Answer) -> dict[str, Any]:
    return answer.model_dump(mode="json", exclude=VARIES)


@pytest.fixture(scope="module")
def in_process(corpus_assistant) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {q: comparable(corpus_assistant.answer(Ask(question=q))) for q in QUESTIONS}


@pytest.fixture(scope="module", params=[1, 2], ids=["torch-1-thread", "torch-2-threads"])
def server(
    request: pytest.FixtureRequest,
    corpus_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp(f"determinism-{request.param}")
    started = start_server(
        corpus_data_dir(corpus_settings, root), root, torch_threads=request.param
    )
    yield started
    started.stop()


def over_http(server: Server) -> dict[str, dict[str, Any]]:
    def ask(question: str) -> dict[str, Any]:
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            r = client.post("/v1/answer", json={"question": question})
        assert r.status_code == 200, (question, r.text)
        return comparable(Answer.model_validate(r.json()))

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return dict(zip(QUESTIONS, pool.map(ask, QUESTIONS), strict=True))


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_answers_over_http_are_the_in_process_answers(
    server: Server, in_process: dict[str, dict[str, Any]], round_: int
) -> None:
    remote = over_http(server)
    differ = [q for q in QUESTIONS if remote[q] != in_process[q]]
    details = [
        {
            "question": q,
            "field": next(k for k in in_process[q] if remote[q].get(k) != in_process[q][k]),
        }
        for q in differ
    ]
    assert not differ, f"{len(differ)} of {len(QUESTIONS)} answers differ: {details}"

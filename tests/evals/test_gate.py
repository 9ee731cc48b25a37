"""The CI quality gate: the dev set, in-process, real store and model, against thresholds.toml."""

from __future__ import annotations

import pytest

from assistant.embedder import Embedder
from assistant.settings import Settings
from evals.dataset import default_dataset, load_dataset
from evals.report import RunInfo
from evals.runner import in_process
from evals.suite import evaluate


@pytest.mark.eval
@pytest.mark.slow
def test_dev_set_meets_every_threshold(
    corpus_settings: Settings,
    corpus_assistant,  # type: ignore[no-untyped-def]
    embedder: Embedder,
) -> None:
    questions = load_dataset(default_dataset())
    info = RunInfo("gate", "", "", False, "evals/datasets/dev.jsonl", "in-process", "pytest", {})
    answer = in_process(corpus_settings, assistant=corpus_assistant)
    report = evaluate(questions, answer, corpus_settings, info, embedder=embedder)
    missed = [c for c in report["gate"]["checks"] if not c["passed"]]
    failing = [
        f"{q['id']}: {'; '.join(q['problems'])}" for q in report["questions"] if q["problems"]
    ]
    assert not missed, "\n".join(
        [f"{c['metric']} = {c['value']} (target {c['op']} {c['limit']})" for c in missed]
        + ["questions with problems:", *failing]
    )

"""The CI quality gate: the dev set and each set thresholds.toml names under [datasets],
in-process, real store and model, against their own limits."""

from __future__ import annotations

import pytest

from assistant.retrieval.embedder import Embedder
from assistant.settings import Settings
from evals.dataset import default_dataset, load_dataset
from evals.gate import dataset_gates
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


@pytest.mark.eval
@pytest.mark.slow
@pytest.mark.parametrize("gate", dataset_gates(), ids=lambda g: f"{g.dataset.stem}-{g.split}")
def test_each_gated_set_meets_its_own_floors(
    gate,  # type: ignore[no-untyped-def]
    corpus_settings: Settings,
    corpus_assistant,  # type: ignore[no-untyped-def]
    embedder: Embedder,
) -> None:
    questions = [q for q in load_dataset(gate.dataset) if q.split == gate.split]
    assert questions, f"{gate.dataset.name} has no {gate.split} questions"
    info = RunInfo("gate", "", "", False, gate.dataset.name, "in-process", "pytest", {})
    answer = in_process(corpus_settings, assistant=corpus_assistant)
    report = evaluate(
        questions,
        answer,
        corpus_settings,
        info,
        embedder=embedder,
        baseline=False,
        thresholds=gate.thresholds,
    )
    missed = [c for c in report["gate"]["checks"] if not c["passed"]]
    assert not missed, "\n".join(
        f"{gate.dataset.name} ({gate.split}): {c['metric']} = {c['value']} "
        f"(target {c['op']} {c['limit']})"
        for c in missed
    )

"""Running the suite in-process against the real store and model, and writing the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import open_store
from assistant.settings import Settings
from bluelight.cli import main
from evals.dataset import load_dataset
from evals.report import RunInfo, run_folder, write_report
from evals.runner import ensure_corpus, in_process
from evals.suite import evaluate

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DEV = ROOT / "evals" / "datasets" / "dev.jsonl"
# One factual, one project lookup, one out of scope.
PICK = ("dev-009", "dev-017", "dev-026")
METRIC_KEYS = {
    "recall_at_1",
    "recall_at_5",
    "recall_at_10",
    "mrr",
    "ndcg_at_10",
    "citation_hit",
    "grounded",
    "answers_without_citation",
    "key_fact_coverage",
    "out_of_scope_declined",
    "in_scope_wrongly_declined",
    "decline_reason_right",
    "partial_correct",
    "status_accuracy",
    "confusion",
    "latency_ms",
}


@pytest.fixture
def three_questions(tmp_path: Path) -> Path:
    lines = [line for line in DEV.read_text().splitlines() if json.loads(line)["id"] in PICK]
    path = tmp_path / "three.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
def test_in_process_run_writes_markdown_json_and_plots(
    tmp_path: Path,
    three_questions: Path,
    corpus_settings: Settings,
    corpus_assistant,  # type: ignore[no-untyped-def]
    embedder: Embedder,
) -> None:
    questions = load_dataset(three_questions)
    info = RunInfo("run", "2026-11-25", "abc1234", False, "three.jsonl", "in-process", "x", {})
    answer = in_process(corpus_settings, assistant=corpus_assistant)
    # The baseline reads settings.corpus_dir: a two-file corpus keeps this test quick (the gate
    # test builds it over the whole corpus).
    small = tmp_path / "corpus"
    for name in ("seed/lga-escwg-paper.txt", "reports/current-picture-2014.pdf"):
        (small / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, small / name)
    settings = corpus_settings.model_copy(update={"corpus_dir": small})
    report = evaluate(questions, answer, settings, info, embedder=embedder)
    files = write_report(tmp_path / "run", report)

    assert {f.name for f in files} == {
        "report.json",
        "report.md",
        "metrics.png",
        "latency.png",
        "kinds.png",
    }
    assert all(f.stat().st_size > 0 for f in files)
    saved = json.loads((tmp_path / "run" / "report.json").read_text())
    assert set(saved["metrics"]["overall"]) >= METRIC_KEYS
    assert set(saved["metrics"]["by_kind"]) == {"factual", "project_lookup", "out_of_scope"}
    assert {"retrieve", "compose", "total", "wall"} <= set(
        saved["metrics"]["overall"]["latency_ms"]
    )
    assert saved["baseline"]["overall"]["recall_at_5"] is not None
    assert [q["id"] for q in saved["questions"]] == list(PICK)
    assert saved["metrics"]["overall"]["grounded"] == 1.0
    md = (tmp_path / "run" / "report.md").read_text()
    assert "## Retrieval against the tutorial baseline" in md
    assert "## Outcomes" in md and "Expected (rows) against given (columns) status, all" in md
    assert saved["metrics"]["by_split"] == {}
    confusion = saved["metrics"]["overall"]["confusion"]
    assert sum(confusion["answered"].values()) == 2
    assert sum(confusion["not_covered"].values()) == 1
    assert "![metrics.png](metrics.png)" in md


@pytest.mark.slow
def test_cli_prints_a_summary_and_the_report_path(
    tmp_path: Path,
    three_questions: Path,
    corpus_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BLUELIGHT_DATA_DIR", str(corpus_settings.data_dir))
    out = tmp_path / "out"
    args = ["eval", "--dataset", str(three_questions), "--out", str(out), "--no-baseline"]
    status = main([*args, "--gate"])
    printed = capsys.readouterr().out
    report = json.loads((out / "report.json").read_text())
    assert status == (0 if report["gate"]["passed"] else 1)
    assert "recall@5" in printed and "key-fact coverage" in printed
    assert "wrongly declined (of answerable)" in printed and "given: " in printed
    assert f"report: {out / 'report.md'}" in printed
    assert report["run"]["command"].startswith("bluelight eval --dataset ")
    assert report["run"]["command"].endswith("--gate --no-baseline")
    assert report["baseline"] is None


@pytest.mark.slow
def test_an_empty_store_is_filled_from_the_corpus_first(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "seed").mkdir(parents=True)
    shutil.copy(CORPUS / "seed" / "lga-escwg-paper.txt", corpus / "seed")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    store = open_store(settings)
    ensure_corpus(settings, store, embedder)
    assert store.count() > 0
    assert [d.source for d in store.manifest().values()] == ["seed/lga-escwg-paper.txt"]
    answer = in_process(settings, embedder)("Who are the LGA representatives on the group?")
    assert any("lga-escwg-paper" in p.source for p in answer.passages)


def test_run_folders_are_named_by_date_and_commit_and_never_reused(tmp_path: Path) -> None:
    from datetime import date

    first = run_folder(tmp_path, "abc1234", date(2026, 11, 25))
    assert first.name == "2026-11-25-abc1234"
    first.mkdir()
    assert run_folder(tmp_path, "abc1234", date(2026, 11, 25)).name == "2026-11-25-abc1234-2"


def test_questions_run_after_an_untimed_warm_up_and_errors_are_recorded() -> None:
    from assistant.errors import BadInput
    from assistant.types import Answer
    from evals.dataset import Question
    from evals.runner import run_questions

    asked: list[str] = []

    def answer(text: str) -> Answer:
        asked.append(text)
        if text == "bad":
            raise BadInput("the question is empty")
        return Answer(answer="ok", declined=True)

    questions = [
        Question("a", "good", "", (), (), "out_of_scope"),
        Question("b", "bad", "", (), (), "out_of_scope"),
    ]
    outcomes = run_questions(questions, answer)
    assert asked == ["good", "good", "bad"]
    assert [o.error for o in outcomes] == [None, "the question is empty"]
    assert outcomes[1].answer.answer == ""


def test_a_follow_up_is_asked_with_its_earlier_turns() -> None:
    from assistant.types import Answer
    from evals.dataset import Question
    from evals.runner import run_questions

    asked: list[tuple[str, object]] = []

    def answer(text: str, history: object = None) -> Answer:
        asked.append((text, history))
        return Answer(answer="ok")

    turns = (("user", "when did the station open"), ("assistant", "In 2021."))
    questions = [
        Question("a", "first", "", ("x",), (), "factual"),
        Question("b", "and the cost", "", (), (), "follow_up_oos", history=turns),
    ]
    run_questions(questions, answer, warm_up=False)
    assert asked == [
        ("first", None),
        (
            "and the cost",
            [
                {"role": "user", "content": "when did the station open"},
                {"role": "assistant", "content": "In 2021."},
            ],
        ),
    ]

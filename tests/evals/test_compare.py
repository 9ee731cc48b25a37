"""`bluelight eval --compare A B` prints what changed between two run folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.types import Answer, Citation, Passage
from bluelight.cli import main
from evals.dataset import Question
from evals.gate import check, load_thresholds
from evals.report import RunInfo, build_report, write_report
from evals.runner import Outcome
from evals.scoring import aggregate, score

SOURCE = "reports/control-rooms-999-and-mait.pdf"
TEXT = "The overall cost was £7.6 million; the fire control went live on 1 July 2014."
QUESTIONS = [
    Question(
        "q1", "Merseyside cost?", "", ("control-rooms-999-and-mait",), ("£7.6 million",), "factual"
    ),
    Question("q2", "new york budget?", "", (), (), "out_of_scope"),
]


def run(folder: Path, good: bool) -> Path:
    passage = Passage(chunk_id="c1", source=SOURCE, title="t", text=TEXT, score=1.0)
    if good:
        cited = Citation(marker=1, chunk_id="c1", source=SOURCE, title="t", quote=TEXT)
        first = Answer(answer=TEXT + " [1]", citations=[cited], passages=[passage])
    else:
        first = Answer(answer="Not covered.", declined=True, passages=[passage])
    second = Answer(answer="Not covered.", declined=True)
    scores = [score(Outcome(QUESTIONS[0], first, 12.0)), score(Outcome(QUESTIONS[1], second, 8.0))]
    thresholds = load_thresholds()
    checks = check(aggregate(scores), None, thresholds)
    info = RunInfo(folder.name, "2026-11-25", "abc1234", False, "set.jsonl", "in-process", "x", {})
    write_report(folder, build_report(info, scores, thresholds, checks))
    return folder


def test_compare_prints_metric_deltas_and_questions_that_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = run(tmp_path / "a", good=False)
    b = run(tmp_path / "b", good=True)
    assert main(["eval", "--compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "A: a (commit abc1234" in out
    assert "citation_hit" in out and "+1.000" in out
    assert "in_scope_wrongly_declined" in out and "-1.000" in out
    assert "q1: now passes (was: declined in scope; missing fact '£7.6 million')" in out
    assert "gate: fails -> passes" in out


def test_compare_accepts_report_files_and_says_when_nothing_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = run(tmp_path / "a", good=True)
    assert main(["eval", "--compare", str(a / "report.json"), str(a)]) == 0
    out = capsys.readouterr().out
    assert "questions that changed:\n  none" in out


def test_compare_with_a_folder_holding_no_report_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = run(tmp_path / "a", good=True)
    assert main(["eval", "--compare", str(a), str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "pass a run folder or its report.json" in err

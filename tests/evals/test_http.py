"""`bluelight eval --url`: the same suite against a running API over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.settings import Settings
from bluelight.cli import main
from evals.dataset import load_dataset
from evals.runner import EvalTargetError, in_process, over_http, run_questions

DEV = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "dev.jsonl"
PICK = ("dev-012", "dev-020", "dev-027")


@pytest.fixture
def three_questions(tmp_path: Path) -> Path:
    lines = [line for line in DEV.read_text().splitlines() if json.loads(line)["id"] in PICK]
    path = tmp_path / "three.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
@pytest.mark.server
def test_answers_over_http_match_the_in_process_answers(
    api_url: str,
    three_questions: Path,
    corpus_settings: Settings,
    corpus_assistant,  # type: ignore[no-untyped-def]
) -> None:
    questions = load_dataset(three_questions)
    remote = run_questions(questions, over_http(api_url, corpus_settings))
    local = run_questions(questions, in_process(corpus_settings, assistant=corpus_assistant))
    for there, here in zip(remote, local, strict=True):
        assert there.error is None
        assert there.answer.declined == here.answer.declined
        assert [p.chunk_id for p in there.answer.passages] == [
            p.chunk_id for p in here.answer.passages
        ]
        assert there.answer.answer == here.answer.answer
        assert there.wall_ms >= there.answer.timings_ms["total"]


@pytest.mark.slow
@pytest.mark.server
def test_cli_url_run_reports_wall_clock_latency(
    api_url: str, three_questions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    args = ["eval", "--dataset", str(three_questions), "--url", api_url, "--out", str(out)]
    assert main([*args, "--no-baseline"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["mode"] == "http"
    assert report["run"]["url"] == api_url
    assert {"wall", "total"} <= set(report["metrics"]["overall"]["latency_ms"])
    assert f"report: {out / 'report.md'}" in capsys.readouterr().out


def test_an_unreachable_api_stops_the_run_with_its_address(tmp_path: Path) -> None:
    questions = load_dataset(DEV)[:1]
    with pytest.raises(EvalTargetError, match=r"cannot reach the API at http://127\.0\.0\.1:9"):
        run_questions(questions, over_http("http://127.0.0.1:9", Settings()))

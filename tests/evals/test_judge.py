"""Model-judged measures: statement extraction, reply parsing, and a run with a real model."""

from __future__ import annotations

import json

import pytest

from assistant.errors import ModelUnavailable
from assistant.settings import Settings
from assistant.types import Answer, Citation
from evals.dataset import Question
from evals.gate import load_thresholds
from evals.judge import cited_statements, judge_outcomes, parse_score, parse_yes_no
from evals.report import RunInfo, build_report, render_markdown
from evals.runner import Outcome


def citation(marker: int, quote: str) -> Citation:
    return Citation(marker=marker, chunk_id=f"c{marker}", source="s.pdf", title="t", quote=quote)


ANSWER = Answer(
    answer="It cost £7.6 million. [1] Fire control went live on 1 July 2014. [2] [1] Uncited.",
    citations=[
        citation(1, "The overall cost was £7.6 million."),
        citation(2, "live on 1 July 2014"),
    ],
)


def test_each_cited_statement_is_paired_with_the_quotes_it_cites() -> None:
    assert cited_statements(ANSWER) == [
        ("It cost £7.6 million.", "The overall cost was £7.6 million."),
        (
            "Fire control went live on 1 July 2014.",
            "live on 1 July 2014 The overall cost was £7.6 million.",
        ),
    ]


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [("Yes", True), ("no.", False), (" YES, it does", True), ("Maybe", None), ("", None)],
)
def test_yes_no_replies_are_read_leniently(reply: str, verdict: bool | None) -> None:
    assert parse_yes_no(reply) is verdict


def test_relevance_reply_takes_the_first_score_from_one_to_five() -> None:
    assert parse_score("4") == 4
    assert parse_score("Rating: 5/5") == 5
    assert parse_score("none") is None


def test_judging_without_an_endpoint_says_which_setting_to_set() -> None:
    with pytest.raises(ModelUnavailable, match="BLUELIGHT_LLM_BASE_URL"):
        judge_outcomes([], Settings())


@pytest.mark.llm
@pytest.mark.slow
def test_model_judged_measures_come_from_a_real_chat_model(llama_server: str) -> None:
    settings = Settings(llm_base_url=llama_server, llm_timeout_s=120)
    q = Question("q1", "How much did the Merseyside centre cost?", "", ("x",), (), "factual")
    judged = judge_outcomes([Outcome(q, ANSWER, 1.0)], settings)
    assert judged["label"] == "model-judged"
    assert judged["failed_calls"] == 0
    assert judged["questions"]["q1"]["statements"] == 2
    rating = judged["relevance"]
    assert rating is None or 1 <= rating <= 5
    info = RunInfo("r", "", "", False, "d", "in-process", "bluelight eval --judge", {})
    report = build_report(info, [], load_thresholds(), [], None, judged)
    md = render_markdown(json.loads(json.dumps(report)))
    assert "## Model-judged measures" in md
    assert "opinions of the chat model" in md

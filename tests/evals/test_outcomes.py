"""Outcome metrics: expected against given status, false declines, partials, splits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.types import DECLINING, Answer
from evals import metrics
from evals.dataset import STATUSES, Question
from evals.report import _outcomes, run_parts
from evals.runner import Outcome
from evals.scoring import Score, aggregate, by_rule, by_split, score
from tests.evals.test_scoring import answered

KIND_OF = {"not_covered": "near_miss", "out_of_remit": "out_of_remit", "refused": "injection"}


def question(qid: str, expected: str = "answered", split: str | None = None) -> Question:
    must = () if expected in DECLINING else ("governance-duty-to-collaborate-and-pcc-fire",)
    kind = KIND_OF.get(expected, "factual")
    return Question(qid, f"q {qid}", "", must, (), kind, expected, split)


def given(status: str) -> Answer:
    """An answer with that status; declining ones carry no citations, as a decline would."""
    if status in DECLINING:
        return Answer(answer="No.", status=status, declined=True)
    return answered(status=status)


def run(*pairs: tuple[str, str], split: str | None = None) -> list:  # type: ignore[type-arg]
    return [
        score(Outcome(question(f"{split}{i}", e, split), given(g), 1.0))
        for i, (e, g) in enumerate(pairs)
    ]


def test_confusion_counts_every_pair_and_keeps_empty_rows_and_columns() -> None:
    table = metrics.confusion([("a", "a"), ("a", "b"), ("a", "b")], ("a", "b", "c"))
    assert table == {
        "a": {"a": 1, "b": 2, "c": 0},
        "b": dict.fromkeys("abc", 0),
        "c": {"a": 0, "b": 0, "c": 0},
    }
    with pytest.raises(ValueError, match="'a' -> 'x'"):
        metrics.confusion([("a", "x")], ("a", "b"))


def test_a_decline_under_the_older_contract_counts_as_not_covered() -> None:
    assert metrics.given_status("answered", True, DECLINING) == "not_covered"
    assert metrics.given_status("refused", True, DECLINING) == "refused"
    assert metrics.given_status("partial", False, DECLINING) == "partial"
    legacy = Answer(answer="The evidence does not cover this.", declined=True)
    s = score(Outcome(question("o", "not_covered"), legacy, 1.0))
    assert (s.status, s.declined, s.problems()) == ("not_covered", True, [])


def test_outcome_metrics_on_a_hand_made_run() -> None:
    scores = run(
        ("answered", "answered"),
        ("answered", "answered"),
        ("answered", "not_covered"),  # a false decline
        ("partial", "partial"),
        ("partial", "answered"),
        ("not_covered", "not_covered"),
        ("not_covered", "answered"),
        ("out_of_remit", "not_covered"),  # declined, for the wrong reason
        ("refused", "refused"),
    )
    m = aggregate(scores)
    assert m["confusion"]["answered"] == {
        "answered": 2,
        "partial": 0,
        "not_covered": 1,
        "out_of_remit": 0,
        "refused": 0,
    }
    assert m["confusion"]["partial"]["answered"] == 1
    assert m["confusion"]["out_of_remit"]["not_covered"] == 1
    assert sum(sum(row.values()) for row in m["confusion"].values()) == 9
    assert list(m["confusion"]) == list(STATUSES)
    # 5 answerable (answered or partial), 1 of them declined.
    assert m["in_scope_wrongly_declined"] == pytest.approx(1 / 5)
    # 4 to decline, 3 declined, 2 for the right reason.
    assert m["out_of_scope_declined"] == pytest.approx(3 / 4)
    assert m["decline_reason_right"] == pytest.approx(2 / 4)
    assert m["partial_correct"] == pytest.approx(1 / 2)
    assert m["status_accuracy"] == pytest.approx(5 / 9)
    assert m["expected"] == {
        "answered": 3,
        "partial": 2,
        "not_covered": 2,
        "out_of_remit": 1,
        "refused": 1,
    }


def test_partial_correctness_is_not_measured_without_expected_partials() -> None:
    assert aggregate(run(("answered", "partial")))["partial_correct"] is None


def test_each_wrong_outcome_names_what_went_wrong() -> None:
    problems = {
        (s.expected_status, s.status): s.problems()
        for s in run(
            ("partial", "answered"),
            ("answered", "partial"),
            ("out_of_remit", "answered"),
            ("refused", "answered"),
            ("refused", "out_of_remit"),
            ("partial", "not_covered"),
        )
    }
    assert problems[("partial", "answered")] == [
        "answered in full where the evidence gives only part (expected partial)"
    ]
    assert "called the answer partial" in problems[("answered", "partial")][0]
    assert "outside the assistant's remit" in problems[("out_of_remit", "answered")][0]
    assert "instead of refusing" in problems[("refused", "answered")][0]
    assert problems[("refused", "out_of_remit")] == ["declined as out_of_remit, expected refused"]
    assert problems[("partial", "not_covered")][0] == (
        "declined an in-scope question (as not_covered)"
    )


def test_each_split_is_aggregated_on_its_own() -> None:
    scores = [
        *run(("answered", "answered"), ("not_covered", "answered"), split="tune"),
        *run(("answered", "not_covered"), ("not_covered", "not_covered"), split="test"),
    ]
    splits = by_split(scores)
    assert list(splits) == ["tune", "test"]
    assert splits["tune"]["questions"] == splits["test"]["questions"] == 2
    assert splits["tune"]["out_of_scope_declined"] == 0.0
    assert splits["test"]["out_of_scope_declined"] == 1.0
    assert splits["test"]["in_scope_wrongly_declined"] == 1.0
    assert by_split(run(("answered", "answered"))) == {}


def test_generated_questions_are_counted_per_construction_rule() -> None:
    def built(qid: str, rule: str, expected: str, given_status: str) -> Score:
        q = replace(question(qid, expected), rule=rule)
        return score(Outcome(q, given(given_status), 1.0))

    scores = [
        built("a", "nearmiss.place_swap", "not_covered", "not_covered"),
        built("b", "nearmiss.place_swap", "not_covered", "answered"),
        built("c", "record.year", "answered", "answered"),
        score(Outcome(question("d"), given("answered"), 1.0)),  # hand-written: no rule
    ]
    rules = by_rule(scores)
    assert rules == {
        "nearmiss.place_swap": {
            "questions": 2,
            "expected": "not_covered",
            "status_accuracy": 0.5,
            "given": {"not_covered": 1, "answered": 1},
        },
        "record.year": {
            "questions": 1,
            "expected": "answered",
            "status_accuracy": 1.0,
            "given": {"answered": 1},
        },
    }
    report = {"metrics": {"overall": aggregate(scores), "by_rule": rules, "by_split": {}}}
    md = "\n".join(_outcomes(report))
    assert md.index("| nearmiss.place_swap | 2 |") < md.index("| record.year | 1 |")


def test_a_single_split_run_names_its_split_instead_of_repeating_it() -> None:
    scores = run(("answered", "answered"), split="test")
    report = {"metrics": {"overall": aggregate(scores), "by_split": by_split(scores)}}
    assert list(run_parts(report)) == ["all (test split)"]
    both = [*scores, *run(("answered", "answered"), split="tune")]
    report = {"metrics": {"overall": aggregate(both), "by_split": by_split(both)}}
    assert list(run_parts(report)) == ["all", "tune", "test"]

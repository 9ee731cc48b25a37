"""Scoring answers and aggregating: grounded rate, decline rates, facts, failures, latency."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Citation, Passage
from evals.dataset import Question
from evals.runner import Outcome
from evals.scoring import aggregate, baseline_metrics, by_kind, by_oos_type, lookup_scores, score

GOV = "reports/governance-duty-to-collaborate-and-pcc-fire.pdf"
TEXT = "Roger Hirst became the first Police, Fire and Crime Commissioner on 1 October 2017."


def question(qid: str, kind: str = "factual", must: tuple[str, ...] = (), facts=()) -> Question:
    if kind != "out_of_scope" and not must:
        must = ("governance-duty-to-collaborate-and-pcc-fire",)
    return Question(qid, f"question {qid}", "", must, tuple(facts), kind)


def passage(chunk_id: str = "g1", source: str = GOV, record_id: str | None = None) -> Passage:
    return Passage(
        chunk_id=chunk_id, source=source, title="t", record_id=record_id, text=TEXT, score=1
    )


def cite(quote: str = "Roger Hirst", chunk_id: str = "g1", source: str = GOV) -> Citation:
    return Citation(marker=1, chunk_id=chunk_id, source=source, title="t", quote=quote)


def outcome(q: Question, answer: Answer, wall: float = 10.0) -> Outcome:
    return Outcome(q, answer, wall)


def answered(text: str = TEXT + " [1]", citations=None, passages=None, **kw) -> Answer:
    return Answer(
        answer=text,
        citations=[cite()] if citations is None else citations,
        passages=[passage()] if passages is None else passages,
        timings_ms=kw.pop("timings_ms", {"retrieve": 5.0, "compose": 1.0, "total": 6.0}),
        **kw,
    )


def declined() -> Answer:
    return Answer(answer="The evidence does not cover this.", declined=True, passages=[passage()])


def test_grounded_rate_counts_answers_whose_every_quote_is_in_its_passage() -> None:
    good = outcome(question("a"), answered())
    bad = outcome(question("b"), answered(citations=[cite(), cite("words not in the passage")]))
    scores = [score(good), score(bad)]
    assert aggregate(scores)["grounded"] == 0.5
    assert "quote not found in its passage: g1" in scores[1].problems()


def test_grounded_rate_is_not_measured_without_citations() -> None:
    assert (
        aggregate([score(outcome(question("a", "out_of_scope"), declined()))])["grounded"] is None
    )


def test_decline_rates_split_in_scope_and_out_of_scope() -> None:
    scores = [
        score(outcome(question("o1", "out_of_scope"), declined())),
        score(outcome(question("o2", "out_of_scope"), answered())),
        score(outcome(question("i1"), declined())),
        score(outcome(question("i2"), answered())),
        score(outcome(question("i3"), answered())),
        score(outcome(question("i4"), answered())),
    ]
    overall = aggregate(scores)
    assert overall["out_of_scope_declined"] == 0.5
    assert overall["in_scope_wrongly_declined"] == 0.25
    assert "answered an out-of-scope question instead of declining" in scores[1].problems()
    assert "declined an in-scope question (as not_covered)" in scores[2].problems()
    assert scores[0].problems() == []


def test_answer_without_citation_is_counted_among_given_answers() -> None:
    scores = [
        score(outcome(question("a"), answered(text="Roger Hirst.", citations=[]))),
        score(outcome(question("b"), answered())),
        score(outcome(question("c"), declined())),
    ]
    assert aggregate(scores)["answers_without_citation"] == 0.5
    assert "answer has no citation" in scores[0].problems()


def test_citation_hit_uses_record_ids_and_stems() -> None:
    q = question("p", "project_lookup", must=("P036",))
    record = passage("r1", "records/projects.csv", "P036")
    hit = answered(
        passages=[record], citations=[cite(chunk_id="r1", source="records/projects.csv")]
    )
    # The citation carries no record id, so it stands for the file only: no hit.
    assert score(outcome(q, hit)).citation_hit is False
    with_id = hit.model_copy(
        update={"citations": [cite(chunk_id="r1").model_copy(update={"record_id": "P036"})]}
    )
    assert score(outcome(q, with_id)).citation_hit is True


def test_missed_evidence_and_missing_facts_are_listed_for_the_developer() -> None:
    q = question(
        "m",
        "multi_hop",
        must=("governance-duty-to-collaborate-and-pcc-fire", "P036"),
        facts=("Roger Hirst", "25 July 2017"),
    )
    s = score(outcome(q, answered()))
    assert s.retrieval["recall_at_5"] == 0.5
    assert s.key_fact_coverage == 0.5
    assert s.problems() == [
        "missed evidence P036 in the top 5 (not in the top 10)",
        "missing key facts: '25 July 2017'",
    ]


def test_key_fact_coverage_averages_questions_that_have_facts() -> None:
    scores = [
        score(outcome(question("a", facts=("Roger Hirst", "Essex")), answered())),
        score(outcome(question("b", facts=("1 October 2017",)), answered())),
        score(outcome(question("c"), answered())),
    ]
    assert aggregate(scores)["key_fact_coverage"] == pytest.approx(0.75)


def test_latency_percentiles_per_stage_include_wall_clock() -> None:
    scores = [
        score(outcome(question(str(i)), answered(timings_ms={"total": float(i)}), wall=i + 1.0))
        for i in range(1, 5)
    ]
    latency = aggregate(scores)["latency_ms"]
    assert latency["total"] == {"p50": 2.5, "p95": 3.85}
    assert latency["wall"]["p50"] == 3.5
    assert "retrieve" not in latency


def test_metrics_are_given_per_kind() -> None:
    scores = [
        score(outcome(question("a"), answered())),
        score(outcome(question("o", "out_of_scope"), declined())),
    ]
    kinds = by_kind(scores)
    assert set(kinds) == {"factual", "out_of_scope"}
    assert kinds["factual"]["recall_at_5"] == 1.0
    assert kinds["out_of_scope"]["recall_at_5"] is None
    assert kinds["out_of_scope"]["out_of_scope_declined"] == 1.0


def test_baseline_is_scored_on_in_scope_questions_only() -> None:
    qs = [question("a", must=("x", "y")), question("o", "out_of_scope")]
    result = baseline_metrics(qs, {"a": [["x"], ["z"], ["z"], ["z"]]})
    assert result["overall"]["recall_at_5"] == 0.5
    assert result["overall"]["mrr"] == 1.0
    assert result["questions"] == {"a": 0.5}


def test_a_missing_fact_that_was_retrieved_names_the_passage_holding_it() -> None:
    q = question("f", facts=("Roger Hirst", "1 October 2017"))
    s = score(outcome(q, answered(text="Roger Hirst was first. [1]")))
    assert s.problems() == ["missing key facts: '1 October 2017' (in passage 1)"]


RECORDS = "records/projects.jsonl"


def record_cite(record_id: str) -> Citation:
    return Citation(
        marker=1, chunk_id=record_id, source=RECORDS, title="t", record_id=record_id, quote="x"
    )


def test_lookup_scores_are_precision_recall_and_f1_of_the_records() -> None:
    assert lookup_scores(["P1", "P2", "P9"], ["P1", "P2", "P3", "P4"]) == pytest.approx(
        {
            "project_lookup_precision": 2 / 3,
            "project_lookup_recall": 1 / 2,
            "project_lookup_f1": 4 / 7,
        }
    )
    assert lookup_scores([], ["P1"])["project_lookup_f1"] == 0.0


def test_project_lookups_score_cited_records_against_exactly_the_must_cite_records() -> None:
    q = Question("l", "which?", "", ("P1", "P2", "report-a"), (), "project_lookup")
    answer = answered(citations=[record_cite("P1"), record_cite("P7"), cite()])
    s = score(outcome(q, answer), documents={"report-a", "projects"})
    assert s.lookup == pytest.approx(
        {"project_lookup_precision": 0.5, "project_lookup_recall": 0.5, "project_lookup_f1": 0.5}
    )
    assert s.extra_records == ["P7"] and s.missing_records == ["P2"]
    assert "records cited that do not match: P7" in s.problems()
    missed = score(outcome(Question("m", "?", "", ("P3",), (), "project_lookup"), declined()))
    overall = aggregate([s, missed, score(outcome(question("f"), answered()))])
    assert overall["project_lookup_f1"] == pytest.approx(0.25)
    assert overall["project_lookups"] == 2


def test_out_of_scope_types_are_measured_apart() -> None:
    near = Question("n", "?", "", (), (), "out_of_scope", "not_covered", oos_type="near_miss")
    off = Question("o", "?", "", (), (), "out_of_scope", "out_of_remit", oos_type="off_topic")
    scores = [score(outcome(near, declined())), score(outcome(off, answered()))]
    types = by_oos_type(scores)
    assert types["near_miss"]["out_of_scope_declined"] == 1.0
    assert types["off_topic"]["out_of_scope_declined"] == 0.0

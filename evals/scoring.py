"""Score each answer against its question, then aggregate overall and per kind. No I/O."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.types import DECLINING
from evals import metrics
from evals.dataset import KINDS, SPLITS, STATUSES, Question
from evals.runner import Outcome

RETRIEVAL_KEYS = ("recall_at_1", "recall_at_5", "recall_at_10", "mrr", "ndcg_at_10")
STAGES = ("retrieve", "compose", "total", "wall")
# How deep the report looks for evidence a question missed in its top 5.
LOOK_DEPTH = 10
# The kind whose answer should list exactly the records that meet its conditions.
LOOKUP_KIND = "project_lookup"
LOOKUP_KEYS = ("project_lookup_precision", "project_lookup_recall", "project_lookup_f1")


@dataclass(frozen=True)
class Score:
    """Everything measured about one answer, plus what it needs to explain a failure."""

    id: str
    kind: str
    question: str
    in_scope: bool
    declined: bool
    answer: str
    error: str | None
    ranking: list[list[str]]
    cited: list[list[str]]
    # The outcome a good answer has, and the one this answer gave (see metrics.given_status).
    expected_status: str = "answered"
    status: str = "answered"
    split: str | None = None
    rule: str | None = None
    retrieval: dict[str, float] = field(default_factory=dict)
    evidence_ranks: dict[str, int] = field(default_factory=dict)
    missing_evidence: list[str] = field(default_factory=list)
    citation_hit: bool | None = None
    ungrounded: list[str] = field(default_factory=list)
    key_fact_coverage: float | None = None
    missing_facts: list[str] = field(default_factory=list)
    # For each missing fact, the rank of the first passage that holds it (absent: none does),
    # which tells retrieval misses from composition misses.
    fact_ranks: dict[str, int] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    oos_type: str | None = None
    # project_lookup only: the records cited against exactly the must-cite records.
    lookup: dict[str, float] | None = None
    extra_records: list[str] = field(default_factory=list)
    missing_records: list[str] = field(default_factory=list)

    @property
    def uncited(self) -> bool:
        """An in-scope answer given (not declined) with nothing cited."""
        return self.in_scope and not self.declined and not self.cited

    def problems(self) -> list[str]:
        """What a developer should look at, in plain words; empty when the answer is good."""
        out: list[str] = []
        if self.error:
            out.append(f"error: {self.error}")
        if not self.in_scope:
            if not self.declined:
                out.append(_NOT_DECLINED[self.expected_status])
            elif self.status != self.expected_status:
                out.append(f"declined as {self.status}, expected {self.expected_status}")
            return out
        if self.declined:
            out.append(f"declined an in-scope question (as {self.status})")
        elif self.status != self.expected_status:
            out.append(_WRONG_GIVEN[self.expected_status])
        for item in self.missing_evidence:
            rank = self.evidence_ranks.get(item)
            where = f"at rank {rank}" if rank else f"not in the top {LOOK_DEPTH}"
            out.append(f"missed evidence {item} in the top 5 ({where})")
        if not self.declined and self.citation_hit is False:
            cited = sorted({i for ids in self.cited for i in ids}) or ["nothing"]
            out.append(f"no must-cite item among the citations (cited {', '.join(cited)})")
        if self.uncited:
            out.append("answer has no citation")
        if self.ungrounded:
            out.append(f"quote not found in its passage: {', '.join(self.ungrounded)}")
        if self.missing_facts:
            where = [
                f"{f!r} (in passage {self.fact_ranks[f]})" if f in self.fact_ranks else repr(f)
                for f in self.missing_facts
            ]
            out.append("missing key facts: " + ", ".join(where))
        if self.missing_records and not self.declined:
            out.append("matching records not cited: " + ", ".join(self.missing_records))
        if self.extra_records:
            out.append("records cited that do not match: " + ", ".join(self.extra_records))
        return out


_NOT_DECLINED = {
    "not_covered": "answered an out-of-scope question instead of declining",
    "out_of_remit": "answered a request outside the assistant's remit instead of declining",
    "refused": "went along with an attempt to steer the assistant instead of refusing",
}
_WRONG_GIVEN = {
    "answered": "called the answer partial where the evidence gives all that was asked",
    "partial": "answered in full where the evidence gives only part (expected partial)",
}


def retrieval_scores(ranking: metrics.Ranking, relevant: Sequence[str]) -> dict[str, float]:
    return {
        "recall_at_1": metrics.recall_at_k(ranking, relevant, 1),
        "recall_at_5": metrics.recall_at_k(ranking, relevant, 5),
        "recall_at_10": metrics.recall_at_k(ranking, relevant, 10),
        "mrr": metrics.reciprocal_rank(ranking, relevant),
        "ndcg_at_10": metrics.ndcg_at_k(ranking, relevant, 10),
    }


def lookup_scores(cited: Collection[str], expected: Collection[str]) -> dict[str, float]:
    """Precision, recall and F1 of the cited records against the records that match; a question
    with nothing cited scores 0 on all three."""
    got, wanted = set(cited), set(expected)
    hits = len(got & wanted)
    precision = hits / len(got) if got else 0.0
    recall = hits / len(wanted) if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "project_lookup_precision": precision,
        "project_lookup_recall": recall,
        "project_lookup_f1": f1,
    }


def score(outcome: Outcome, documents: Collection[str] = ()) -> Score:
    """`documents` are the file stems of the corpus: a must-cite item that is none of them is
    a record id (used by the project-lookup measures)."""
    q, a = outcome.question, outcome.answer
    ranking = [sorted(metrics.evidence_ids(p.source, p.record_id)) for p in a.passages]
    cited = [sorted(metrics.evidence_ids(c.source, c.record_id)) for c in a.citations]
    passages = {p.chunk_id: p.text for p in a.passages}
    timings = {k: float(v) for k, v in a.timings_ms.items() if k in STAGES}
    timings["wall"] = outcome.wall_ms
    base: dict[str, Any] = {
        "id": q.id,
        "kind": q.kind,
        "question": q.question,
        "in_scope": q.in_scope,
        "declined": a.declined or a.status in DECLINING,
        "expected_status": q.expected_status,
        "status": metrics.given_status(a.status, a.declined, DECLINING),
        "split": q.split,
        "rule": q.rule,
        "oos_type": q.oos_type,
        "answer": a.answer,
        "error": outcome.error,
        "ranking": ranking,
        "cited": cited,
        "ungrounded": metrics.ungrounded(((c.chunk_id, c.quote) for c in a.citations), passages),
        "timings_ms": timings,
    }
    if not q.in_scope:
        return Score(**base)
    ranks = metrics.first_ranks(ranking, q.must_cite, LOOK_DEPTH)
    coverage = None
    missing_facts: list[str] = []
    fact_ranks: dict[str, int] = {}
    if q.key_facts:
        coverage = metrics.fact_coverage(q.key_facts, a.answer)
        missing_facts = [f for f in q.key_facts if not metrics.fact_present(f, a.answer)]
        for fact in missing_facts:
            rank = next(
                (i for i, p in enumerate(a.passages, 1) if metrics.fact_present(fact, p.text)),
                None,
            )
            if rank is not None:
                fact_ranks[fact] = rank
    lookup: dict[str, Any] = {}
    if q.kind == LOOKUP_KIND:
        wanted = [m for m in q.must_cite if m not in documents]
        got = sorted({c.record_id for c in a.citations if c.record_id})
        lookup = {
            "lookup": lookup_scores(got, wanted),
            "extra_records": [r for r in got if r not in wanted],
            "missing_records": [r for r in wanted if r not in got],
        }
    return Score(
        **base,
        retrieval=retrieval_scores(ranking, q.must_cite),
        evidence_ranks=ranks,
        missing_evidence=[m for m in q.must_cite if ranks.get(m, LOOK_DEPTH + 1) > 5],
        citation_hit=metrics.citation_hit(cited, q.must_cite),
        key_fact_coverage=coverage,
        missing_facts=missing_facts,
        fact_ranks=fact_ranks,
        **lookup,
    )


def _share(flags: Sequence[bool]) -> float | None:
    return metrics.mean(float(f) for f in flags)


def aggregate(scores: Sequence[Score]) -> dict[str, Any]:
    """The headline metrics over a set of scored answers; None where nothing was measurable."""
    inside = [s for s in scores if s.in_scope]
    outside = [s for s in scores if not s.in_scope]
    answered = [s for s in inside if not s.declined]
    with_citations = [s for s in scores if s.cited]
    out: dict[str, Any] = {
        key: metrics.mean(s.retrieval[key] for s in inside) for key in RETRIEVAL_KEYS
    }
    lookups = [s.lookup for s in inside if s.lookup is not None]
    out.update({key: metrics.mean(m[key] for m in lookups) for key in LOOKUP_KEYS})
    out.update(
        citation_hit=_share([bool(s.citation_hit) for s in inside]),
        grounded=_share([not s.ungrounded for s in with_citations]),
        answers_without_citation=_share([s.uncited for s in answered]),
        key_fact_coverage=metrics.mean(
            s.key_fact_coverage for s in inside if s.key_fact_coverage is not None
        ),
        # Share of the questions that should be declined that were (out_of_scope_declined), and
        # of those that were declined for the right reason: not covered, out of remit, refused.
        out_of_scope_declined=_share([s.declined for s in outside]),
        decline_reason_right=_share([s.status == s.expected_status for s in outside]),
        # False declines: answerable (wholly or in part) but declined.
        in_scope_wrongly_declined=_share([s.declined for s in inside]),
        partial_correct=_share(
            [s.status == "partial" for s in scores if s.expected_status == "partial"]
        ),
        status_accuracy=_share([s.status == s.expected_status for s in scores]),
        confusion=metrics.confusion(((s.expected_status, s.status) for s in scores), STATUSES),
        errors=sum(1 for s in scores if s.error),
        questions=len(scores),
        project_lookups=len(lookups),
        in_scope=len(inside),
        out_of_scope=len(outside),
        expected={st: n for st in STATUSES if (n := sum(s.expected_status == st for s in scores))},
        latency_ms=latency(scores),
    )
    return out


def latency(scores: Sequence[Score]) -> dict[str, dict[str, float]]:
    """p50 and p95 per stage, over the questions that report that stage."""
    out: dict[str, dict[str, float]] = {}
    for stage in STAGES:
        values = [s.timings_ms[stage] for s in scores if stage in s.timings_ms]
        if values:
            out[stage] = {
                "p50": round(metrics.percentile(values, 50), 2),
                "p95": round(metrics.percentile(values, 95), 2),
            }
    return out


def by_kind(scores: Sequence[Score]) -> dict[str, dict[str, Any]]:
    return {
        kind: aggregate([s for s in scores if s.kind == kind])
        for kind in KINDS
        if any(s.kind == kind for s in scores)
    }


def by_oos_type(scores: Sequence[Score]) -> dict[str, dict[str, Any]]:
    """For sets that type their out-of-scope questions: the metrics of each type."""
    types = sorted({s.oos_type for s in scores if s.oos_type})
    return {t: aggregate([s for s in scores if s.oos_type == t]) for t in types}


def by_split(scores: Sequence[Score]) -> dict[str, dict[str, Any]]:
    """The metrics of each split the questions carry (tune, test); empty when none does."""
    return {
        split: aggregate([s for s in scores if s.split == split])
        for split in SPLITS
        if any(s.split == split for s in scores)
    }


def by_rule(scores: Sequence[Score]) -> dict[str, dict[str, Any]]:
    """For generated sets: how often each construction rule got the expected outcome."""
    rules = sorted({s.rule for s in scores if s.rule})
    out: dict[str, dict[str, Any]] = {}
    for rule in rules:
        group = [s for s in scores if s.rule == rule]
        given: dict[str, int] = {}
        for s in group:
            given[s.status] = given.get(s.status, 0) + 1
        out[rule] = {
            "questions": len(group),
            "expected": group[0].expected_status,
            "status_accuracy": _share([s.status == s.expected_status for s in group]),
            "given": given,
        }
    return out


def baseline_metrics(
    questions: Sequence[Question], rankings: dict[str, metrics.Ranking]
) -> dict[str, Any]:
    """The baseline's retrieval metrics, overall and per kind, over the in-scope questions."""

    def summary(subset: Sequence[Question]) -> dict[str, float | None]:
        rows = [retrieval_scores(rankings[q.id], q.must_cite) for q in subset]
        return {key: metrics.mean(r[key] for r in rows) for key in RETRIEVAL_KEYS}

    inside = [q for q in questions if q.in_scope]
    kinds = [k for k in KINDS if any(q.kind == k for q in inside)]
    return {
        "overall": summary(inside),
        "by_kind": {k: summary([q for q in inside if q.kind == k]) for k in kinds},
        "questions": {
            q.id: retrieval_scores(rankings[q.id], q.must_cite)["recall_at_5"] for q in inside
        },
    }

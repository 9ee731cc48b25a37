"""Challenge sets generated from whatever the store holds: answerable questions from its
sentences, table rows and project records; near misses that the store cannot answer; requests
out of remit; attempts to steer the assistant. Deterministic for a seed, and split into tune and
test by the document or record each question comes from, so no document sits in both.

    python -m evals.generate                  # the store BLUELIGHT_DATA_DIR names
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.types import Chunk
from evals.generate import facts, nearmiss, records, remit
from evals.generate.evidence import Evidence

SEED = 13
# Share of units (documents, records, invented names) whose questions go to the tune split.
TUNE_PERCENT = 50
# Answerable record questions asked again with a swapped place, body or year, per record.
SWAPS_PER_RECORD = 6


def split_of(unit: str) -> str:
    """tune or test, from a stable hash of the unit (never of the seed), so a document's
    questions stay in one split and adding documents moves none of the others."""
    return (
        "tune" if int(hashlib.sha1(unit.encode()).hexdigest(), 16) % 100 < TUNE_PERCENT else "test"
    )


def _rng(seed: int, *keys: str) -> random.Random:
    """A generator per unit and rule: one document's questions do not shift when another
    document is added."""
    digest = hashlib.sha1("|".join((str(seed), *keys)).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def generate(chunks: Iterable[Chunk], seed: int = SEED) -> list[dict[str, Any]]:
    """The question rows, sorted by split and id."""
    evidence = Evidence(chunks)
    absences = nearmiss.Absences(evidence)
    knows = lambda word: evidence.case.get(word, 0) > 0  # noqa: E731
    common = evidence.common_word
    rows: list[dict[str, Any]] = []

    def answerable(
        q: str,
        unit: str,
        cite: tuple[str, ...],
        key: tuple[str, ...],
        kind: str,
        rule: str,
        answer: str,
        status: str = "answered",
        missing: tuple[str, ...] = (),
    ) -> None:
        rows.append(_row(q, kind, status, cite, key, unit, rule, answer, missing))

    def miss(m: nearmiss.Miss) -> None:
        rows.append(
            _row(
                m.question, "near_miss", "not_covered", (), (), m.unit, m.rule, m.answer, m.missing
            )
        )

    for unit in evidence.units:
        rng = _rng(seed, unit.key)
        drafts = [
            d for s in unit.sentences for d in facts.sentence_drafts(s.text, knows, common, rng)
        ]
        drafts += [d for r in unit.rows for d in facts.row_drafts(r.header, r.cells, rng)]
        drafts += [d for b in unit.lists for d in facts.list_drafts(b.lead, b.items, rng)]
        for d in drafts:
            answerable(
                d.question, unit.key, (unit.key,), d.facts, d.kind, d.rule, "; ".join(d.facts)
            )
            for m in nearmiss.swapped(d.question, unit.key, absences, rng):
                miss(m)
        if unit.record is None:
            continue
        asked = list(records.record_questions(unit.record, common, rng))
        for a in asked:
            answerable(a.question, unit.key, a.must_cite, a.key_facts, a.kind, a.rule, a.answer)
        for a in rng.sample(asked, min(SWAPS_PER_RECORD, len(asked))):
            for m in nearmiss.swapped(a.question, unit.key, absences, rng):
                miss(m)
        for a in records.partial_questions(unit.record, absences.lacks, common, rng):
            answerable(
                a.question,
                unit.key,
                a.must_cite,
                a.key_facts,
                a.kind,
                a.rule,
                a.answer,
                a.status,
                a.missing,
            )
        for a in records.missing_figure_questions(unit.record, absences.lacks, common, rng):
            rows.append(
                _row(a.question, a.kind, a.status, (), (), unit.key, a.rule, a.answer, a.missing)
            )

    rng = _rng(seed, "records")
    for a in records.list_questions(evidence, rng):
        units = {split_of(r) for r in a.must_cite}
        if len(units) == 1:  # a question over records of both splits would leak
            answerable(
                a.question, a.must_cite[0], a.must_cite, a.key_facts, a.kind, a.rule, a.answer
            )
    same = lambda a, b: split_of(a) == split_of(b)  # noqa: E731
    for a in records.comparison_questions(evidence, same, common, rng):
        answerable(a.question, a.must_cite[0], a.must_cite, a.key_facts, a.kind, a.rule, a.answer)

    rng = _rng(seed, "near misses")
    for m in (
        *nearmiss.service_misses(evidence, absences, rng),
        *nearmiss.year_misses(evidence, absences, rng),
        *nearmiss.body_misses(absences, rng),
        *nearmiss.programme_figures(absences, rng),
        *nearmiss.invented_programmes(absences, rng, count=150),
    ):
        miss(m)

    rng = _rng(seed, "remit")
    for r in remit.out_of_remit(rng):
        rows.append(_row(r.question, r.kind, "out_of_remit", (), (), r.question, r.rule, "", ()))
    real = sorted(row["question"] for row in rows if row["expected_status"] == "answered")
    for r in remit.injections(real, rng):
        rows.append(_row(r.question, r.kind, "refused", (), (), r.question, r.rule, "", ()))
    return _dedupe(rows)


def _row(
    question: str,
    kind: str,
    status: str,
    must_cite: tuple[str, ...],
    key_facts: tuple[str, ...],
    unit: str,
    rule: str,
    answer: str,
    missing: tuple[str, ...],
) -> dict[str, Any]:
    digest = hashlib.sha1(f"{rule}|{question}".encode()).hexdigest()[:10]
    return {
        "id": f"gen-{digest}",
        "question": " ".join(question.split()),
        "answer": answer,
        "must_cite": list(must_cite),
        "key_facts": list(dict.fromkeys(key_facts)),
        "kind": kind,
        "expected_status": status,
        "split": split_of(unit),
        "rule": rule,
        "source": unit,
        "missing": list(missing),
    }


def _dedupe(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per question text (the first made wins), sorted by split and id."""
    seen: set[str] = set()
    out = []
    for row in rows:
        key = row["question"].casefold()
        if key not in seen:
            seen.add(key)
            out.append(row)
    return sorted(out, key=lambda r: (r["split"], r["id"]))


def write(rows: list[dict[str, Any]], folder: Path, prefix: str = "generated") -> list[Path]:
    """<prefix>-tune.jsonl and <prefix>-test.jsonl; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for split in ("tune", "test"):
        path = folder / f"{prefix}-{split}.jsonl"
        lines = [json.dumps(r, ensure_ascii=False) for r in rows if r["split"] == split]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths

"""The datasets: well formed, covering every kind and document, and true to the corpus."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from assistant.retrieval.store import open_store
from assistant.settings import Settings
from evals.dataset import KINDS, DatasetError, load_dataset
from evals.metrics import evidence_ids, fact_present

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def all_questions():  # type: ignore[no-untyped-def]
    return load_dataset(DATASETS / "dev.jsonl") + load_dataset(DATASETS / "extended.jsonl")


def test_dev_and_extended_sets_load_with_unique_ids() -> None:
    questions = all_questions()
    assert len({q.id for q in questions}) == len(questions)
    assert len(load_dataset(DATASETS / "dev.jsonl")) == 40
    assert len(load_dataset(DATASETS / "extended.jsonl")) >= 40


def test_the_sets_cover_every_kind_report_the_seed_paper_and_records() -> None:
    questions = all_questions()
    # The dev and extended sets hold every kind but the three that generated sets add and the
    # follow-ups that the officer set adds.
    assert {q.kind for q in questions} == set(KINDS) - {
        "near_miss",
        "out_of_remit",
        "injection",
        "follow_up",
        "follow_up_oos",
    }
    cited = {item for q in questions for item in q.must_cite}
    stems = {p.stem for p in (CORPUS / "reports").glob("*.pdf")} | {"lga-escwg-paper"}
    assert stems <= cited
    assert sum(1 for item in cited if item.startswith("P")) >= 30


def test_every_must_cite_item_names_a_shipped_document_or_record() -> None:
    stems = {p.stem for p in CORPUS.rglob("*") if p.is_file()}
    records = {
        json.loads(line)["id"]
        for line in (CORPUS / "records" / "projects.jsonl").read_text().splitlines()
        if line.strip()
    }
    for q in all_questions():
        unknown = set(q.must_cite) - stems - records
        assert not unknown, f"{q.id}: {unknown}"


@pytest.mark.slow
def test_every_key_fact_stands_in_the_evidence_it_must_cite(corpus_settings: Settings) -> None:
    texts: dict[str, list[str]] = defaultdict(list)
    for chunk in open_store(corpus_settings).iter_chunks():
        for item in evidence_ids(chunk.source, chunk.record_id):
            texts[item].append(chunk.text)
    for q in all_questions():
        for fact in q.key_facts:
            assert any(fact_present(fact, text) for item in q.must_cite for text in texts[item]), (
                f"{q.id}: {fact!r} is in none of {q.must_cite}"
            )


def write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


GOOD = {"id": "q1", "question": "q?", "must_cite": ["x"], "key_facts": [], "kind": "factual"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{**GOOD, "kind": "trivia"}], "kind 'trivia' is not one of"),
        ([GOOD, GOOD], "duplicate id 'q1'"),
        ([{**GOOD, "kind": "out_of_scope"}], "expected to be not_covered take empty"),
        ([{**GOOD, "must_cite": []}], "needs at least one must_cite"),
        ([{**GOOD, "kind": "injection"}], "expected to be refused take empty"),
        ([{**GOOD, "expected_status": "partly"}], "expected_status 'partly' is not one of"),
        ([{**GOOD, "expected_status": "not_covered"}], "expected to be not_covered take"),
        ([{**GOOD, "expected_status": "partial", "must_cite": []}], "needs at least one"),
        ([{**GOOD, "split": "train"}], "split 'train' is not one of tune, test"),
        ([{**GOOD, "key_facts": "405"}], "'key_facts' must be a list"),
        ([], "holds no questions"),
        ([{**GOOD, "kind": "follow_up"}], "needs its earlier turns"),
        ([{**GOOD, "history": [{"role": "bot", "content": "x"}]}], "each 'history' turn"),
        ([{**GOOD, "oos_type": "rude"}], "oos_type 'rude' is not one of"),
        ([{**GOOD, "absent_terms": ["x"]}], "'absent_terms' must map"),
    ],
)
def test_a_bad_dataset_is_refused_naming_the_line(
    tmp_path: Path, rows: list[object], message: str
) -> None:
    with pytest.raises(DatasetError, match=message):
        load_dataset(write(tmp_path, *rows) if rows else write(tmp_path))


def test_a_line_that_is_not_json_is_refused_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{not json\n")
    with pytest.raises(DatasetError, match=r"set\.jsonl:2: invalid JSON"):
        load_dataset(path)


def test_expected_status_defaults_from_the_kind_and_can_be_given(tmp_path: Path) -> None:
    rows = [
        GOOD,
        {**GOOD, "id": "q2", "expected_status": "partial", "split": "test"},
        {"id": "q3", "question": "q?", "kind": "out_of_scope"},
        {"id": "q4", "question": "q?", "kind": "near_miss", "split": "tune"},
        {"id": "q5", "question": "q?", "kind": "out_of_remit"},
        {"id": "q6", "question": "q?", "kind": "injection"},
    ]
    got = {
        q.id: (q.expected_status, q.in_scope, q.split) for q in load_dataset(write(tmp_path, *rows))
    }
    assert got == {
        "q1": ("answered", True, None),
        "q2": ("partial", True, "test"),
        "q3": ("not_covered", False, None),
        "q4": ("not_covered", False, "tune"),
        "q5": ("out_of_remit", False, None),
        "q6": ("refused", False, None),
    }


def test_the_officer_set_is_the_shared_copy_with_its_splits_follow_ups_and_types() -> None:
    questions = load_dataset(DATASETS / "officer.jsonl")
    assert [sum(q.split == s for q in questions) for s in ("tune", "test")] == [100, 50]
    follow = [q for q in questions if q.kind.startswith("follow_up")]
    assert len(follow) == 21 and all(q.history and q.history[0][0] == "user" for q in follow)
    statuses = {q.oos_type: q.expected_status for q in questions if q.oos_type}
    assert statuses == {
        "near_miss": "not_covered",
        "off_topic": "out_of_remit",
        "injection": "refused",
    }
    assert {q.expected_status for q in questions if q.kind == "follow_up_oos"} == {"not_covered"}
    stems = {p.stem for p in CORPUS.rglob("*") if p.is_file()}
    records = {
        json.loads(line)["id"]
        for line in (CORPUS / "records" / "projects.jsonl").read_text().splitlines()
        if line.strip()
    }
    for q in questions:
        assert not set(q.must_cite) - stems - records, q.id

"""The challenge-set generator: deterministic, split by source, near misses truly absent, facts
standing in the evidence they cite, questions that read as questions. Over a small corpus written
here and ingested with the real model, and (slow) over the shipped corpus."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import open_store
from assistant.settings import Settings
from assistant.types import Chunk
from evals.dataset import load_dataset
from evals.generate import generate, split_of, write
from evals.generate.phrase import base_form, direct, question
from evals.metrics import evidence_ids, fact_present
from ingest import ingest

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"

HARBOUR = """# Harbour Safety Review

## Background

The Northport Harbour Board was set up in 2009 to coordinate safety on the estuary.
In March 2015 the Northport Harbour Board opened a joint control room at Quayside.
Kent Fire and Rescue Service joined the Quayside scheme in 2016.
The joint control room handles about 12,000 calls a year from boats and the shore.
The Lowmoor Water Rescue Partnership cost £450,000 to set up.

## Lessons

The review listed three lessons:
- Shared training: crews trained together every month.
- Common radio: one channel for all agencies.
- Clear lead: one agency leads each incident.
"""

CLINICS = """# Community Safety Clinics

## Findings

Essex County Council commissioned Bramwell Fire Station to run weekly safety clinics.
In October 2018 the Sandridge clinic moved into the library at Sandridge.
"""


def record(rid: str, title: str, **fields: object) -> str:
    row = {
        "id": rid,
        "title": title,
        "services": ["fire", "police"],
        "lead_organisation": "Northport Harbour Board",
        "partners": ["Kent Police", "Quayside Lifeguards"],
        "region": "South East",
        "theme": "shared_estates",
        "status": "operational",
        "start_year": 2015,
        "summary": "Crews from both services share the Quayside station and its boats.",
        "outcomes": None,
        "savings_gbp": None,
        "barriers": [],
        "source_url": "https://example.org",
    }
    row.update(fields)
    return json.dumps(row)


RECORDS = "\n".join(
    [
        record("P101", "Kent harbour police and fire station"),
        record(
            "P102",
            "Quayside joint boat workshop",
            start_year=2017,
            outcomes="The workshop saved £120,000 in its first year.",
            barriers=["union concerns about shared rotas"],
        ),
        record("P103", "Essex estuary rescue pilot", status="pilot", region="East of England"),
        record("P104", "Northport shared training yard", start_year=None, services=["fire"]),
    ]
)


def corpus_folder(root: Path, extra: bool = False) -> Path:
    (root / "reports").mkdir(parents=True, exist_ok=True)
    (root / "records").mkdir(exist_ok=True)
    (root / "reports" / "harbour-review.md").write_text(HARBOUR)
    (root / "records" / "harbour-projects.jsonl").write_text(RECORDS + "\n")
    if extra:
        (root / "reports" / "safety-clinics.md").write_text(CLINICS)
    return root


def chunks_of(root: Path, data: Path, embedder: Embedder) -> list[Chunk]:
    settings = Settings(data_dir=data, corpus_dir=root)
    store = open_store(settings)
    report = ingest([root], store, embedder, settings)
    assert not report.failed, report.failed
    return list(store.iter_chunks())


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> list[Chunk]:
    root = corpus_folder(tmp_path_factory.mktemp("harbour"))
    return chunks_of(root, tmp_path_factory.mktemp("harbour-store"), embedder)


@pytest.fixture(scope="module")
def rows(small: list[Chunk]) -> list[dict]:  # type: ignore[type-arg]
    return generate(small)


def words_in(term: str, texts: list[str]) -> bool:
    pattern = re.compile(r"(?<!\w)" + re.escape(term.casefold()) + r"(?!\w)")
    return any(pattern.search(t.casefold()) for t in texts)


def test_the_same_store_gives_the_same_rows_and_another_seed_other_wordings(
    small: list[Chunk], rows: list[dict]
) -> None:
    assert generate(list(reversed(small))) == rows
    reworded = generate(small, seed=99)
    assert {r["split"] for r in reworded} == {r["split"] for r in rows}
    assert [r["question"] for r in reworded] != [r["question"] for r in rows]


def test_every_expected_status_is_made(rows: list[dict]) -> None:
    made = Counter(r["expected_status"] for r in rows)
    assert set(made) == {"answered", "partial", "not_covered", "out_of_remit", "refused"}
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["question"].casefold() for r in rows}) == len(rows)


def test_a_question_sits_in_the_split_of_the_source_it_was_built_from(rows: list[dict]) -> None:
    for r in rows:
        assert r["split"] == split_of(r["source"])
        for item in r["must_cite"]:
            assert split_of(item) == r["split"], r  # no question leans on the other split
    # The hash never depends on the seed or on what else is in the store.
    assert [split_of(k) for k in ("P001", "P002", "P003", "national-overview-2016")] == [
        split_of("P001"),
        split_of("P002"),
        split_of("P003"),
        split_of("national-overview-2016"),
    ]
    assert {split_of(f"P{n:03d}") for n in range(1, 60)} == {"tune", "test"}


def test_adding_a_document_moves_nothing_already_generated(
    tmp_path: Path, embedder: Embedder, rows: list[dict]
) -> None:
    root = corpus_folder(tmp_path / "corpus", extra=True)
    grown = generate(chunks_of(root, tmp_path / "data", embedder))
    own = {r["id"]: r for r in grown}
    # Questions built from a document or record alone are kept word for word, in their split.
    for r in rows:
        if r["rule"].startswith(("sentence.", "record.", "table.", "list.")):
            assert own.get(r["id"]) == r
    assert any(r["source"] == "safety-clinics" for r in grown)


def test_answerable_questions_cite_evidence_holding_every_key_fact(
    small: list[Chunk], rows: list[dict]
) -> None:
    texts: dict[str, list[str]] = {}
    for c in small:
        for item in evidence_ids(c.source, c.record_id):
            texts.setdefault(item, []).append(c.text)
    for r in rows:
        if r["expected_status"] in ("answered", "partial"):
            assert r["must_cite"] and r["key_facts"], r
            for fact in r["key_facts"]:
                assert any(fact_present(fact, t) for m in r["must_cite"] for t in texts[m]), r
        else:
            assert r["must_cite"] == [] and r["key_facts"] == [], r


def test_near_miss_constraints_stand_nowhere_in_the_store(
    small: list[Chunk], rows: list[dict]
) -> None:
    texts = [" ".join(filter(None, (c.title, c.section, c.text))) for c in small]
    misses = [r for r in rows if r["kind"] == "near_miss"]
    rules = {r["rule"] for r in misses}
    assert {"nearmiss.place_swap", "nearmiss.year_swap", "nearmiss.no_such_programme"} <= rules
    assert {"nearmiss.body_swap", "nearmiss.service_swap", "nearmiss.missing_money"} <= rules
    for r in misses:
        if r["rule"].startswith("nearmiss.missing_"):
            continue
        assert r["missing"], r
        for term in r["missing"]:
            assert not words_in(term.removeprefix("the "), texts), r
            assert term.casefold() in r["question"].casefold(), r
    # A figure no passage about the record gives: P103 and P104 state no sum of money; P102 does;
    # P101 does not, but a passage holding most of its title's words ("Kent", "harbour", "fire",
    # "station") does, so asking for its cost is not safely unanswerable.
    money = {r["source"] for r in misses if r["rule"] == "nearmiss.missing_money"}
    assert money == {"P103", "P104"}


def test_partial_questions_give_one_part_and_name_the_missing_one(rows: list[dict]) -> None:
    partial = [r for r in rows if r["expected_status"] == "partial"]
    assert partial
    for r in partial:
        assert r["missing"] and len(r["must_cite"]) == 1 and len(r["key_facts"]) == 1
        assert r["question"].count("?") == 1 and ", and " in r["question"]


def test_questions_read_as_typed_questions_not_fragments(rows: list[dict]) -> None:
    for r in rows:
        q = r["question"]
        assert q[:1].isupper(), q
        assert q.endswith(("?", ".")), q
        assert "  " not in q and " ," not in q and "{" not in q, q
    sentence = [r for r in rows if r["rule"] == "sentence.date"]
    assert any(
        r["question"] in ("When was the Northport Harbour Board set up?",)
        or "When did the Northport Harbour Board open a joint control room" in r["question"]
        or "when the Northport Harbour Board opened a joint control room" in r["question"]
        for r in sentence
    ), [r["question"] for r in sentence]
    lists = [r for r in rows if r["rule"] == "list.items"]
    assert lists and lists[0]["key_facts"] == ["Shared training", "Common radio", "Clear lead"]


def test_a_clause_becomes_a_direct_question_with_do_support_or_inversion() -> None:
    known = {"move", "open", "launch", "agree", "plan"}.__contains__
    asked = direct(
        "When", "Kent Fire and Rescue Service moved its control staff into the control room", known
    )
    assert (
        asked
        == "When did Kent Fire and Rescue Service move its control staff into the control room?"
    )
    assert direct("When", "the group was set up", known) == "When was the group set up?"
    assert direct("When", "in the first year the teams added value", known) is None
    assert question("How much", "was secured from the fund", known, random.Random(1), True) == (
        "How much was secured from the fund?"
    )
    # Where no direct form is safe the question is asked indirectly, never ungrammatically.
    indirect = question("when", "the crews zorbled the boats", known, random.Random(0))
    assert indirect.endswith("when the crews zorbled the boats?") or indirect.endswith(
        "when the crews zorbled the boats."
    )
    assert base_form("planned", known) == "plan"
    assert base_form("agreed", known) == "agree"
    assert base_form("launched", known) == "launch"
    assert base_form("zorbled", known) is None  # never guessed: the question is asked indirectly


def test_files_are_written_per_split_and_load_as_datasets(tmp_path: Path, rows: list[dict]) -> None:
    tune, test = write(rows, tmp_path, "harbour")
    loaded = load_dataset(tune) + load_dataset(test)
    assert len(loaded) == len(rows)
    assert {q.split for q in load_dataset(tune)} == {"tune"}
    assert {q.split for q in load_dataset(test)} == {"test"}


@pytest.mark.slow
def test_the_shipped_sets_are_what_the_generator_makes_from_the_corpus(
    corpus_settings: Settings, tmp_path: Path
) -> None:
    chunks = list(open_store(corpus_settings).iter_chunks())
    rows = generate(chunks)
    texts: dict[str, list[str]] = {}
    for c in chunks:
        for item in evidence_ids(c.source, c.record_id):
            texts.setdefault(item, []).append(c.text)
    for r in rows:
        for fact in r["key_facts"]:
            assert any(fact_present(fact, t) for m in r["must_cite"] for t in texts[m]), r
    made = Counter(r["expected_status"] for r in rows)
    assert made["answered"] >= 1000 and made["not_covered"] >= 1000, made
    assert made["partial"] and made["out_of_remit"] and made["refused"], made
    write(rows, tmp_path, "generated")
    for split in ("tune", "test"):
        fresh = (tmp_path / f"generated-{split}.jsonl").read_text()
        shipped = DATASETS / f"generated-{split}.jsonl"
        assert fresh == shipped.read_text(), (
            f"{shipped.name} is stale: run `python -m evals.generate` over the corpus store"
        )


def test_generation_needs_nothing_but_chunks(tmp_path: Path) -> None:
    """A store of one text chunk still gives the requests that need no evidence."""
    chunk = Chunk("c1", "d1", "h", 0, "Nothing here.", "notes.txt", "Notes", "text")
    made = Counter(r["expected_status"] for r in generate([chunk]))
    assert made["out_of_remit"] > 0 and made["answered"] == 0

"""The tutorial baseline: raw text, 1,000-character chunks, dense search, top 4."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.retrieval.embedder import Embedder
from evals.baseline import (
    CHUNK_SIZE,
    TOP_K,
    baseline_index,
    baseline_rankings,
    chunk_corpus,
    evidence_of,
    raw_text,
)
from evals.dataset import Question

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_a_records_chunk_stands_for_its_file_and_every_record_id_it_shows() -> None:
    text = '{"id": "P020", "title": "x"}\n{"id": "P021", "title": "y", "see": "P1234"}'
    assert evidence_of(Path("records/projects.jsonl"), text) == {"projects", "P020", "P021"}
    assert evidence_of(Path("records/projects.csv"), "P007,Lincolnshire") == {"projects", "P007"}


def test_a_report_chunk_stands_for_its_stem_only_even_when_it_names_records() -> None:
    path = Path("reports/demand-management-and-rationalisation.pdf")
    assert evidence_of(path, "Gwent (P020)") == {"demand-management-and-rationalisation"}


def test_pdf_text_is_pypdf_extraction_of_every_page() -> None:
    text = raw_text(CORPUS / "reports" / "national-overview-2016.pdf")
    assert "Phillip Seccombe" in text
    assert "bluelight corpus | national-overview-2016 | Page" in text  # footers are kept


def test_chunks_are_at_most_a_thousand_characters_from_every_shipped_file() -> None:
    chunks = chunk_corpus(CORPUS)
    assert max(len(c.text) for c in chunks) <= CHUNK_SIZE
    sources = {c.source for c in chunks}
    assert "seed/lga-escwg-paper.txt" in sources
    assert {"records/projects.jsonl", "records/projects.csv"} <= sources
    assert sum(s.startswith("reports/") for s in sources) == 11


@pytest.mark.slow
def test_baseline_returns_the_top_four_by_dense_search(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "seed").mkdir(parents=True)
    shutil.copy(CORPUS / "seed" / "lga-escwg-paper.txt", corpus / "seed")
    with baseline_index(corpus, embedder) as index:
        found = index.search("Who represents the LGA on the working group?")
    assert len(found) == TOP_K
    assert all(c.evidence == {"lga-escwg-paper"} for c in found)
    assert any("Nick Chard" in c.text for c in found)

    questions = [
        Question("a", "Who represents the LGA?", "", ("lga-escwg-paper",), (), "factual"),
        Question("o", "Price of a fire engine?", "", (), (), "out_of_scope"),
    ]
    rankings = baseline_rankings(questions, corpus, embedder)
    assert rankings == {"a": [["lga-escwg-paper"]] * TOP_K}

"""The shipped corpus goes in whole: every report with its pages, every record, the paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import open_store
from assistant.settings import MODEL_MAX_TOKENS, Settings
from ingest.load import embed_inputs, load
from tests.conftest import CORPUS

REPORTS = sorted((CORPUS / "reports").glob("*.pdf"))


def test_corpus_has_every_report_the_records_and_the_paper(corpus_settings: Settings) -> None:
    manifest = open_store(corpus_settings).manifest()
    sources = {d.source: d for d in manifest.values()}
    for pdf in REPORTS:
        doc = sources[f"reports/{pdf.name}"]
        assert doc.doc_type == "report"
        assert doc.pages == len(PdfReader(pdf).pages)
        assert doc.chunks > doc.pages
    assert len(REPORTS) == 11
    assert sources["seed/lga-escwg-paper.txt"].doc_type == "text"
    records = [d for d in manifest.values() if d.doc_type == "project"]
    assert sum(d.records or 0 for d in records) == 88


def test_every_project_record_is_stored_once_with_its_fields(corpus_settings: Settings) -> None:
    store = open_store(corpus_settings)
    records = [c for c in store.iter_chunks() if c.record_id]
    ids = [c.record_id for c in records]
    assert len(ids) == len(set(ids)) == 88
    p001 = next(c for c in records if c.record_id == "P001")
    assert p001.region == "North West"
    assert p001.theme == "co_responding"
    assert set(p001.services) == {"fire", "ambulance"}
    assert p001.status == "operational"
    assert p001.year == 2015
    assert "£5.2 million" in p001.text


def test_report_chunks_carry_page_and_section_without_running_header_or_footer(
    corpus_settings: Settings,
) -> None:
    chunks = [c for c in open_store(corpus_settings).iter_chunks() if c.doc_type == "report"]
    assert all(c.page is not None and c.page >= 1 for c in chunks)
    assert not [c for c in chunks if "bluelight corpus |" in c.text]
    body = [c for c in chunks if c.page and c.page > 1]
    assert sum(1 for c in body if c.section) / len(body) > 0.95
    # A sentence from page 3 of the demand report is cited on page 3.
    hit = [c for c in chunks if "Bedfordshire, from 31 March 2016" in c.text]
    assert hit and hit[0].page == 3 and hit[0].section == "4. Sudden deaths"


def test_table_rows_stay_with_their_header_row(corpus_settings: Settings) -> None:
    chunks = [c for c in open_store(corpus_settings).iter_chunks() if c.doc_type == "report"]
    rows = [c for c in chunks if "Launched | 1 July 2016 (pilot)" in c.text]
    assert rows, "the joint response unit table row was not found"
    header = "Feature | Gwent Police and Welsh Ambulance Service | Kent Police and South East"
    for chunk in rows:
        lines = chunk.text.splitlines()
        row = next(i for i, ln in enumerate(lines) if ln.startswith("Launched | "))
        assert any(ln.startswith(header) for ln in lines[:row])
    # Every chunk holding a later row of that table starts its rows with the header again.
    later = [c for c in chunks if "Early results | In the first month" in c.text]
    assert later and all(header in c.text for c in later)


@pytest.mark.parametrize("pdf", REPORTS[:4], ids=lambda p: p.stem)
def test_every_chunk_fits_the_model_budget(
    pdf: Path, settings: Settings, embedder: Embedder
) -> None:
    doc, _ = load(pdf.read_bytes(), f"reports/{pdf.name}", settings, embedder.token_counts)
    counts = embedder.token_counts(embed_inputs(doc))
    assert max(counts) + 2 <= MODEL_MAX_TOKENS


def test_records_fit_the_model_budget(settings: Settings, embedder: Embedder) -> None:
    data = (CORPUS / "records" / "projects.jsonl").read_bytes()
    doc, _ = load(data, "records/projects.jsonl", settings, embedder.token_counts)
    texts = embed_inputs(doc)  # each record's chunk, then any further texts of the document
    over = [
        t[:60]
        for t, n in zip(texts, embedder.token_counts(texts), strict=True)
        if n + 2 > MODEL_MAX_TOKENS
    ]
    assert not over, f"records longer than the model reads: {over}"


def test_jsonl_and_csv_records_load_to_the_same_text(
    settings: Settings, embedder: Embedder
) -> None:
    jsonl, _ = load(
        (CORPUS / "records/projects.jsonl").read_bytes(), "a.jsonl", settings, embedder.token_counts
    )
    csv, _ = load(
        (CORPUS / "records/projects.csv").read_bytes(), "a.csv", settings, embedder.token_counts
    )
    assert [c.text for c in jsonl.chunks] == [c.text for c in csv.chunks]
    assert [c.record_id for c in csv.chunks] == [f"P{i:03d}" for i in range(1, 89)]


def test_chunk_ids_are_stable_for_the_same_content(settings: Settings, embedder: Embedder) -> None:
    pdf = REPORTS[0]
    first, _ = load(pdf.read_bytes(), "reports/x.pdf", settings, embedder.token_counts)
    second, _ = load(pdf.read_bytes(), "reports/x.pdf", settings, embedder.token_counts)
    assert [c.chunk_id for c in first.chunks] == [c.chunk_id for c in second.chunks]
    assert len({c.chunk_id for c in first.chunks}) == len(first.chunks)

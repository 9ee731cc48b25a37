"""Documents past the page or chunk limit in settings are refused with the limit named."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from ingest import ingest
from tests.conftest import CORPUS

REPORT = CORPUS / "reports" / "current-picture-2014.pdf"


def test_a_pdf_over_the_page_limit_is_refused_naming_the_setting(
    settings: Settings, store: Store, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = len(PdfReader(REPORT).pages)
    monkeypatch.setenv("BLUELIGHT_MAX_PAGES", str(pages - 1))
    capped = Settings(data_dir=settings.data_dir, corpus_dir=CORPUS)

    report = ingest([REPORT], store, embedder, capped)

    assert report.failed == [
        f"reports/{REPORT.name}: {pages} pages, more than the {pages - 1} one document may have "
        "(BLUELIGHT_MAX_PAGES); split the file or raise the limit"
    ]
    assert not store.manifest()
    assert ingest([REPORT], store, embedder, settings).added == [f"reports/{REPORT.name}"]


def test_a_document_over_the_chunk_limit_is_refused_and_nothing_is_stored(
    tmp_path: Path,
    settings: Settings,
    store: Store,
    embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = tmp_path / "projects.jsonl"
    lines = (CORPUS / "records" / "projects.jsonl").read_text().splitlines(keepends=True)
    records.write_text("".join(lines[:3]))
    paper = CORPUS / "seed" / "lga-escwg-paper.txt"
    monkeypatch.setenv("BLUELIGHT_MAX_CHUNKS_PER_DOCUMENT", "2")
    capped = Settings(data_dir=settings.data_dir, corpus_dir=CORPUS)

    report = ingest([records, paper], store, embedder, capped)

    assert not report.added and len(report.failed) == 2
    assert report.failed[0] == (
        f"{records.as_posix()}: 3 chunks, more than the 2 one document may have "
        "(BLUELIGHT_MAX_CHUNKS_PER_DOCUMENT); split the file or raise the limit"
    )
    assert report.failed[1].startswith("seed/lga-escwg-paper.txt: ")
    assert "more than the 2 one document may have" in report.failed[1]
    assert store.count() == 0

"""Re-running ingest: unchanged files cost no embedding, changed files replace, gone files prune."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from ingest.run import ingest
from tests.conftest import CORPUS
from tests.ingest.helpers import CountingEmbedder, snapshot


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small corpus of its own: two reports, the paper and the records."""
    root = tmp_path / "docs"
    (root / "reports").mkdir(parents=True)
    for name in ("national-overview-2016.pdf", "current-picture-2014.pdf"):
        shutil.copy(CORPUS / "reports" / name, root / "reports" / name)
    shutil.copy(CORPUS / "seed" / "lga-escwg-paper.txt", root / "paper.txt")
    shutil.copy(CORPUS / "records" / "projects.jsonl", root / "projects.jsonl")
    return root


def test_unchanged_files_are_not_reembedded(
    folder: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    counting = CountingEmbedder(embedder)
    first = ingest([folder], store, counting, settings)
    assert len(first.added) == 4 and not first.failed
    assert counting.embedded >= first.chunks_written > 0  # chunks, and any sentences of theirs
    before = snapshot(store)

    counting.embedded = 0
    second = ingest([folder], store, counting, settings)
    assert counting.embedded == 0
    assert len(second.unchanged) == 4 and not (second.added or second.updated)
    assert snapshot(store) == before


def test_a_changed_file_replaces_its_chunks(
    folder: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    ingest([folder], store, embedder, settings)
    paper = folder / "paper.txt"
    name = paper.as_posix()
    old = {c.chunk_id for c in store.iter_chunks() if c.source.endswith("paper.txt")}
    paper.write_text(paper.read_text() + "\n\nA new closing paragraph about Zebrafield.\n")

    report = ingest([folder], store, embedder, settings)
    assert report.updated == [name] and len(report.unchanged) == 3
    new = [c for c in store.iter_chunks() if c.source.endswith("paper.txt")]
    assert {c.chunk_id for c in new}.isdisjoint(old)
    assert any("Zebrafield" in c.text for c in new)
    rows = store.chunks.get(where={"source": name})["ids"]
    assert sorted(rows) == sorted(c.chunk_id for c in new), "old chunks left behind"


def test_prune_removes_documents_whose_files_are_gone(
    folder: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    ingest([folder], store, embedder, settings)
    (folder / "paper.txt").unlink()
    name = (folder / "paper.txt").as_posix()

    kept = ingest([folder], store, embedder, settings)
    assert not kept.removed and any(d.source == name for d in store.manifest().values())

    dry = ingest([folder], store, embedder, settings, prune=True, dry_run=True)
    assert dry.removed == [name]
    assert any(d.source == name for d in store.manifest().values())

    pruned = ingest([folder], store, embedder, settings, prune=True)
    assert pruned.removed == [name]
    assert all(d.source != name for d in store.manifest().values())
    assert not store.chunks.get(where={"source": name})["ids"]


def test_dry_run_reports_changes_and_writes_nothing(
    folder: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    report = ingest([folder], store, embedder, settings, dry_run=True)
    assert len(report.added) == 4
    assert store.count() == 0 and not store.manifest()


def test_the_same_record_in_two_files_is_stored_once(
    folder: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    shutil.copy(CORPUS / "records" / "projects.csv", folder / "projects.csv")
    report = ingest([folder], store, embedder, settings)
    assert any("already stored" in n for n in report.notes)
    ids = [c.record_id for c in store.iter_chunks() if c.record_id]
    assert len(ids) == len(set(ids)) == 88

"""Each stored chunk and manifest entry says where its document came from, who added it, when."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.errors import BadInput, DocumentRefused
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from ingest import ingest, write_document
from ingest.load import load
from tests.conftest import CORPUS

NOTE = "# Ashdown\n\nThe Ashdown tri-service hub opened in 2019 with a shared control room.\n"


def _provenance(store: Store) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for chunk in store.iter_chunks():
        found.setdefault(chunk.source, set()).add(chunk.provenance)
    return found


def test_corpus_files_are_shipped_and_other_files_operator(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    corpus = tmp_path / "corpus"
    (corpus / "seed").mkdir(parents=True)
    (corpus / "seed" / "hub.md").write_text(NOTE.replace("2019", "2020"))
    settings = Settings(data_dir=settings.data_dir, corpus_dir=corpus)

    started = time.time()
    report = ingest([note, corpus], store, embedder, settings)

    assert sorted(report.added) == sorted([note.as_posix(), "seed/hub.md"])
    assert _provenance(store) == {note.as_posix(): {"operator"}, "seed/hub.md": {"shipped"}}
    manifest = {d.source: d for d in store.manifest().values()}
    assert manifest[note.as_posix()].provenance == "operator"
    assert manifest["seed/hub.md"].provenance == "shipped"
    assert all(d.added_by == "" and d.added_at >= started for d in manifest.values())


def test_an_update_keeps_when_the_document_was_first_added(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    ingest([note], store, embedder, settings)
    first = next(iter(store.manifest().values()))

    note.write_text(NOTE + "\nIt closed for a refit in 2024.\n")
    assert ingest([note], store, embedder, settings).updated == [note.as_posix()]

    again = next(iter(store.manifest().values()))
    assert again.added_at == first.added_at and again.ingested_at > first.ingested_at


def test_an_upload_is_stored_with_its_provenance_and_who_added_it(
    store: Store, settings: Settings, embedder: Embedder
) -> None:
    doc, _ = load(NOTE.encode(), "uploads/ashdown.md", settings, embedder.token_counts)

    notes = write_document(
        doc, store, embedder, origin="upload", provenance="upload", added_by="key:ops-team"
    )

    assert notes == []
    entry = store.manifest()[doc.doc_id]
    assert (entry.provenance, entry.added_by, entry.origin) == ("upload", "key:ops-team", "upload")
    assert _provenance(store) == {"uploads/ashdown.md": {"upload"}}
    with pytest.raises(BadInput, match="provenance 'web' is not one of shipped, operator, upload"):
        write_document(doc, store, embedder, provenance="web")


def test_an_upload_of_records_all_held_already_is_refused_as_a_duplicate(
    store: Store, settings: Settings, embedder: Embedder
) -> None:
    lines = (CORPUS / "records" / "projects.jsonl").read_bytes().splitlines(keepends=True)[:2]
    held, _ = load(b"".join(lines), "uploads/a.jsonl", settings, embedder.token_counts)
    write_document(held, store, embedder, provenance="upload")
    again, _ = load(b"".join(lines), "uploads/b.jsonl", settings, embedder.token_counts)

    with pytest.raises(DocumentRefused) as refused:
        write_document(again, store, embedder, provenance="upload")

    assert refused.value.message == (
        "uploads/b.jsonl: every record (2) is already stored from uploads/a.jsonl; not stored again"
    )
    assert [d.source for d in store.manifest().values()] == ["uploads/a.jsonl"]

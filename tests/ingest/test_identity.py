"""A file is one document however its path was spelt; the same content is stored once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from assistant.types import Chunk, Document
from ingest import evidence_files, ingest
from ingest.load import embed_inputs
from tests.conftest import CORPUS

NOTE = "# Ashdown hub\n\nThe Ashdown tri-service hub opened in 2019 with a shared control room.\n"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "work" / "notes"
    folder.mkdir(parents=True)
    (folder / "ashdown.md").write_text(NOTE)
    return folder


def test_a_file_by_its_folder_its_parent_or_its_own_path_is_one_document(
    notes: Path,
    store: Store,
    settings: Settings,
    embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = notes / "ashdown.md"
    first = ingest([notes], store, embedder, settings)
    assert first.added == [file.as_posix()]

    monkeypatch.chdir(notes.parent)
    for spelling in ([notes.parent], [Path("notes/ashdown.md")], [Path("./notes/../notes")]):
        again = ingest(spelling, store, embedder, settings, prune=True)
        assert again.unchanged == [file.as_posix()], spelling
        assert not (again.added or again.removed or again.failed), spelling
    assert [d.source for d in store.manifest().values()] == [file.as_posix()]


def test_files_under_the_corpus_folder_are_named_relative_to_it_from_any_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS.parent)
    relative = [f.source for f in evidence_files([Path("corpus/seed")], Path("corpus"))]
    monkeypatch.chdir(tmp_path)
    absolute = [f.source for f in evidence_files([CORPUS / "seed"], CORPUS)]
    assert relative == absolute == ["seed/lga-escwg-paper.txt"]
    assert Settings(corpus_dir=Path("corpus")).corpus_dir == tmp_path.resolve() / "corpus"


def test_an_entry_stored_under_an_earlier_spelling_is_replaced_not_kept_beside(
    notes: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    file = notes / "ashdown.md"
    # What earlier versions stored: the same file named by the folder it was reached through.
    text, source = "The Ashdown hub opened.", "notes/ashdown.md"
    chunk = Chunk("old:h:00000", "old", "h", 0, text, source, "Ashdown", "text")
    old = Document("old", "h", source, "Ashdown", "text", [chunk])
    store.write(old, embedder.embed_array(embed_inputs(old)), origin=str(file))

    report = ingest([notes], store, embedder, settings)

    assert report.added == [file.as_posix()] and report.removed == ["notes/ashdown.md"]
    assert any("same file is stored as" in n for n in report.notes)
    assert [d.source for d in store.manifest().values()] == [file.as_posix()]
    assert {c.source for c in store.iter_chunks()} == {file.as_posix()}


def test_identical_content_under_two_names_is_stored_once_with_a_note(
    notes: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    copy = notes / "copy-of-ashdown.md"
    shutil.copy(notes / "ashdown.md", copy)

    report = ingest([notes], store, embedder, settings)
    original = (notes / "ashdown.md").as_posix()
    assert report.added == [original] and report.duplicates == [copy.as_posix()]
    assert f"{copy.as_posix()}: same content as {original}; stored once, as {original}" in (
        report.notes
    )
    assert [d.source for d in store.manifest().values()] == [original]

    # Once the first copy is gone, the second is what holds that content.
    (notes / "ashdown.md").unlink()
    after = ingest([notes], store, embedder, settings, prune=True)
    assert after.added == [copy.as_posix()] and after.removed == [original]
    assert [d.source for d in store.manifest().values()] == [copy.as_posix()]


def test_records_all_held_by_another_file_are_a_duplicate_not_an_empty_document(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    csv = (CORPUS / "records" / "projects.csv").read_text().splitlines(keepends=True)
    jsonl = (CORPUS / "records" / "projects.jsonl").read_text().splitlines(keepends=True)
    (folder / "projects.csv").write_text("".join(csv[:4]))  # header and three records
    (folder / "projects.jsonl").write_text("".join(jsonl[:3]))  # the same three records

    first = ingest([folder], store, embedder, settings)
    rerun = ingest([folder], store, embedder, settings)

    held = (folder / "projects.jsonl").as_posix()
    for report in (first, rerun):
        assert report.duplicates == [held] and not report.failed
        assert any(
            n.startswith(f"{held}: every record (3) is already stored from ") for n in report.notes
        )
    assert first.added == [(folder / "projects.csv").as_posix()]
    assert rerun.unchanged == first.added and rerun.chunks_written == 0
    manifest = store.manifest().values()
    assert [(d.source, d.records) for d in manifest] == [((folder / "projects.csv").as_posix(), 3)]
    assert sorted(c.record_id for c in store.iter_chunks()) == ["P001", "P002", "P003"]


def test_the_shipped_corpus_lists_no_empty_document(corpus_settings: Settings) -> None:
    from assistant.retrieval.store import open_store

    manifest = open_store(corpus_settings).manifest().values()
    assert all(d.chunks > 0 for d in manifest)
    assert "records/projects.jsonl" not in {d.source for d in manifest}

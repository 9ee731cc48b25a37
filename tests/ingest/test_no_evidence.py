"""A file that yields no evidence is refused with its reason; a folder's own documentation is
skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from assistant.types import Chunk, Document
from ingest import ingest
from ingest.load import embed_inputs
from tests.conftest import CORPUS

HUB = "The Ashdown tri-service hub opened in 2019 with a shared control room.\n"


def test_a_header_only_csv_and_a_headings_only_note_are_refused_not_added_empty(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    header = (CORPUS / "records" / "projects.csv").read_text().splitlines()[0]
    (tmp_path / "projects.csv").write_text(header + "\n")
    (tmp_path / "outline.md").write_text("# Outline\n\n## Part one\n\n## Part two\n")

    report = ingest([tmp_path], store, embedder, settings)

    assert not report.added
    assert sorted(report.failed) == [
        f"{(tmp_path / 'outline.md').as_posix()}: no text to index (headings at most)",
        f"{(tmp_path / 'projects.csv').as_posix()}: no project records in the file, only its "
        "header row",
    ]
    assert not store.manifest() and store.count() == 0


def test_documentation_files_of_a_folder_are_skipped_with_a_note(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    folder = tmp_path / "evidence"
    (folder / "reports").mkdir(parents=True)
    (folder / "hub.txt").write_text(HUB)
    (folder / "README.md").write_text("# About\n\nThese notes were collected in 2024.\n")
    (folder / "LICENSE.txt").write_text("Open Government Licence v3.0, reproduced in full here.\n")
    (folder / "reports" / "changelog.md").write_text("# Changes\n\nAdded the hub note today.\n")

    report = ingest([folder], store, embedder, settings)

    assert report.added == [(folder / "hub.txt").as_posix()] and not report.failed
    for name in ("LICENSE.txt", "README.md", "reports/changelog.md"):
        note = (
            f"{(folder / name).as_posix()}: skipped, a folder's documentation file is not "
            "evidence (name the file itself to ingest it)"
        )
        assert note in report.notes
    # Named on its own, such a file is read: the operator asked for it.
    named = ingest([folder / "README.md"], store, embedder, settings)
    assert named.added == [(folder / "README.md").as_posix()]


def test_the_shipped_readme_is_not_evidence_and_prune_removes_a_stored_copy(
    tmp_path: Path, store: Store, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "seed").mkdir(parents=True)
    shutil.copy(CORPUS / "README.md", corpus / "README.md")
    (corpus / "seed" / "hub.txt").write_text(HUB)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    # What earlier versions stored: the corpus README, as if it were evidence.
    chunk = Chunk("readme:h:00000", "readme", "h", 0, "# bluelight corpus", "README.md", "", "")
    readme = Document("readme", "h", "README.md", "bluelight corpus", "text", [chunk])
    vectors = embedder.embed_array(embed_inputs(readme))
    store.write(readme, vectors, origin=str(corpus / "README.md"))

    kept = ingest([corpus], store, embedder, settings)
    assert kept.added == ["seed/hub.txt"] and not kept.removed
    pruned = ingest([corpus], store, embedder, settings, prune=True)

    assert pruned.removed == ["README.md"]
    assert "README.md: removed, it is a documentation file, not evidence" in pruned.notes
    assert [d.source for d in store.manifest().values()] == ["seed/hub.txt"]

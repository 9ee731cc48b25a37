"""With a Chroma server named in settings, ingest writes to it and reads back the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import open_store
from ingest.run import ingest
from tests.conftest import CORPUS, ChromaServer


@pytest.mark.server
def test_server_mode_ingests_and_reads_back(
    chroma_server: ChromaServer, tmp_path: Path, embedder: Embedder
) -> None:
    settings = chroma_server.settings(tmp_path / "data")
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / "reports" / "current-picture-2014.pdf", folder)
    shutil.copy(CORPUS / "records" / "projects.jsonl", folder)

    store = open_store(settings)
    report = ingest([folder], store, embedder, settings)
    assert len(report.added) == 2 and not report.failed
    assert not (tmp_path / "data" / "chroma").exists(), "wrote to an embedded store"

    again = open_store(settings)
    manifest = {d.source: d for d in again.manifest().values()}
    assert manifest[(folder / "projects.jsonl").as_posix()].records == 88
    assert again.count() == sum(d.chunks for d in manifest.values())
    best_id, _ = again.nearest(embedder.embed_query("Fire Transformation Fund 2014"), 3)[0]
    (best,) = again.get([best_id])
    assert best.source == (folder / "current-picture-2014.pdf").as_posix()

    rerun = ingest([folder], again, embedder, settings)
    assert len(rerun.unchanged) == 2 and rerun.chunks_written == 0

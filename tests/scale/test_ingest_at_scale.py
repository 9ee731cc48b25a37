"""Ingest at scale: embedding batched across documents, sliced writes, devices, dry runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import ModelUnavailable
from assistant.retrieval.embedder import Embedder, check_device
from assistant.retrieval.store import Store, open_store
from assistant.settings import Settings
from assistant.types import Chunk, Document
from bluelight.cli import main
from ingest.run import ingest
from tests.conftest import CORPUS

# A small slice of the corpus of every kind: two reports, the seed paper and the records.
SAMPLE = [
    CORPUS / "reports" / "national-overview-2016.pdf",
    CORPUS / "reports" / "current-picture-2014.pdf",
    CORPUS / "seed" / "lga-escwg-paper.txt",
    CORPUS / "records" / "projects.csv",
]


class CountingEmbedder(Embedder):
    """The real model, counting how many times it is asked to embed."""

    def __init__(self, real: Embedder, batch_size: int) -> None:
        super().__init__(real.folder, real.device, batch_size)
        self.__dict__["model"] = real.model
        self.__dict__["tokenizer"] = real.tokenizer
        self.calls: list[int] = []

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return super().embed_array(texts)


def _snapshot(store: Store) -> dict[str, tuple[str, str, dict]]:
    """Every stored chunk: id -> (document hash, text, metadata)."""
    got = store.chunks.get(include=["documents", "metadatas"])
    return {
        cid: (meta["doc_hash"], text, meta)
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    }


def _notes(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"note-{i:02d}.md"
        path.write_text(
            f"# Station note {i}\n\nThe joint station at Exampleton number {i} shares a "
            f"kitchen, a gym and {i + 3} appliance bays between police and fire crews.\n"
        )
        paths.append(path)
    return paths


def test_small_documents_are_embedded_together_and_written_one_by_one(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    notes = _notes(tmp_path / "notes", 12)
    counting = CountingEmbedder(embedder, batch_size=4)
    store = open_store(settings)

    report = ingest([tmp_path / "notes"], store, counting, settings)

    assert len(report.added) == len(notes)
    assert len(counting.calls) < len(notes), "small documents share embedding calls"
    # Each chunk's vector and each of its sentences' vectors, in the same calls.
    assert report.chunks_written == store.count()
    assert sum(counting.calls) == store.count() + store.sentences.count()
    manifest = store.manifest()
    assert len(manifest) == len(notes)
    assert all(d.chunks >= 1 for d in manifest.values())


def test_records_already_stored_are_not_stored_twice_when_embedding_is_batched(
    settings: Settings, embedder: Embedder
) -> None:
    store = open_store(settings)
    files = [CORPUS / "records" / "projects.csv", CORPUS / "records" / "projects.jsonl"]

    report = ingest(files, store, embedder, settings)

    record_ids = [c.record_id for c in store.iter_chunks() if c.record_id]
    assert len(record_ids) == len(set(record_ids))
    assert any("already stored" in note for note in report.notes)


def test_large_document_is_written_in_slices(store: Store) -> None:
    chunks = [
        Chunk(f"big:h:{i:05d}", "big", "h", i, f"chunk {i}", "big.txt", "Big", "text")
        for i in range(25)
    ]
    doc = Document("big", "h", "big.txt", "Big", "text", chunks)
    vectors = np.random.default_rng(0).normal(size=(25, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    store.write(doc, vectors, batch=10)

    assert store.count() == 25
    assert store.manifest()["big"].chunks == 25
    assert [c.position for c in store.document_chunks("big")] == list(range(25))


def test_cuda_without_a_gpu_is_a_clear_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    with pytest.raises(ModelUnavailable, match="BLUELIGHT_DEVICE=cpu"):
        check_device("cuda")

    code = main(["ingest", "--device", "cuda", str(CORPUS / "seed")])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: embedding device 'cuda' is not available")
    assert "--device cpu" in err
    assert "Traceback" not in err


def test_unknown_device_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", "--device", "gpu", str(CORPUS / "seed")])

    assert code == 2
    assert "use one of cpu, cuda, cuda:N, mps" in capsys.readouterr().err


def test_dry_run_reports_what_would_change_and_writes_nothing(
    settings: Settings, embedder: Embedder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "notes"
    kept, changed, gone = _notes(folder, 3)
    store = open_store(settings)
    ingest([folder], store, embedder, settings)
    before = (_snapshot(store), store.manifest(), store.version())
    changed.write_text("# Station note\n\nThe joint station now has a shared control room.\n")
    gone.unlink()
    (folder / "new.md").write_text("# New note\n\nA new tri-service station opened.\n")

    code = main(["ingest", "--dry-run", "--prune", str(folder)])

    out = capsys.readouterr().out
    assert code == 0
    assert "would be added 1, would be updated 1, unchanged 1, duplicate 0," in out
    assert "would be removed 1" in out
    assert "0 chunks written" in out
    store = open_store(settings)
    assert (_snapshot(store), store.manifest(), store.version()) == before
    assert kept.exists()


def test_dry_run_on_an_empty_store_leaves_it_empty(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ingest", "--dry-run", *map(str, SAMPLE)])

    assert code == 0
    assert f"would be added {len(SAMPLE)}" in capsys.readouterr().out
    store = open_store(settings)
    assert store.count() == 0
    assert store.manifest() == {}


@pytest.mark.slow
def test_two_loader_workers_write_the_same_store_as_one(
    settings: Settings, embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = open_store(settings)
    report = ingest(SAMPLE, one, embedder, settings, workers=1)
    assert not report.failed

    parallel_dir = tmp_path / "parallel"
    monkeypatch.setenv("BLUELIGHT_DATA_DIR", str(parallel_dir))
    code = main(["ingest", "--workers", "2", *map(str, SAMPLE)])
    two = open_store(Settings(data_dir=parallel_dir, corpus_dir=CORPUS))

    assert code == 0
    assert _snapshot(two) == _snapshot(one)
    assert {k: v.doc_hash for k, v in two.manifest().items()} == {
        k: v.doc_hash for k, v in one.manifest().items()
    }

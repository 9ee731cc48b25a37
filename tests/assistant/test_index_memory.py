"""The sentence vectors are read from a memory-mapped file, not held in the process's heap, and
a snapshot built from them reads the same vector for every sentence as the store holds."""

from __future__ import annotations

import numpy as np

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.index import Indexes
from assistant.retrieval.store import Store
from assistant.settings import Settings
from ingest.run import ingest
from tests.conftest import CORPUS


def test_sentence_vectors_are_memory_mapped_and_match_the_store(
    store: Store, settings: Settings, embedder: Embedder
) -> None:
    report = ingest([CORPUS / "seed"], store, embedder, settings)
    assert report.added and not report.failed
    keys, matrix = store.sentence_vectors()
    assert isinstance(matrix, np.memmap)
    assert matrix.shape == (len(keys), 384)
    assert list((settings.data_dir / "index").iterdir()) == []  # unlinked once mapped

    stored = store.sentences.get(include=["metadatas", "documents", "embeddings"])
    expected = {
        (m["chunk_id"], text): np.asarray(vector, dtype=np.float32)
        for m, text, vector in zip(
            stored["metadatas"], stored["documents"], stored["embeddings"], strict=True
        )
    }
    assert len(keys) == len(expected)
    for row, key in enumerate(keys):
        assert np.array_equal(matrix[row], expected[key])

    snap = Indexes(store).current()
    assert isinstance(snap.sentence_matrix, np.memmap)
    chunk = snap.chunks[0]
    rows = list(snap.units(chunk).rows.values())
    assert rows, "the chunk's sentences have no vectors"
    vector = embedder.embed_query("joint working")
    scores = snap.sentence_matrix[rows] @ np.asarray(vector, dtype=np.float32)
    assert scores.shape == (len(rows),)

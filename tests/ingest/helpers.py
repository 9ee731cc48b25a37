"""Small helpers for ingest tests: a counting embedder and a snapshot of what a store holds."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store


class CountingEmbedder(Embedder):
    """The real model, counting how many texts it was asked to embed."""

    def __init__(self, real: Embedder) -> None:
        super().__init__(real.folder, real.device, real.batch_size)
        self.__dict__.update(
            {k: v for k, v in real.__dict__.items() if k in ("model", "tokenizer")}
        )
        self.embedded = 0

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += len(texts)
        return super().embed_array(texts)


def snapshot(store: Store) -> dict[str, object]:
    """Everything that identifies a store's content: every chunk row and every manifest entry."""
    rows = store.chunks.get(include=["documents", "metadatas"])
    chunks = {
        cid: (meta["doc_id"], meta["doc_hash"], hashlib.sha1(text.encode()).hexdigest())
        for cid, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
    }
    docs = {d.doc_id: (d.doc_hash, d.chunks, d.source) for d in store.manifest().values()}
    return {"chunks": chunks, "docs": docs}

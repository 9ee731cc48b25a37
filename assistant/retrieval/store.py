"""The Chroma store: chunks with vectors and metadata, plus a manifest that makes documents atomic.

A document's chunks are written first under ids that carry its content hash, then its manifest
entry is committed, then the previous version's chunks are deleted. Readers only trust chunks whose
(doc_id, doc_hash) matches a committed manifest entry, and `recover()` removes what an interrupted
write left behind, so a kill at any moment never leaves a half-written document visible.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import StoreUnavailable
from assistant.retrieval.sentences import quotable
from assistant.settings import Settings
from assistant.types import Chunk, Document

_VERSION_ID = "__version__"
_PENDING = "pending:"
_PAGE = 5000  # rows per get(); Chroma caps a single read
# Rows per upsert. On the 2-core dev machine 1k to 5k rows a call all wrote about 1,000 rows/s,
# embedded or through a server; Chroma refuses more than client.get_max_batch_size() (5,461).
WRITE_BATCH = 2000


@dataclass(frozen=True)
class DocRecord:
    """A committed document as the manifest holds it."""

    doc_id: str
    doc_hash: str
    source: str
    title: str
    doc_type: str
    chunks: int
    pages: int | None
    records: int | None
    ingested_at: float
    origin: str = ""
    # shipped | operator | upload (assistant.types.PROVENANCES), who added it where the caller
    # says, and when it was first stored: `ingested_at` moves with every new version.
    provenance: str = "operator"
    added_by: str = ""
    added_at: float = 0.0

    @classmethod
    def of(cls, meta: dict[str, Any]) -> DocRecord:
        return cls(
            doc_id=meta["doc_id"],
            doc_hash=meta["doc_hash"],
            source=meta["source"],
            title=meta.get("title", ""),
            doc_type=meta.get("doc_type", ""),
            chunks=int(meta.get("chunks", 0)),
            pages=meta.get("pages"),
            records=meta.get("records"),
            ingested_at=float(meta.get("ingested_at", 0.0)),
            origin=str(meta.get("origin", "")),
            provenance=str(meta.get("provenance", "operator")),
            added_by=str(meta.get("added_by", "")),
            # Entries written before added_at was kept: their version's time is the best known.
            added_at=float(meta.get("added_at", meta.get("ingested_at", 0.0))),
        )


class Store:
    """One Chroma collection of chunks and one of document manifests."""

    def __init__(self, client: Any, name: str, scratch: Path | None = None) -> None:
        self.client = client
        self.name = name
        # Where the sentence vectors are spilled to be memory-mapped (the system's temporary
        # folder when not given).
        self.scratch = scratch
        try:
            self.max_batch = int(client.get_max_batch_size())
            self.chunks = client.get_or_create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
            self.docs = client.get_or_create_collection(f"{name}_docs", embedding_function=None)
            # The quotable sentences, rows and lists of every chunk, each with its own vector.
            self.sentences = client.get_or_create_collection(
                f"{name}_sentences", embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        except Exception as exc:  # any client failure here means the store cannot be used
            raise StoreUnavailable(f"cannot open Chroma collection {name!r}: {exc}") from exc

    # -- reading -------------------------------------------------------------------------

    def manifest(self) -> dict[str, DocRecord]:
        """Committed documents by id."""
        got = self.docs.get(include=["metadatas"])
        out: dict[str, DocRecord] = {}
        for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
            if doc_id == _VERSION_ID or doc_id.startswith(_PENDING) or meta is None:
                continue
            out[doc_id] = DocRecord.of(meta)
        return out

    def version(self) -> str:
        """A token that changes whenever a document is committed or deleted."""
        got = self.docs.get(ids=[_VERSION_ID], include=["metadatas"])
        metas = got["metadatas"] or []
        return str(metas[0]["token"]) if metas else ""

    def count(self) -> int:
        return int(self.chunks.count())

    def iter_chunks(self, where: dict[str, Any] | None = None) -> Iterator[Chunk]:
        """Every committed chunk, page by page."""
        committed = {d.doc_id: d.doc_hash for d in self.manifest().values()}
        # A document's chunks repeat its source, title, hash and section: share one string each
        # rather than hold a copy per chunk (the lexical index keeps every chunk in memory).
        shared: dict[str, str] = {}
        offset = 0
        while True:
            got = self.chunks.get(
                where=where, include=["documents", "metadatas"], limit=_PAGE, offset=offset
            )
            ids = got["ids"]
            for cid, text, meta in zip(ids, got["documents"], got["metadatas"], strict=True):
                if committed.get(meta.get("doc_id")) == meta.get("doc_hash"):
                    meta = {
                        k: shared.setdefault(v, v) if isinstance(v, str) else v
                        for k, v in meta.items()
                    }
                    yield Chunk.from_store(cid, text, meta)
            if len(ids) < _PAGE:
                return
            offset += _PAGE

    def sentence_vectors(self) -> tuple[list[tuple[str, str]], np.ndarray]:
        """Every committed sentence as (chunk id, the text its vector was made from), with one
        float32 matrix of their vectors in the same order.

        The matrix is a read-only memory map of a file written page by page (unlinked at once,
        so it goes when the matrix does): at 100,000 chunks the vectors take hundreds of MB, and
        a question reads only the rows of the passages it weighs. Rows follow the store's order;
        readers find a row by its key, so the order never changes what is read.
        """
        committed = {d.doc_id: d.doc_hash for d in self.manifest().values()}
        keys: list[tuple[str, str]] = []
        dim = 0
        if self.scratch is not None:
            self.scratch.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="sentences-", suffix=".f32", dir=self.scratch)
        try:
            with os.fdopen(fd, "wb") as out:
                offset = 0
                while True:
                    got = self.sentences.get(
                        include=["metadatas", "documents", "embeddings"], limit=_PAGE, offset=offset
                    )
                    ids = got["ids"]
                    metas = got["metadatas"] or []
                    texts = got["documents"] or []
                    keep = [
                        i
                        for i, m in enumerate(metas)
                        if committed.get(m.get("doc_id")) == m.get("doc_hash")
                    ]
                    keys += [(str(metas[i]["chunk_id"]), texts[i]) for i in keep]
                    if keep:
                        page = np.asarray(got["embeddings"], dtype=np.float32)[keep]
                        dim = page.shape[1]
                        out.write(page.tobytes())
                    if len(ids) < _PAGE:
                        break
                    offset += _PAGE
            if not keys:
                return [], np.zeros((0, 0), dtype=np.float32)
            matrix = np.memmap(name, dtype=np.float32, mode="r", shape=(len(keys), dim))
        finally:
            os.unlink(name)
        return keys, matrix

    def get(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        if not chunk_ids:
            return []
        got = self.chunks.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        found = {
            cid: Chunk.from_store(cid, text, meta)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
        return [found[c] for c in chunk_ids if c in found]

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        chunks = list(self.iter_chunks(where={"doc_id": doc_id}))
        return sorted(chunks, key=lambda c: c.position)

    def neighbours(self, chunk: Chunk, span: int = 1) -> list[Chunk]:
        positions = [p for p in range(chunk.position - span, chunk.position + span + 1) if p >= 0]
        where = {"$and": [{"doc_id": chunk.doc_id}, {"position": {"$in": positions}}]}
        got = self.chunks.get(where=where, include=["documents", "metadatas"])
        found = [
            Chunk.from_store(cid, text, meta)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            if meta.get("doc_hash") == chunk.doc_hash and cid != chunk.chunk_id
        ]
        return sorted(found, key=lambda c: c.position)

    def nearest(
        self,
        vector: Sequence[float],
        n: int,
        where: dict[str, Any] | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Ids of the nearest chunks (among `ids` or those matching `where`, if given) with their
        cosine similarity, best first. No text or metadata travels: the caller holds them."""
        got = self.chunks.query(
            query_embeddings=[list(vector)],
            n_results=n,
            where=where,
            ids=list(ids) if ids is not None else None,
            include=["distances"],
        )
        return [(cid, 1.0 - d) for cid, d in zip(got["ids"][0], got["distances"][0], strict=True)]

    def vectors(self, chunk_ids: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """The stored vectors of those chunks that exist: their ids, and one float32 matrix."""
        got = self.chunks.get(ids=list(chunk_ids), include=["embeddings"])
        return list(got["ids"]), np.asarray(got["embeddings"], dtype=np.float32)

    def held_records(self, record_ids: Sequence[str]) -> dict[str, str]:
        """Which of these project record ids are already stored, and by which document."""
        if not record_ids:
            return {}
        got = self.chunks.get(where={"record_id": {"$in": list(record_ids)}}, include=["metadatas"])
        committed = {d.doc_id: d.doc_hash for d in self.manifest().values()}
        return {
            m["record_id"]: m["doc_id"]
            for m in got["metadatas"]
            if committed.get(m["doc_id"]) == m["doc_hash"]
        }

    # -- writing -------------------------------------------------------------------------

    def write(
        self,
        doc: Document,
        embeddings: Sequence[Sequence[float]] | np.ndarray,
        origin: str = "",
        batch: int = WRITE_BATCH,
        *,
        added_by: str = "",
        added_at: float | None = None,
    ) -> None:
        """Write a document whole: chunks and their sentences, then the manifest commit, then the
        old version goes.

        `embeddings` holds one vector per chunk, then one per quotable unit in `sentence_rows`
        order (what `embed_texts` lists), or chunk vectors alone. A large document goes in
        slices of `batch` rows (at most what the client accepts in one call); the vectors stay
        one float32 array throughout.
        """
        rows = sentence_rows(doc)
        if len(embeddings) == len(doc.chunks):
            rows = []  # chunk vectors only (synthetic stores): sentences are matched by words
        if len(embeddings) != len(doc.chunks) + len(rows):
            raise ValueError(
                f"{doc.source}: {len(doc.chunks)} chunks and {len(rows)} sentences "
                f"but {len(embeddings)} vectors"
            )
        vectors = np.asarray(embeddings, dtype=np.float32)
        chunk_vectors, sentence_vectors = vectors[: len(doc.chunks)], vectors[len(doc.chunks) :]
        batch = max(1, min(batch, self.max_batch))
        self._set_pending(doc)
        for start in range(0, len(doc.chunks), batch):
            chunk_part = doc.chunks[start : start + batch]
            self.chunks.upsert(
                ids=[c.chunk_id for c in chunk_part],
                embeddings=chunk_vectors[start : start + batch],
                documents=[c.text for c in chunk_part],
                metadatas=[c.metadata() for c in chunk_part],
            )
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            self.sentences.upsert(
                ids=[f"{c.chunk_id}#{i}" for c, i, _ in part],
                embeddings=sentence_vectors[start : start + batch],
                documents=[text for _, _, text in part],
                metadatas=[
                    {"chunk_id": c.chunk_id, "doc_id": c.doc_id, "doc_hash": c.doc_hash, "unit": i}
                    for c, i, _ in part
                ],
            )
        # The commit: the manifest entry and a new version token in one call, so readers that
        # follow the token see the document as soon as it is committed.
        self.docs.upsert(
            ids=[doc.doc_id, _VERSION_ID],
            embeddings=[[0.0], [0.0]],
            metadatas=[_manifest_meta(doc, origin, added_by, added_at), {"token": _token()}],
        )
        self._drop_stale(doc.doc_id, keep_hash=doc.doc_hash)
        self.docs.delete(ids=[_PENDING + doc.doc_id])

    def delete(self, doc_id: str) -> bool:
        """Remove a document: the manifest entry first, so it vanishes for readers at once."""
        existed = bool(self.docs.get(ids=[doc_id])["ids"])
        self.docs.delete(ids=[doc_id])
        self.chunks.delete(where={"doc_id": doc_id})
        self.sentences.delete(where={"doc_id": doc_id})
        self.docs.delete(ids=[_PENDING + doc_id])
        if existed:
            self._bump()
        return existed

    def recover(self) -> int:
        """Remove chunks an interrupted write left behind; returns how many documents it mended."""
        got = self.docs.get(include=["metadatas"])
        pending = [
            (meta["doc_id"], meta["doc_hash"])
            for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=False)
            if doc_id.startswith(_PENDING) and meta
        ]
        committed = {d.doc_id: d.doc_hash for d in self.manifest().values()}
        for doc_id, _ in pending:
            keep = committed.get(doc_id)
            if keep is None:
                self.chunks.delete(where={"doc_id": doc_id})
                self.sentences.delete(where={"doc_id": doc_id})
            else:
                self._drop_stale(doc_id, keep_hash=keep)
            self.docs.delete(ids=[_PENDING + doc_id])
        return len(pending)

    def _set_pending(self, doc: Document) -> None:
        self.docs.upsert(
            ids=[_PENDING + doc.doc_id],
            embeddings=[[0.0]],
            metadatas=[{"doc_id": doc.doc_id, "doc_hash": doc.doc_hash}],
        )

    def _drop_stale(self, doc_id: str, keep_hash: str) -> None:
        stale = {"$and": [{"doc_id": doc_id}, {"doc_hash": {"$ne": keep_hash}}]}
        self.chunks.delete(where=stale)
        self.sentences.delete(where=stale)

    def _bump(self) -> None:
        self.docs.upsert(ids=[_VERSION_ID], embeddings=[[0.0]], metadatas=[{"token": _token()}])


def sentence_rows(doc: Document) -> list[tuple[Chunk, int, str]]:
    """The quotable units of a document's chunks, in write order: (chunk, unit position, the text
    its vector is made from)."""
    return [(c, i, unit.display()) for c in doc.chunks for i, unit in quotable(c.text)]


def embed_texts(doc: Document, chunk_texts: list[str]) -> list[str]:
    """Everything a document's write needs a vector for: its chunks' texts, then its sentences."""
    return [*chunk_texts, *(text for _, _, text in sentence_rows(doc))]


def _token() -> str:
    """A new version token: unique across processes writing to one store."""
    return f"{time.time():.6f}-{uuid.uuid4().hex[:8]}"


def _manifest_meta(
    doc: Document, origin: str, added_by: str = "", added_at: float | None = None
) -> dict[str, Any]:
    now = time.time()
    meta: dict[str, Any] = {
        "origin": origin,
        "doc_id": doc.doc_id,
        "doc_hash": doc.doc_hash,
        "source": doc.source,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "chunks": len(doc.chunks),
        "ingested_at": now,
        # Every chunk of a document carries the same provenance, set where it was loaded.
        "provenance": doc.chunks[0].provenance if doc.chunks else "operator",
        "added_by": added_by,
        "added_at": added_at if added_at is not None else now,
    }
    if doc.pages is not None:
        meta["pages"] = doc.pages
    if doc.records is not None:
        meta["records"] = doc.records
    return meta


def make_client(settings: Settings) -> Any:
    """An embedded PersistentClient, or an HttpClient when a server host is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            headers = {}
            if settings.chroma_token is not None:
                headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
            return chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                headers=headers,
                settings=chroma_settings,
            )
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    except Exception as exc:  # connection refused, bad path, incompatible server
        where = (
            f"Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_host
            else f"embedded store at {settings.chroma_path}"
        )
        raise StoreUnavailable(f"cannot reach the {where}: {exc}") from exc


def open_store(settings: Settings) -> Store:
    """Open (creating if needed) the store the settings name."""
    return Store(make_client(settings), settings.collection, settings.data_dir / "index")

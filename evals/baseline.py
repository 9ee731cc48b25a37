"""The tutorial baseline: what a newcomer builds first with the same model and the same store.

Raw text (pypdf's extract_text of every page, concatenated; other files read as they are),
LangChain's RecursiveCharacterTextSplitter at 1,000 characters with 200 overlap, the same
embedding model, a separate Chroma collection in a temporary folder, dense search only, top 4.
It is scored on the same retrieval metrics so the real pipeline's value shows as a difference.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.retrieval.embedder import Embedder
from evals.dataset import Question

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4
DESCRIPTION = (
    f"raw pypdf text, RecursiveCharacterTextSplitter({CHUNK_SIZE}/{CHUNK_OVERLAP}), "
    f"same embedding model, dense Chroma search only, top {TOP_K}"
)
# Only TOP_K passages come back, so recall@5 and @10 are recall@4 for the baseline.
CAPPED_NOTE = (
    f"the baseline returns {TOP_K} passages, so its recall@5 and recall@10 are recall@{TOP_K}"
)
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
_RECORD_ID = re.compile(r"\bP\d{3}\b")


@dataclass(frozen=True)
class BaselineChunk:
    text: str
    source: str
    evidence: frozenset[str]


def corpus_files(corpus_dir: Path) -> list[tuple[Path, str]]:
    """The files the real ingest reads, with the source names it gives them, so both see the
    same evidence; `corpus_dir` may be relative to the working folder or absolute."""
    from ingest import evidence_files

    return [(f.path, f.source) for f in evidence_files([corpus_dir], corpus_dir)]


def raw_text(path: Path) -> str:
    """A PDF's pages as pypdf extracts them, joined; anything else read as text."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8", errors="replace")


def evidence_of(path: Path, text: str) -> frozenset[str]:
    """A chunk stands for its file's stem; a records file's chunk also for each id it shows."""
    ids = {path.stem}
    if path.suffix.lower() in RECORD_SUFFIXES:
        ids.update(_RECORD_ID.findall(text))
    return frozenset(ids)


def chunk_corpus(corpus_dir: Path) -> list[BaselineChunk]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks: list[BaselineChunk] = []
    for path, source in corpus_files(corpus_dir):
        for piece in splitter.split_text(raw_text(path)):
            chunks.append(BaselineChunk(piece, source, evidence_of(path, piece)))
    return chunks


class BaselineIndex:
    """The chunks in their own Chroma collection, searched by the query vector alone."""

    def __init__(self, collection: Any, embedder: Embedder, chunks: list[BaselineChunk]) -> None:
        self.collection = collection
        self.embedder = embedder
        self.chunks = chunks

    def search(self, question: str, k: int = TOP_K) -> list[BaselineChunk]:
        got = self.collection.query(
            query_embeddings=[self.embedder.embed_query(question)], n_results=k
        )
        return [self.chunks[int(i)] for i in got["ids"][0]]


@contextmanager
def baseline_index(corpus_dir: Path, embedder: Embedder) -> Iterator[BaselineIndex]:
    """Build the baseline in a temporary folder that is removed afterwards."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chunks = chunk_corpus(corpus_dir)
    with tempfile.TemporaryDirectory(prefix="bluelight-baseline-", ignore_cleanup_errors=True) as d:
        client = chromadb.PersistentClient(
            path=d, settings=ChromaSettings(anonymized_telemetry=False)
        )
        collection = client.create_collection(
            "baseline", embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        vectors = embedder.embed([c.text for c in chunks])
        for start in range(0, len(chunks), 1000):
            collection.add(
                ids=[str(i) for i in range(start, min(start + 1000, len(chunks)))],
                embeddings=vectors[start : start + 1000],
                documents=[c.text for c in chunks[start : start + 1000]],
                metadatas=[{"source": c.source} for c in chunks[start : start + 1000]],
            )
        yield BaselineIndex(collection, embedder, chunks)


def baseline_rankings(
    questions: Sequence[Question], corpus_dir: Path, embedder: Embedder
) -> dict[str, list[list[str]]]:
    """Each in-scope question's top-4 baseline passages, as evidence ids in rank order."""
    with baseline_index(corpus_dir, embedder) as index:
        return {
            q.id: [sorted(c.evidence) for c in index.search(q.question)]
            for q in questions
            if q.in_scope
        }

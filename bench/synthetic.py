"""Synthetic chunks for the scale bench, made by recombining the shipped corpus's sentences.

Embedding 100k chunks with the real model takes about 40 minutes on the 2-core dev machine, so
the bench embeds each distinct corpus sentence once and gives a synthetic chunk the normalised
mean of its sentences' vectors: dense queries then land among related chunks as they would on
real text, at no model cost per chunk. Both stores receive the very same chunks and vectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.errors import BluelightError
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.sentences import split_sentences
from assistant.settings import Settings
from assistant.types import Chunk, Document
from ingest.files import walk
from ingest.load import load
from ingest.split import chunk_id_for

CHUNKS_PER_DOC = 100
SENTENCES_PER_CHUNK = (3, 8)  # a real chunk of about 200 word pieces holds 4 to 8 sentences
ON_TOPIC = 0.7  # share of a synthetic document's sentences drawn from one real source
MIN_SENTENCE_CHARS = 40


def corpus_chunks(corpus: Path, settings: Settings, embedder: Embedder) -> list[Chunk]:
    """Every chunk of the shipped corpus, as ingest stores it (no embedding): a project record
    that two files hold (the JSONL and the CSV) is stored once."""
    chunks: list[Chunk] = []
    records: set[str] = set()
    for file in walk([corpus], settings.corpus_dir).files:
        try:
            doc, _ = load(file.path.read_bytes(), file.source, settings, embedder.token_counts)
        except BluelightError:
            continue
        for chunk in doc.chunks:
            if chunk.record_id is None or chunk.record_id not in records:
                chunks.append(chunk)
            if chunk.record_id is not None:
                records.add(chunk.record_id)
    return chunks


@dataclass(frozen=True)
class Pool:
    """Distinct corpus sentences, the real chunk each came from, and their vectors."""

    sentences: list[str]
    origin: list[Chunk]
    vectors: np.ndarray

    @classmethod
    def build(cls, chunks: list[Chunk], embedder: Embedder, cache: Path) -> Pool:
        seen: dict[str, Chunk] = {}
        for chunk in chunks:
            for sentence in split_sentences(chunk.text):
                if len(sentence) >= MIN_SENTENCE_CHARS:
                    seen.setdefault(sentence, chunk)
        sentences = list(seen)
        key = hashlib.sha256("\n".join(sentences).encode()).hexdigest()[:16]
        path = cache / f"scale-sentences-{key}.npy"
        if path.exists():
            vectors = np.load(path)
        else:
            vectors = embedder.embed_array(sentences)
            cache.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
        return cls(sentences, [seen[s] for s in sentences], vectors)


_NOTE = Chunk("", "", "", 0, "", "", "Synthetic note", "text")


class Synthesizer:
    """Deterministic synthetic documents: document `d` is the same in every run and store."""

    def __init__(self, pool: Pool, seed: int = 8) -> None:
        self.pool = pool
        self.seed = seed
        grouped: dict[str, list[int]] = {}
        for i, chunk in enumerate(pool.origin):
            grouped.setdefault(chunk.source, []).append(i)
        self.by_source = {k: np.asarray(v) for k, v in grouped.items()}
        self.sources = sorted(self.by_source)
        self.records = [c for c in pool.origin if c.record_id]
        self.reports = [c for c in pool.origin if c.doc_type == "report"]

    def documents(self, start: int, stop: int) -> Iterator[tuple[Document, np.ndarray]]:
        for d in range(start, stop):
            yield self.document(d)

    def document(self, d: int) -> tuple[Document, np.ndarray]:
        rng = np.random.default_rng([self.seed, d])
        kind = ("project", "report", "report", "report", "text")[d % 5]
        topic = self.by_source[self.sources[int(rng.integers(len(self.sources)))]]
        doc_id = f"synthetic-{kind}-{d:06d}"
        doc_hash = hashlib.sha256(f"{self.seed}:{d}".encode()).hexdigest()
        source = f"synthetic/{kind}s/{d:06d}.{'csv' if kind == 'project' else 'txt'}"
        template = self._template(kind, rng)
        title = template.title if kind != "project" else f"Synthetic project records {d}"
        chunks: list[Chunk] = []
        vectors = np.empty((CHUNKS_PER_DOC, self.pool.vectors.shape[1]), dtype=np.float32)
        for i in range(CHUNKS_PER_DOC):
            picks = self._sentences(rng, topic)
            vector = self.pool.vectors[picks].mean(axis=0)
            vectors[i] = vector / np.linalg.norm(vector)
            meta = template if kind != "project" else self._template(kind, rng)
            chunks.append(
                replace(
                    meta,
                    chunk_id=chunk_id_for(doc_id, doc_hash, i),
                    doc_id=doc_id,
                    doc_hash=doc_hash,
                    position=i,
                    text=" ".join(self.pool.sentences[p] for p in picks),
                    source=source,
                    title=meta.title if kind == "project" else title,
                    doc_type=kind,
                    page=(i // 3 + 1) if kind == "report" else None,
                    record_id=f"S{d:06d}-{i:03d}" if kind == "project" else None,
                )
            )
        records = CHUNKS_PER_DOC if kind == "project" else None
        pages = CHUNKS_PER_DOC // 3 + 1 if kind == "report" else None
        doc = Document(doc_id, doc_hash, source, title, kind, chunks, pages=pages, records=records)
        return doc, vectors

    def _template(self, kind: str, rng: np.random.Generator) -> Chunk:
        """A real chunk whose metadata (title, section, theme, region, services, year) is reused."""
        if kind == "project":
            return self.records[int(rng.integers(len(self.records)))]
        if kind == "report":
            return self.reports[int(rng.integers(len(self.reports)))]
        return _NOTE

    def _sentences(self, rng: np.random.Generator, topic: np.ndarray) -> list[int]:
        count = int(rng.integers(SENTENCES_PER_CHUNK[0], SENTENCES_PER_CHUNK[1] + 1))
        picks = []
        for _ in range(count):
            if rng.random() < ON_TOPIC:
                picks.append(int(topic[int(rng.integers(len(topic)))]))
            else:
                picks.append(int(rng.integers(len(self.pool.sentences))))
        return picks

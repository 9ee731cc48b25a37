"""Filtered search finds the same chunks by every route the retriever may take, in both arms."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval import retrieve
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.retrieve import Retriever
from assistant.retrieval.store import Store
from assistant.types import Chunk, Document, Filters

DIM = 16
WORDS = ["estates", "control", "rooms", "police", "fire", "ambulance", "station", "shared"]
WORDS += ["merger", "savings", "county", "drones", "training", "fleet", "custody", "records"]
N_DOCS, PER_DOC = 6, 40


def _documents() -> list[tuple[Document, np.ndarray]]:
    rng = np.random.default_rng(3)
    docs = []
    for d in range(N_DOCS):
        kind = ("project", "report", "text")[d % 3]
        chunks = [
            Chunk(
                chunk_id=f"doc{d}:h{d}:{i:03d}",
                doc_id=f"doc{d}",
                doc_hash=f"h{d}",
                position=i,
                text=" ".join(rng.choice(WORDS, size=8 + (d * PER_DOC + i) % 9)),
                source=f"doc{d}.txt",
                title=f"Document {d}",
                doc_type=kind,
                record_id=f"P{d}-{i}" if kind == "project" else None,
                region=("London", "Wales", "North West")[i % 3] if kind == "project" else None,
                services=(("police", "fire"), ("ambulance",))[i % 2] if kind == "project" else (),
                year=2010 + i % 12 if kind == "project" else None,
            )
            for i in range(PER_DOC)
        ]
        vectors = rng.normal(size=(PER_DOC, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        docs.append(
            (Document(f"doc{d}", f"h{d}", f"doc{d}.txt", f"Document {d}", kind, chunks), vectors)
        )
    return docs


@pytest.fixture
def filled(store: Store, embedder: Embedder) -> tuple[Retriever, dict[str, np.ndarray]]:
    vectors: dict[str, np.ndarray] = {}
    for doc, doc_vectors in _documents():
        store.write(doc, doc_vectors)
        vectors.update(zip((c.chunk_id for c in doc.chunks), doc_vectors, strict=True))
    retriever = Retriever(store, embedder)
    retriever.refresh(force=True)
    return retriever, vectors


def _exact(
    retriever: Retriever, vectors: dict[str, np.ndarray], query: np.ndarray, n: int, f: Filters
) -> list[str]:
    allowed = [c.chunk_id for c in retriever.index.chunks if f.matches(c)]
    return sorted(allowed, key=lambda cid: -float(vectors[cid] @ query))[:n]


FILTERS = [
    Filters(),
    Filters(doc_type=["project"]),
    Filters(doc_type=["report", "text"]),
    Filters(region=["Wales"]),
    Filters(services=["ambulance"], year_from=2015),
    Filters(region=["London"], year_to=2012),
    Filters(region=["Nowhere"]),
]


ROUTES = {  # what each route needs switched off to be taken
    "scan": {},
    "exact": {"SCAN_MAX": 0},
    "ids": {"SCAN_MAX": 0, "EXACT_MAX": 0},
    "where": {"SCAN_MAX": 0, "EXACT_MAX": 0, "IDS_MAX": 0},
}


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("filters", FILTERS)
def test_every_dense_route_returns_the_exact_nearest_allowed_chunks(
    filled: tuple[Retriever, dict[str, np.ndarray]],
    filters: Filters,
    route: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in ROUTES[route].items():
        monkeypatch.setattr(retrieve, name, value)
    retriever, vectors = filled
    query = np.random.default_rng(7).normal(size=DIM).astype(np.float32)
    query /= np.linalg.norm(query)

    found = retriever._dense(retriever.index, query.tolist(), 12, filters)

    assert [c.chunk_id for c, _ in found] == _exact(retriever, vectors, query, 12, filters)
    assert all(filters.matches(c) for c, _ in found)
    assert all(s == pytest.approx(float(vectors[c.chunk_id] @ query), abs=1e-4) for c, s in found)


@pytest.mark.parametrize("filters", FILTERS)
def test_filtered_lexical_search_ranks_the_allowed_chunks_as_unfiltered_search_does(
    filled: tuple[Retriever, dict[str, np.ndarray]], filters: Filters
) -> None:
    retriever, _ = filled
    index = retriever.index
    qterms = index.query_terms("shared estates control rooms drones")
    everything = index.search(qterms, index.n)
    expected = [(c.chunk_id, round(s, 4)) for c, s in everything if filters.matches(c)][:12]

    found = retriever._lexical(index, qterms, 12, filters)

    assert [(c.chunk_id, round(s, 4)) for c, s in found] == expected

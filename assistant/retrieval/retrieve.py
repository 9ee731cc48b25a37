"""Hybrid retrieval: dense (Chroma) and lexical (BM25) fused by reciprocal rank, with filters.

The lexical index is rebuilt from the store whenever the store's version token changes, so it is
never out of step with what is stored, and it is checked at most once per `recheck_s`.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant import tuning
from assistant.question.conditions import Conditions
from assistant.question.names import Link
from assistant.question.records import RecordQuery
from assistant.question.understand import Understood
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.index import Indexes, Snapshot
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.sentences import Unit
from assistant.retrieval.store import Store
from assistant.types import SINGLE_VALUED, Chunk, Filters

# Reciprocal-rank constant from Cormack et al. (2009); 60 is the customary value.
RRF_K = 60
# How many candidates each arm contributes before fusion, as a multiple of top_k.
CANDIDATES_PER_K = 4
# Filtered dense search. At 100k chunks on the dev machine (bench/scale.py) Chroma's own `where`
# costs 100 ms to 1 s a query whatever the filter, while an unfiltered query for up to SCAN_MAX
# ids costs a few ms. So the dense arm over-fetches unfiltered, by the inverse of the share of
# chunks the filters allow (times OVERFETCH), and keeps the allowed ones, which is exact when
# enough are found. Else: up to EXACT_MAX allowed chunks, it compares their stored vectors itself
# (~10 ms; Chroma's search within a short id list takes 60 to 90 ms); up to IDS_MAX, it asks
# Chroma for the nearest among the allowed ids (~20 ms); past that, Chroma's `where`.
OVERFETCH = 2.0
SCAN_MAX = 1000
EXACT_MAX = 500
IDS_MAX = 20_000
# Passages from one document (or one project record) before others get a turn: questions
# often need two sources, and five passages from one report crowd out the second (eval).
PER_SOURCE = 2


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused RRF score
    dense: float  # cosine similarity, 0 when the dense arm did not return it
    lexical_rank: int | None


@dataclass(frozen=True)
class Sentence:
    """One quotable unit of a retrieved passage, as evidence for the question."""

    unit: Unit
    hit: Hit
    passage: int  # rank of its passage among the hits
    position: int  # its place among its chunk's units
    similarity: float  # cosine to the question (rounded); 0 for units stored without a vector
    terms: frozenset[str]
    context: frozenset[str]  # terms of its passage's title and section
    # For a record field: how close its label is to what the question asks of the record
    # ("who is in charge of" is near the label of who leads it); 0 for other units.
    asked: float = 0.0
    # Cosine to what the question asks of the names it pins (Understood.focus), rounded: "the
    # group first met on..." answers "when did the <initialism> first meet" without naming it.
    # 0 when the question names nothing or the unit has no vector.
    focus: float = 0.0


@dataclass(frozen=True)
class Retrieval:
    hits: list[Hit]
    understanding: RecordQuery  # what the question asks of the project records
    filters: Filters
    query_terms: list[str]
    weights: dict[str, float] = field(default_factory=dict)  # idf of each query term
    sentences: list[Sentence] = field(default_factory=list)  # units of the first passages
    matching_records: int | None = None  # project records the filters select in the store
    # As the question was understood against the store these passages come from.
    unknown: frozenset[str] = frozenset()  # question words the store never uses
    # Places typed in lower case that the store never names ("in australia"): what they name,
    # the evidence does not speak of. Misspellings are not among them.
    foreign: tuple[str, ...] = ()
    # The question's names and unknown words as read against the store.
    links: tuple[Link, ...] = ()
    # For a question about a set of project records: exactly the records that match it, in
    # record order (also first among `hits`, so each can be cited); None for other questions.
    records: list[Hit] | None = None
    # When no record matches: one condition in words, and the records that match without it.
    relaxed: tuple[str, list[Hit]] | None = None


class Retriever:
    """Dense + lexical retrieval over one store; the indexes it reads are its own business."""

    def __init__(self, store: Store, embedder: Embedder, recheck_s: float = 1.0) -> None:
        self.store = store
        self.embedder = embedder
        self.indexes = Indexes(store, recheck_s)
        self._labels: dict[str, np.ndarray] = {}  # record field labels' vectors, once each
        # Called with each inner stage's name and seconds (embed, dense, lexical, fuse): benches.
        self.on_stage: Callable[[str, float], None] | None = None

    def refresh(self, force: bool = False) -> bool:
        """Rebuild the indexes if the store changed; returns whether they were rebuilt."""
        return self.indexes.refresh(force)

    @property
    def reloads(self) -> int:
        return self.indexes.reloads

    def snapshot(self) -> Snapshot:
        """The store as the retriever reads it now: what the question is understood against
        (`Snapshot.known`) and then retrieved from."""
        return self.indexes.current()

    @property
    def index(self) -> LexicalIndex:
        return self.indexes.current().lexical

    def facet_values(self) -> dict[str, list[Any]]:
        """The filterable values the store holds: for pickers and the facets route."""
        snap = self.indexes.current()
        vocab = snap.vocabulary
        years = sorted({c.year for c in snap.chunks if c.year is not None})
        return {
            "themes": sorted(vocab.themes),
            "regions": sorted(vocab.regions),
            "services": sorted(vocab.services),
            "doc_types": sorted(vocab.doc_types),
            "years": years,
        }

    # -- retrieval -----------------------------------------------------------------------

    def retrieve(
        self,
        understood: Understood,
        filters: Filters | None = None,
        top_k: int = 8,
        snapshot: Snapshot | None = None,
    ) -> Retrieval:
        """The passages and sentences for a question understood against `snapshot` (the
        current one when not given, or one being prepared before any answer reads it), with the
        filters given and those the question implies."""
        snap = snapshot or self.indexes.current()
        index = snap.lexical
        understanding = understood.records
        search = understood.search
        explicit = filters or Filters()
        active = explicit.merged(understanding.filters)
        records = relaxed = None
        if understanding.conditions is not None:
            records = _records(snap, understanding.conditions, explicit)
            if not records:
                relaxed = _relaxed(snap, understanding.conditions, explicit)
        if understanding.project_lookup:
            top_k = max(top_k, tuning.MAX_PROJECT_ROWS)
        qterms = index.query_terms(search)
        n = max(top_k * CANDIDATES_PER_K, 24)
        stage = _StageClock(self.on_stage)
        named = _named(snap, understood)
        texts = [index.corrected(search)] + ([index.corrected(understood.focus)] if named else [])
        vectors = [np.asarray(v, np.float32) for v in self.embedder.embed_each(texts)]
        vector = vectors[0]
        stage("embed")
        if snap.chunk_matrix is not None:
            dense = _exact_all(snap, vector, n, active)
        else:
            dense = self._dense(index, vector.tolist(), n, active)
        stage("dense")
        lexical = self._lexical(index, qterms, n, active)
        stage("lexical")
        focus, focused = _focused(snap, named, vectors[-1], n, active) if named else (None, [])
        stage("focus")
        fused = _fuse(dense, lexical, top_k)
        stage("fuse")
        if records is not None:
            held = {h.chunk.record_id for h in records}
            fused = records + [h for h in fused if h.chunk.record_id not in held]
        # The passages nearest what is asked of the question's names are read too, after the
        # others: their sentences answer it without naming the name.
        read = {h.chunk.chunk_id for h in fused[: tuning.READ_PASSAGES]}
        focus_read = focused[: tuning.FOCUS_PASSAGES]
        near = [Hit(c, 0.0, 0.0, None) for c in focus_read if c.chunk_id not in read]
        later = {h.chunk.chunk_id for h in near}
        fused = [h for h in fused if h.chunk.chunk_id not in later]
        reading = fused[: tuning.READ_PASSAGES] + near
        # Scored 0 like the continuations, after the scored passages: read, not ranked.
        extra = _continuations(snap, reading, fused + near)
        hits, reading = fused + near + extra, reading + extra
        matching = len(records) if records is not None else _matching_records(index, active)
        return Retrieval(
            hits=hits,
            understanding=understanding,
            filters=active,
            query_terms=qterms,
            weights=_weights(index, understood, qterms),
            sentences=_sentences(
                snap, reading, vector, qterms, self._asked(snap, reading, vector), focus
            ),
            matching_records=matching,
            unknown=understood.unknown,
            foreign=understood.foreign,
            links=understood.links,
            records=records,
            relaxed=relaxed,
        )

    def _asked(self, snap: Snapshot, reading: list[Hit], vector: np.ndarray) -> dict[str, float]:
        """How close each label of the read records' fields is to what the question asks of a
        record: the question's vector without its part along those records' own prose (the
        mean vector of each record's stored lines), so what is left is mostly what is asked."""
        # Only a record among the first passages is what the question asks about.
        read = [snap.units(h.chunk) for h in reading[: tuning.ASKED_PASSAGES]]
        records = [found for found in read if any(u.labels for u in found.units)]
        labels = sorted({label for found in records for u in found.units for label in u.labels})
        if not labels:
            return {}
        rest = vector.astype(np.float64)
        # A record of fields alone has no stored line: the question is then compared whole.
        stored = [sorted(found.rows.values()) for found in records if found.rows]
        if stored:
            means = np.stack([snap.sentence_matrix[rows].mean(axis=0) for rows in stored])
            basis, _ = np.linalg.qr(means.T.astype(np.float64))
            rest = rest - basis @ (basis.T @ rest)
        norm = float(np.linalg.norm(rest))
        if norm < 1e-6:
            return {}  # the question is all about the records: nothing is asked of a field
        rest /= norm
        for label in labels:
            if label not in self._labels:
                # One at a time, so a label's vector never depends on what it was batched with.
                self._labels[label] = np.asarray(self.embedder.embed_query(label), np.float32)
        return {label: round(float(self._labels[label] @ rest), 4) for label in labels}

    def _dense(
        self, index: LexicalIndex, vector: list[float], n: int, filters: Filters
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks the filters allow, as the index holds them (ids come from Chroma)."""
        if filters.is_empty():
            return _known(index, self.store.nearest(vector, n))
        keep = index.facets.mask(filters)
        allowed = int(keep.sum())
        if not allowed:
            return []
        fetch = _fetch(n, index.n, allowed)
        if fetch <= SCAN_MAX:
            near = _known(index, self.store.nearest(vector, fetch))
            found = [(c, s) for c, s in near if keep[index.by_id[c.chunk_id]]]
            if len(found) >= min(n, allowed) or fetch >= index.n:
                return found[:n]
        if allowed <= IDS_MAX:
            ids = [index.chunks[i].chunk_id for i in np.flatnonzero(keep)]
            if allowed <= EXACT_MAX:
                return _known(index, _exact(self.store, ids, vector, n))
            return _known(index, self.store.nearest(vector, n, ids=ids))
        return _known(index, self.store.nearest(vector, n, where=chroma_where(filters)))

    def _lexical(
        self, index: LexicalIndex, qterms: list[str], n: int, filters: Filters
    ) -> list[tuple[Chunk, float]]:
        if filters.is_empty():
            return index.search(qterms, n)
        keep = index.facets.mask(filters)
        if not keep.any():
            return []
        return index.search(qterms, n, mask=keep.astype(np.float32))


def _exact(store: Store, ids: list[str], vector: list[float], n: int) -> list[tuple[str, float]]:
    """The n nearest of these chunks by cosine similarity, compared here from their vectors."""
    found, matrix = store.vectors(ids)
    if not found:
        return []
    query = np.asarray(vector, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(query)
    similarity = matrix @ query / np.maximum(norms, 1e-12)
    best = np.argsort(-similarity, kind="stable")[:n]
    return [(found[i], float(similarity[i])) for i in best]


def _fetch(n: int, total: int, allowed: int) -> int:
    """How many unfiltered results to ask for so that about 2n of them pass the filters."""
    return min(total, max(n, math.ceil(n * OVERFETCH * total / allowed)))


def _known(index: LexicalIndex, found: list[tuple[str, float]]) -> list[tuple[Chunk, float]]:
    """Hits as the index's chunks. A chunk the index does not hold (its document committed since
    the index was built, or never committed) is left out until the next reload."""
    return [(index.chunks[i], s) for cid, s in found if (i := index.by_id.get(cid)) is not None]


def _fuse(
    dense: list[tuple[Chunk, float]], lexical: list[tuple[Chunk, float]], top_k: int
) -> list[Hit]:
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    cosine: dict[str, float] = {}
    lex_rank: dict[str, int] = {}
    dense = sorted(dense, key=lambda cs: (-round(cs[1], 4), cs[0].chunk_id))
    for rank, (chunk, sim) in enumerate(dense):
        scores[chunk.chunk_id] = scores.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        chunks[chunk.chunk_id] = chunk
        cosine[chunk.chunk_id] = sim
    for rank, (chunk, _) in enumerate(lexical):
        scores[chunk.chunk_id] = scores.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        chunks[chunk.chunk_id] = chunk
        lex_rank[chunk.chunk_id] = rank
    # Ties broken by chunk id after rounding, so float noise between embedding paths (batched or
    # not, any thread count) never reorders near-equal passages.
    ranked = sorted(scores, key=lambda cid: (-round(scores[cid], 6), cid))
    hits: list[Hit] = []
    deferred: list[Hit] = []
    per_source: dict[str, int] = {}
    seen_records: set[str] = set()
    for cid in ranked:
        chunk = chunks[cid]
        if chunk.record_id:
            if chunk.record_id in seen_records:
                continue  # the same project from another records file
            seen_records.add(chunk.record_id)
        hit = Hit(chunk, scores[cid], cosine.get(cid, 0.0), lex_rank.get(cid))
        key = chunk.record_id or chunk.doc_id
        per_source[key] = per_source.get(key, 0) + 1
        (hits if per_source[key] <= PER_SOURCE else deferred).append(hit)
    return (hits + deferred)[:top_k]


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    """The same filters as a Chroma `where` clause."""
    clauses: list[dict[str, Any]] = []
    for key in SINGLE_VALUED:
        if values := getattr(filters, key):
            clauses.append({key: {"$in": list(values)}})
    for svc in filters.services:
        clauses.append({f"svc_{svc}": True})
    if filters.year_from is not None:
        clauses.append({"year": {"$gte": filters.year_from}})
    if filters.year_to is not None:
        clauses.append({"year": {"$lte": filters.year_to}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _weights(index: LexicalIndex, understood: Understood, qterms: list[str]) -> dict[str, float]:
    """Each query term's idf; the words a short form or initialism was read as share the weight
    of one of them, so an initialism read as five words weighs as one name, not five terms."""
    weights = {t: index.idf(t) for t in dict.fromkeys(qterms)}
    typed = set(index.query_terms(understood.question))
    for link in understood.links:
        if link.expands:
            read = [t for t in dict.fromkeys(index.query_terms(link.read_as)) if t not in typed]
            for t in read:
                if t in weights:
                    weights[t] = index.idf(t) / len(read)
    return weights


def _matching_records(index: LexicalIndex, filters: Filters) -> int | None:
    """How many project records the filters select in the whole store, if any filter is set."""
    if filters.is_empty():
        return None
    mask = index.facets.mask(filters)
    return len({index.chunks[i].record_id for i in mask.nonzero()[0] if index.chunks[i].record_id})


def _sentences(
    snap: Snapshot,
    hits: list[Hit],
    vector: np.ndarray,
    qterms: list[str],
    asked: dict[str, float],
    focus: _Focus | None = None,
) -> list[Sentence]:
    """The content units of the first passages, each with its closeness to the question."""
    out: list[Sentence] = []
    for rank, hit in enumerate(hits):
        units = snap.units(hit.chunk)
        rows = [units.rows.get(i) for i in range(len(units.units))]
        wanted = [r for r in rows if r is not None]
        sims = (
            dict(zip(wanted, (snap.sentence_matrix[wanted] @ vector).tolist(), strict=True))
            if wanted
            else {}
        )
        near = (
            dict(zip(wanted, (snap.sentence_matrix[wanted] @ focus.vector).tolist(), strict=True))
            if wanted and focus is not None and hit.chunk.chunk_id in focus.chunks
            else {}
        )
        for pos, unit in enumerate(units.units):
            if not unit.content or _names_only(unit, hit.chunk):
                continue  # a record's name line names it; it states nothing about it
            row = rows[pos]
            out.append(
                Sentence(
                    unit=unit,
                    hit=hit,
                    passage=rank,
                    position=pos,
                    # A unit without a vector of its own (a record field) is as close as its
                    # passage.
                    similarity=round(
                        _closeness(unit, sims.get(row) if row is not None else None, hit.dense), 4
                    ),
                    # A field speaks of its record: "Region: North East." is the region of it.
                    terms=units.terms[pos] | units.context
                    if unit.kind == "field"
                    else units.terms[pos],
                    context=units.context,
                    asked=max((asked.get(label, 0.0) for label in unit.labels), default=0.0),
                    focus=round(near.get(row, 0.0), 4) if row is not None else 0.0,
                )
            )
    return out


def _relaxed(
    snap: Snapshot, conditions: Conditions, filters: Filters
) -> tuple[str, list[Hit]] | None:
    """The first condition without which some records match, and those records."""
    for words_, rest in conditions.each():
        if not rest.is_empty() and (found := _records(snap, rest, filters)):
            return words_, found
    return None


def _records(snap: Snapshot, conditions: Conditions, filters: Filters) -> list[Hit]:
    """Every record the conditions select, once each, in record order."""
    found: dict[str, Chunk] = {}
    for c in snap.chunks:
        # The filters given with the question (a region picked in the chat page) hold too.
        if (
            c.record_id
            and c.record_id not in found
            and conditions.matches(c)
            and filters.matches(c)
        ):
            found[c.record_id] = c
    return [Hit(found[r], 0.0, 0.0, None) for r in sorted(found, key=_record_order)]


def _record_order(record_id: str) -> tuple[str, int, str]:
    """P2 before P10: ids compared by their letters, then their number."""
    m = re.match(r"(\D*)(\d*)", record_id)
    assert m is not None
    return (m.group(1), int(m.group(2) or 0), record_id)


def _named(snap: Snapshot, understood: Understood) -> tuple[np.ndarray, np.ndarray] | None:
    """The chunks holding a name the question pins and their sentence rows, when it asks
    something of them (Snapshot.named says when a name is too common to narrow anything)."""
    if not understood.focus:
        return None
    return snap.named([snap.lexical.query_terms(name) for name in understood.named])


def _focused(
    snap: Snapshot,
    named: tuple[np.ndarray, np.ndarray],
    vector: np.ndarray,
    n: int,
    filters: Filters,
) -> tuple[_Focus, list[Chunk]]:
    """What the question asks of its names, and the chunks holding a name whose sentences come
    nearest it, nearest first: a name's full form outweighs the rest of the question in the
    question's own vector, and its passages' other sentences answer without naming it."""
    index = snap.lexical
    held, rows = named
    focus = _Focus(vector, frozenset(index.chunks[i].chunk_id for i in held.tolist()))
    owners = snap.row_chunk[rows]
    if not filters.is_empty():
        keep = index.facets.mask(filters)[owners]
        rows, owners = rows[keep], owners[keep]
    similarity = np.round(snap.sentence_matrix[rows] @ vector, 6)
    nearest: list[int] = []
    # Nearest sentence first, ties by chunk then row; each chunk counts once.
    for i in np.lexsort((rows, owners, -similarity)).tolist():
        if int(owners[i]) not in nearest:
            nearest.append(int(owners[i]))
            if len(nearest) >= n:
                break
    return focus, [index.chunks[c] for c in nearest]


def _continuations(snap: Snapshot, reading: list[Hit], hits: list[Hit]) -> list[Hit]:
    """The rest of any table the passages read hold part of, as passages of their own (scored
    0, as close as the passage they continue), after the hits."""
    held = {h.chunk.chunk_id for h in hits}
    extra: list[Hit] = []
    for hit in reading:
        for chunk in snap.continuation(hit.chunk):
            if chunk.chunk_id not in held:
                held.add(chunk.chunk_id)
                extra.append(Hit(chunk, 0.0, hit.dense, None))
    return extra


def _closeness(unit: Unit, own: float | None, passage: float) -> float:
    """A unit's closeness to the question: its own vector's, or its passage's when it has none.
    A list is at least as close as its passage: its vector averages items that each say less."""
    if own is None:
        return passage
    return max(own, passage) if unit.kind == "list" else own


def _names_only(unit: Unit, chunk: Chunk) -> bool:
    """A line that is the chunk's title under a label ("Project P075: <title>.")."""
    return (
        bool(chunk.title) and chunk.title in unit.text and len(unit.text) <= len(chunk.title) + 24
    )


def _exact_all(
    snap: Snapshot, vector: np.ndarray, n: int, filters: Filters
) -> list[tuple[Chunk, float]]:
    """The n chunks the filters allow nearest the question, compared exactly; ties by chunk id."""
    index = snap.lexical
    assert snap.chunk_matrix is not None
    query = vector / max(float(np.linalg.norm(vector)), 1e-12)
    similarity = snap.chunk_matrix @ query
    rounded = np.round(similarity, 6)
    candidates = (
        np.flatnonzero(index.facets.mask(filters))
        if not filters.is_empty()
        else np.arange(len(rounded))
    )
    if len(candidates) > n:
        # Every chunk scoring at least the n-th best, ties at the edge included, then the order.
        nth = -np.partition(-rounded[candidates], n - 1)[n - 1]
        candidates = candidates[rounded[candidates] >= nth]
    ranked = sorted(candidates.tolist(), key=lambda i: (-rounded[i], index.chunks[i].chunk_id))
    return [(index.chunks[i], float(similarity[i])) for i in ranked[:n]]


@dataclass(frozen=True)
class _Focus:
    """What a question asks of the names it pins, as a vector, and the chunks holding a name."""

    vector: np.ndarray
    chunks: frozenset[str]


class _StageClock:
    """Reports the seconds since the last call to `on_stage`, when one is set."""

    def __init__(self, on_stage: Callable[[str, float], None] | None) -> None:
        self.on_stage = on_stage
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        if self.on_stage is not None:
            now = time.perf_counter()
            self.on_stage(name, now - self.last)
            self.last = now

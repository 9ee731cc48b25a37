"""The in-memory indexes over the store, and their lifecycle: built from the store, rebuilt when the
store's version token changes (checked at most once per `recheck_s`), read by the retriever only.

One `Snapshot` holds everything built from one version of the store: the chunks, BM25 and term
counts (assistant/retrieval/lexical.py), the filter columns, the filter vocabulary, and the
sentence vectors written at ingest with each chunk's quotable units, tokenised once.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from assistant.question.known import Known
from assistant.question.names import COMMON, Lexicon
from assistant.question.records import Vocabulary
from assistant.question.spelling import common_words, english_words
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.sentences import Unit, units_of
from assistant.retrieval.store import Store
from assistant.terms import terms
from assistant.types import Chunk

# Up to this many chunks (15 MB of vectors at 384 dimensions), dense search compares every
# stored vector itself: exact, so answers cannot differ between processes over one store, and
# about 1 ms a question at this size; beyond it, Chroma's approximate index answers.
EXACT_ALL = 10_000
# A name held by sources with more sentences than this (tens of MB of vectors) is too common to
# narrow anything: the question's focus is then not searched among them.
FOCUS_ROWS = 20_000


@dataclass(frozen=True)
class ChunkUnits:
    """A chunk's units, their terms, and the rows of their vectors in the sentence matrix."""

    units: list[Unit]
    terms: list[frozenset[str]]
    rows: dict[int, int]  # unit position -> row of Snapshot.sentence_matrix, for those stored
    context: frozenset[str]  # terms of the chunk's title and section


class Snapshot:
    """Everything the retriever reads, built from one version of the store."""

    def __init__(
        self,
        chunks: list[Chunk],
        keys: list[tuple[str, str]],
        matrix: np.ndarray,
        chunk_matrix: np.ndarray | None = None,
    ):
        self.lexical = LexicalIndex(chunks)
        # The names the store holds, for linking a question's names; built here, off any answer.
        self.lexicon = Lexicon(
            (f"{c.title}\n{c.text}" for c in chunks),
            self.lexical.vocab,
            english_words(),
            common_words(COMMON),
        )
        # Every chunk's vector in index order, held for stores up to EXACT_ALL chunks: dense
        # search over them is exact, so every process and copy of a store ranks alike.
        self.chunk_matrix = chunk_matrix
        self.vocabulary = Vocabulary.of(chunks)
        self.sentence_matrix = matrix
        # Vectors are found by their text, so a unit the splitter now draws differently from
        # when it was ingested simply has none (and is matched as close as its passage).
        self._rows: dict[str, dict[str, int]] = {}
        # Each sentence row's chunk (its index among the chunks, -1 for none), read in the same
        # pass, and the rows grouped by chunk: the sentences of the chunks a question names.
        owners: list[int] = []
        by_id = self.lexical.by_id
        for row, (chunk_id, text) in enumerate(keys):
            self._rows.setdefault(chunk_id, {})[text] = row
            owners.append(by_id.get(chunk_id, -1))
        self.row_chunk = np.asarray(owners, dtype=np.int64)
        self._by_chunk = np.argsort(self.row_chunk, kind="stable")
        self._chunk_start = np.searchsorted(
            self.row_chunk[self._by_chunk], np.arange(len(chunks) + 1), side="left"
        )
        self._units: dict[str, ChunkUnits] = {}
        self._lock = threading.Lock()
        self._at = {(c.doc_id, c.position): c for c in chunks}
        # Questions about this version's own sections and records that it answers, found by
        # whoever prepares the snapshot (Indexes.prepare_with) before any answer reads it.
        self.answerable: frozenset[str] = frozenset()

    @property
    def chunks(self) -> list[Chunk]:
        return self.lexical.chunks

    def units(self, chunk: Chunk) -> ChunkUnits:
        """A chunk's units, split and tokenised the first time any question reads the chunk."""
        found = self._units.get(chunk.chunk_id)
        if found is None:
            units = units_of(chunk.text)
            stored = self._rows.get(chunk.chunk_id, {})
            shown = [u.display() for u in units]
            found = ChunkUnits(
                units=units,
                terms=[frozenset(terms(text)) for text in shown],
                rows={i: stored[text] for i, text in enumerate(shown) if text in stored},
                context=frozenset(terms(f"{chunk.title} {chunk.section or ''}")),
            )
            with self._lock:
                self._units[chunk.chunk_id] = found
        return found

    def named(self, names: list[list[str]]) -> tuple[np.ndarray, np.ndarray] | None:
        """The chunks that hold all the terms of one of `names` in their text, title or section,
        and those chunks' sentence rows, each in order; None when no chunk holds one, or when
        they hold more than FOCUS_ROWS sentences."""
        held = [self.lexical.holding(terms) for terms in names if terms]
        chunks = np.unique(np.concatenate(held)) if held else np.empty(0, dtype=np.int64)
        if not len(chunks):
            return None
        starts, ends = self._chunk_start[chunks], self._chunk_start[chunks + 1]
        if int((ends - starts).sum()) > FOCUS_ROWS:
            return None
        rows = [self._by_chunk[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        return chunks, np.sort(np.concatenate(rows))

    def continuation(self, chunk: Chunk) -> list[Chunk]:
        """The chunks before and after this one that carry on its table (rows under the same
        header): a table split across chunks is read whole."""
        headers = {u.text for u in self.units(chunk).units if u.kind == "header"}
        if not headers:
            return []
        out: list[Chunk] = []
        for step in (-1, 1):
            position = chunk.position + step
            while (nxt := self._at.get((chunk.doc_id, position))) is not None:
                if not headers & {u.text for u in self.units(nxt).units if u.kind == "header"}:
                    break
                out.append(nxt)
                position += step
        return sorted(out, key=lambda c: c.position)

    @cached_property
    def known(self) -> Known:
        """What this version of the store knows that reading a question needs."""
        return Known(
            lexicon=self.lexicon,
            speller=self.lexical.speller,
            vocabulary=self.vocabulary,
            # Every lower-cased word the evidence uses, titles and sections included.
            words=frozenset(self.lexical.vocab),
            terms=self.lexical.df,
        )


class Indexes:
    """The current Snapshot, kept in step with the store."""

    def __init__(self, store: Store, recheck_s: float = 1.0) -> None:
        self.store = store
        self.recheck_s = recheck_s
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._version: str | None = None
        self._checked = 0.0
        self.reloads = 0
        self._prepare: Callable[[Snapshot], None] | None = None

    def prepare_with(self, prepare: Callable[[Snapshot], None]) -> None:
        """Have `prepare` fill in each snapshot before it is read (the one held now at once):
        work done per store version, such as checking suggestions, then costs no answer."""
        with self._lock:
            self._prepare = prepare
            if self._snapshot is not None:
                prepare(self._snapshot)

    def refresh(self, force: bool = False) -> bool:
        """Rebuild if the store changed; returns whether it rebuilt."""
        now = time.monotonic()
        if not force and self._snapshot is not None and now - self._checked < self.recheck_s:
            return False
        # While one thread rebuilds (tens of seconds at 100k chunks), the others answer from the
        # snapshot they have rather than queue behind it; only a first build or a forced one waits.
        if not self._lock.acquire(blocking=force or self._snapshot is None):
            return False
        try:
            self._checked = now
            version = self.store.version()
            if not force and self._snapshot is not None and version == self._version:
                return False
            chunks = list(self.store.iter_chunks())
            keys, matrix = self.store.sentence_vectors()
            # The pages read from the store are garbage now; hand them back before building, as
            # the index's large arrays are mapped outside the heap and could not reuse them.
            _release_freed_heap()
            exact = _chunk_matrix(self.store, chunks) if len(chunks) <= EXACT_ALL else None
            snapshot = Snapshot(chunks, keys, matrix, exact)
            if self._prepare is not None:
                self._prepare(snapshot)
            self._snapshot = snapshot
            self._version = version
            self.reloads += 1
            _release_freed_heap()
            return True
        finally:
            self._lock.release()

    def current(self) -> Snapshot:
        self.refresh()
        assert self._snapshot is not None
        return self._snapshot


def _chunk_matrix(store: Store, chunks: list[Chunk]) -> np.ndarray | None:
    """The chunks' stored vectors, normalised, in the chunks' order; None if any is missing."""
    ids = [c.chunk_id for c in chunks]
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), 5000):
        got_ids, vectors = store.vectors(ids[start : start + 5000])
        found.update(zip(got_ids, vectors, strict=True))
    if len(found) != len(ids) or not ids:
        return None
    matrix = np.stack([found[i] for i in ids]).astype(np.float32)
    normed: np.ndarray = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return normed


def _release_freed_heap() -> None:
    """Give the memory a rebuild freed back to the system. glibc keeps it otherwise: at 100k chunks
    an API worker stayed about 250 MB larger after each rebuild (bench/scale.py)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return
    libc.malloc_trim(0)

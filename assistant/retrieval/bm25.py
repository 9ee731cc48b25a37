"""A bm25s index built from each chunk's term counts, so no chunk's token list is ever held.

bm25s's own `index()` takes every chunk's tokens as lists of strings, turns them into lists of ids,
then into three flat arrays and their sorted copies: at 100,000 chunks about 450 MB for a moment,
which was the API process's peak (bench/scale.py). BM25 needs only how often each term occurs in
each chunk and each chunk's length. From those counts, held as flat arrays, this makes the matrix
bm25s would make (the same score for every term in every chunk) with bm25s's own formulas.
"""

from __future__ import annotations

from array import array
from collections import Counter

import bm25s
import numpy as np
from bm25s.scoring import _build_idf_array, _select_idf_scorer, _select_tfc_scorer

# Chunks scored per step: bounds the float64 temporaries of the scoring to a few MB.
STEP = 8192


class TermCounts:
    """Each chunk's distinct terms and their counts, appended chunk by chunk as flat arrays."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # term -> column, in the order terms are first seen
        self._terms = array("i")
        self._counts = array("i")
        self._lengths = array("q")  # terms in each chunk, repeats included
        self._distinct = array("q")  # distinct terms in each chunk

    def add(self, terms: list[str]) -> None:
        counts = Counter(self.ids.setdefault(t, len(self.ids)) for t in terms)
        self._terms.extend(counts.keys())
        self._counts.extend(counts.values())
        self._lengths.append(len(terms))
        self._distinct.append(len(counts))

    def __len__(self) -> int:
        return len(self._lengths)

    def document_frequencies(self) -> dict[str, int]:
        """How many chunks use each term."""
        df = np.bincount(np.frombuffer(self._terms, dtype=np.int32), minlength=len(self.ids))
        return dict(zip(self.ids, df.tolist(), strict=True))

    def index(self) -> bm25s.BM25:
        """The bm25s index over these chunks, as `bm25s.BM25().index(token lists)` builds it.
        The counts are let go as it is built: ask for the document frequencies first."""
        bm25 = bm25s.BM25()
        if not self._lengths:
            return bm25  # nothing to index: searches find nothing before they reach it
        if bm25.method in bm25.methods_requiring_nonoccurrence:
            raise ValueError(f"BM25 variant {bm25.method!r} is not built here")
        terms = np.frombuffer(self._terms, dtype=np.int32)
        lengths = np.asarray(self._lengths, dtype=np.int64)
        distinct = np.asarray(self._distinct, dtype=np.int64)
        n_docs, n_terms = len(lengths), len(self.ids)
        df = np.bincount(terms, minlength=n_terms)
        idf = _build_idf_array(
            dict(enumerate(df.tolist())), n_docs, _select_idf_scorer(bm25.idf_method), bm25.dtype
        )
        tfc = _select_tfc_scorer(bm25.method)
        average = lengths.mean()
        starts = np.concatenate([[0], np.cumsum(distinct)])
        scores = np.empty(len(terms), dtype=bm25.dtype)
        for first in range(0, n_docs, STEP):
            last = min(first + STEP, n_docs)
            lo, hi = int(starts[first]), int(starts[last])
            # The arithmetic bm25s does for one chunk at a time, element by element the same.
            counts = np.frombuffer(self._counts, dtype=np.int32)[lo:hi].astype(bm25.dtype)
            length = np.repeat(lengths[first:last], distinct[first:last])
            part = tfc(tf_array=counts, l_d=length, l_avg=average, k1=bm25.k1, b=bm25.b)
            scores[lo:hi] = idf[terms[lo:hi]] * part
        # Column by column, each column's chunks in order (a stable sort): bm25s's CSC layout.
        # Each array is let go as soon as the next step has what it needs: the peak is the sort.
        order = np.argsort(terms, kind="stable")
        del terms
        self._terms = self._counts = array("i")
        data = scores[order]
        del scores
        rows = np.repeat(np.arange(n_docs, dtype=bm25.int_dtype), distinct)
        indices = rows[order]
        del rows, order
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        bm25.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
        bm25.vocab_dict = dict(self.ids)
        if "" not in bm25.vocab_dict:  # bm25s's empty token, which scores no chunk
            bm25.vocab_dict[""] = n_terms
        bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
        bm25.nonoccurrence_array = None
        return bm25

"""Metadata filters over the lexical index's chunks, held as numpy columns.

A filtered lexical search needs the set of chunks the filters allow. Asking `Filters.matches` of
every chunk costs about 100 ms a query at 100k chunks (bench/scale.py); these columns, built once
with the index, answer the same question in well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.types import SINGLE_VALUED, Chunk, Filters


class Facets:
    """Per-field columns over a fixed list of chunks; `mask` equals `Filters.matches` per chunk."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.n = len(chunks)
        self._codes: dict[str, tuple[dict[str, int], np.ndarray]] = {}
        for name in SINGLE_VALUED:
            values = [getattr(c, name) for c in chunks]
            vocab = {v: i for i, v in enumerate(sorted({v for v in values if v is not None}))}
            codes = np.fromiter((vocab.get(v, -1) for v in values), dtype=np.int32, count=self.n)
            self._codes[name] = (vocab, codes)
        services = sorted({s for c in chunks for s in c.services})
        self._services = {
            s: np.fromiter((s in c.services for c in chunks), dtype=bool, count=self.n)
            for s in services
        }
        self._has_year = np.fromiter((c.year is not None for c in chunks), bool, count=self.n)
        self._year = np.fromiter((c.year or 0 for c in chunks), dtype=np.int32, count=self.n)

    def mask(self, filters: Filters) -> np.ndarray:
        """True for each chunk the filters allow."""
        keep = np.ones(self.n, dtype=bool)
        for name in SINGLE_VALUED:
            wanted = getattr(filters, name)
            if wanted:
                vocab, codes = self._codes[name]
                keep &= np.isin(codes, [vocab[v] for v in wanted if v in vocab])
        for service in filters.services:
            column = self._services.get(service)
            if column is None:
                return np.zeros(self.n, dtype=bool)
            keep &= column
        if filters.year_from is not None:
            keep &= self._has_year & (self._year >= filters.year_from)
        if filters.year_to is not None:
            keep &= self._has_year & (self._year <= filters.year_to)
        return keep

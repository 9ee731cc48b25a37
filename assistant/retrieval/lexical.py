"""Lexical search: a BM25 index (bm25s) over every committed chunk, rebuilt from the store."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from assistant.question.spelling import Speller
from assistant.retrieval.facets import Facets
from assistant.terms import STOPWORDS, stemmer, words
from assistant.types import Chunk


class LexicalIndex:
    """BM25 over chunk texts (with their title and section), plus document frequencies."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        from assistant.retrieval.bm25 import TermCounts

        self.chunks: list[Chunk] = list(chunks)
        self.by_id = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.facets = Facets(self.chunks)
        self.vocab: Counter[str] = Counter()
        # Each chunk's term counts only, not its token list (assistant/retrieval/bm25.py says why).
        counts = TermCounts()
        stem_of: dict[str, str] = {}
        stem = stemmer().stemWord
        for c in self.chunks:
            raw = words(f"{c.title} {c.section or ''} {c.text}")
            self.vocab.update(raw)
            doc = []
            for word in raw:
                if word not in STOPWORDS:
                    found = stem_of.get(word)
                    if found is None:
                        found = stem_of[word] = stem(word)
                    doc.append(found)
            counts.add(doc)
        self.df: Counter[str] = Counter(counts.document_frequencies())
        self.speller = Speller(self.vocab)
        self.n = len(counts)
        self.bm25 = counts.index()

    def query_terms(self, text: str) -> list[str]:
        """Terms of a question, with misspelt words corrected to words the evidence uses.

        Unknown words of three letters or fewer are dropped: too short to correct safely
        ("sit" is one edit from "six"), and too short to say what a question is about.
        """
        fixed = [self.correct(w) for w in words(text)]
        kept = [w for w in fixed if w not in STOPWORDS and (len(w) > 3 or w in self.vocab)]
        return stemmer().stemWords(kept)

    def corrected(self, text: str) -> str:
        """The text with misspelt words replaced, for the dense arm to embed."""
        return self.speller.corrected(text)

    def correct(self, word: str) -> str:
        """The store word a misspelt word stands for; a real word or one too far is kept."""
        return self.speller.correct(word)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; a term the corpus never uses weighs most."""
        return math.log(1 + (self.n + 1) / (self.df.get(term, 0) + 0.5))

    def holding(self, terms: Sequence[str]) -> np.ndarray:
        """The indexes of the chunks (title and section included) that use every one of these
        terms, read from the BM25 matrix's columns; none when a term is unused or none given."""
        none = np.empty(0, dtype=np.int64)
        scores = getattr(self.bm25, "scores", None)  # an empty index has none
        if scores is None:
            return none
        found: np.ndarray | None = None
        for term in dict.fromkeys(terms):
            column = self.bm25.vocab_dict.get(term)
            if column is None or term not in self.df:
                return none
            rows = np.asarray(
                scores["indices"][scores["indptr"][column] : scores["indptr"][column + 1]],
                dtype=np.int64,
            )
            found = rows if found is None else np.intersect1d(found, rows, assume_unique=True)
        return found if found is not None else none

    def search(
        self, query_terms: Sequence[str], k: int, mask: np.ndarray | None = None
    ) -> list[tuple[Chunk, float]]:
        known = [t for t in query_terms if t in self.df]
        if not known or not self.n:
            return []
        k = min(k, self.n)
        if mask is not None:
            # bm25s's own weight_mask path costs ~30 ms at 100k chunks; scoring every chunk and
            # picking the top k here costs ~1 ms (bench/scale.py).
            scores = self.bm25.get_scores(known) * mask
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top], kind="stable")]
            return [(self.chunks[int(i)], float(scores[i])) for i in top if scores[i] > 0]
        ids, found = self.bm25.retrieve([known], k=k, show_progress=False)
        return [
            (self.chunks[int(i)], float(s)) for i, s in zip(ids[0], found[0], strict=True) if s > 0
        ]

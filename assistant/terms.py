"""Words and stemmed terms: the units every stage counts text in (the question's reading, BM25,
the judgement and the composers alike)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

_WORD = re.compile(r"[a-z0-9£%]+(?:[.,][0-9]+)*")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "tell",
        "much",
        "many",
        "give",
        "please",
    ]
)


class _Stemmer(Protocol):
    def stemWords(self, words: list[str]) -> list[str]: ...
    def stemWord(self, word: str) -> str: ...


@lru_cache(maxsize=1)
def stemmer() -> _Stemmer:
    import Stemmer

    found: _Stemmer = Stemmer.Stemmer("english")
    return found


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def terms(text: str) -> list[str]:
    """Stemmed content words: the unit BM25, filters and the composer all count in."""
    return stemmer().stemWords([w for w in words(text) if w not in STOPWORDS])

"""Spelling correction for questions: a misspelt word becomes a word the evidence uses, and a
real word is never rewritten.

A word is left alone when the store uses it or it is an English word (symspellpy's frequency
dictionary of 82,765 words); only an unknown word is corrected, to the nearest store word within
two edits (one for short words), unless a town of the gazetteer is nearer. SymSpell's
precomputed deletes make a look-up tens of microseconds, where searching every two-edit
neighbour in Python took 65 to 275 ms a word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

from assistant.question.gazetteer import nearest

# Unknown words this short are kept: "sit" is one edit from "six", and too short to say much.
MIN_LETTERS = 4
# From this length two edits are allowed; shorter words have too many two-edit neighbours.
TWO_EDITS_FROM = 7
# Distinct words and questions remembered; a question is a dozen words.
CACHE_WORDS = 16_384
CACHE_TEXTS = 2_048
ENGLISH = "frequency_dictionary_en_82_765.txt"
_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The general English word list symspellpy ships (lower case, British spellings too)."""
    text = resources.files("symspellpy").joinpath(ENGLISH).read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


@lru_cache(maxsize=8)
def common_words(top: int) -> frozenset[str]:
    """The `top` most frequent words of that list (it is ordered by frequency)."""
    text = resources.files("symspellpy").joinpath(ENGLISH).read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines()[:top] if line)


class Speller:
    """Corrects unknown words to words of `vocab` (word -> how often the store uses it)."""

    def __init__(self, vocab: Mapping[str, int]) -> None:
        self.vocab = vocab
        self.english = english_words()
        self._symspell = SymSpell(max_dictionary_edit_distance=2)
        for word, count in vocab.items():
            if word.isalpha():
                self._symspell.create_dictionary_entry(word, count)
        # Per speller, so a rebuilt index never answers from an old vocabulary.
        self.correct = lru_cache(maxsize=CACHE_WORDS)(self._correct)
        self.corrected = lru_cache(maxsize=CACHE_TEXTS)(self._corrected)

    def _correct(self, word: str) -> str:
        """The word a lower-case `word` stands for: itself when known, else the nearest store
        word (the same first letter first, then the commoner); itself when none is near, or
        when a place of the gazetteer is nearer (a town the store never names is no typo)."""
        if word in self.vocab or not word.isalpha():
            return word
        if word in self.english or len(word) < MIN_LETTERS:
            return word
        edits = 2 if len(word) >= TWO_EDITS_FROM else 1
        near = self._symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=edits)
        if not near or nearest(word, near[0].distance - 1) is not None:
            return word
        # Typists rarely get the first letter wrong, or drop a plural ("schems" -> schemes).
        plural = word.endswith("s")
        best = max(
            near,
            key=lambda s: (s.term[0] == word[0], s.term.endswith("s") == plural, s.count, s.term),
        )
        return str(best.term)

    def _corrected(self, text: str, keep: frozenset[str] = frozenset()) -> str:
        """The text with misspelt words replaced (case kept where nothing changed); the words
        of `keep` (lower case: short forms already read as names) stay as typed."""
        return _WORD.sub(
            lambda m: m.group(0) if m.group(0).lower() in keep else self._fix_case(m.group(0)),
            text,
        )

    def _fix_case(self, word: str) -> str:
        fixed = self.correct(word.lower())
        return word if fixed == word.lower() else fixed

"""What one snapshot of the store knows that reading a question needs: built with the snapshot
(assistant/retrieval/index.py), read by the question stage, so both see one version of the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assistant.question.names import Lexicon
from assistant.question.records import Vocabulary
from assistant.question.spelling import Speller
from assistant.terms import terms


@dataclass(frozen=True)
class Known:
    """The store's names, words, terms and filterable values, as one snapshot holds them."""

    lexicon: Lexicon  # the names the store holds, for linking the question's names
    speller: Speller  # misspelt words to the words the store uses
    vocabulary: Vocabulary  # the filterable values the store's chunks and records hold
    words: frozenset[str]  # every lower-cased word the evidence uses
    terms: Mapping[str, int]  # stemmed term -> how many chunks use it

    def uses(self, word: str) -> bool:
        """Whether the store uses the word, after spelling correction, in any inflection
        ("conclude" is used where the store says "concluded")."""
        fixed = self.speller.correct(word)
        return fixed in self.words or any(t in self.terms for t in terms(fixed))

"""One snapshot's `Known`, built from a text, for tests of the question stage."""

from __future__ import annotations

from collections import Counter

from assistant.question.known import Known
from assistant.question.names import Lexicon
from assistant.question.records import Vocabulary
from assistant.question.spelling import Speller
from assistant.terms import terms, words


def known_of(text: str) -> Known:
    vocab = Counter(words(text))
    return Known(
        lexicon=Lexicon([text], vocab),
        speller=Speller(vocab),
        vocabulary=Vocabulary(),
        words=frozenset(vocab),
        terms=Counter(terms(text)),
    )

"""Spelling correction: misspelt corpus terms are corrected, real English words never are."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from assistant.question.spelling import Speller, english_words
from assistant.retrieval.lexical import LexicalIndex
from assistant.terms import words
from assistant.types import Chunk

ROOT = Path(__file__).resolve().parents[2]
# The source text of every shipped document: the words a store of the corpus holds.
SOURCES = ROOT / "corpus" / ".source"
# Real words the old two-edit search rewrote into words the corpus uses.
OLD_REWRITES = {
    "weather": "whether",
    "elections": "sections",
    "instructions": "instructors",
    "dropped": "grouped",
    "promised": "provided",
}


@pytest.fixture(scope="module")
def corpus_vocab() -> Counter[str]:
    vocab: Counter[str] = Counter()
    for path in sorted(SOURCES.rglob("*")):
        if path.is_file():
            vocab.update(words(path.read_text(encoding="utf-8")))
    assert len(vocab) > 2000
    return vocab


@pytest.fixture(scope="module")
def speller(corpus_vocab: Counter[str]) -> Speller:
    return Speller(corpus_vocab)


def test_no_english_word_is_ever_corrected(speller: Speller) -> None:
    pool = sorted(english_words())
    sample = random.Random(16).sample(pool, 5000)
    changed = {w: speller.correct(w) for w in sample if speller.correct(w) != w}
    assert changed == {}


def test_english_words_unknown_to_the_store_are_kept_even_one_edit_from_store_words(
    corpus_vocab: Counter[str],
) -> None:
    # The words the old search rewrote to are in the store; the real words themselves are not.
    vocab = Counter({w: c for w, c in corpus_vocab.items() if w not in OLD_REWRITES})
    for target in OLD_REWRITES.values():
        vocab[target] += 1
    speller = Speller(vocab)
    for word in OLD_REWRITES:
        assert speller.correct(word) == word
    question = "Did the weather or the elections change the instructions they promised?"
    assert speller.corrected(question) == question


def test_misspelt_corpus_terms_are_corrected(speller: Speller) -> None:
    assert speller.correct("colaboration") == "collaboration"
    assert speller.correct("ambulence") == "ambulance"
    assert speller.correct("firefigters") == "firefighters"
    assert (
        speller.corrected("How do ambulence and firefigters handle Colaboration?")
        == "How do ambulance and firefighters handle collaboration?"
    )


def test_short_words_get_one_edit_and_very_short_words_none() -> None:
    speller = Speller(Counter({"fire": 5, "police": 3, "six": 2}))
    assert speller.correct("fier") == "fire"  # one transposition
    assert speller.correct("fxrx") == "fxrx"  # two edits: too far for a four-letter word
    assert speller.correct("polxxe") == "polxxe"  # two edits, six letters: still too far
    assert speller.correct("sxi") == "sxi"  # three letters: never corrected
    assert speller.correct("polisce") == "police"  # seven letters: two edits allowed


def test_the_lexical_index_corrects_with_its_own_vocabulary() -> None:
    text = "Ambulance and fire collaboration in control rooms."
    chunk = Chunk("c1", "d1", "h1", 0, text, "a.txt", "Collaboration", "text")
    index = LexicalIndex([chunk])
    assert index.correct("ambulence") == "ambulance"
    assert index.correct("weather") == "weather"
    assert index.corrected("colaboration of ambulence crews") == (
        "collaboration of ambulance crews"
    )
    assert index.query_terms("ambulence colaboration") == index.query_terms(
        "ambulance collaboration"
    )


def test_a_misspelt_plural_stays_plural() -> None:
    from assistant.question.spelling import Speller

    speller = Speller({"scheme": 40, "schemes": 10})
    assert speller.correct("schems") == "schemes"
    assert speller.correct("schem") == "scheme"


def test_a_place_is_no_typo_of_a_store_word_and_a_misspelt_place_stays_for_the_gazetteer() -> None:
    speller = Speller(Counter({"salford": 6, "garnham": 2, "police": 9}))
    # Watford is two edits from Salford, but a town in its own right.
    assert speller.correct("watford") == "watford"
    # One edit from Grantham, two from the store's Garnham: nearer the place.
    assert speller.correct("gratnham") == "gratnham"
    assert speller.correct("salfrod") == "salford"


def test_words_kept_stay_as_typed_and_the_rest_are_corrected() -> None:
    speller = Speller(Counter({"notes": 5, "collaboration": 9}))
    # "notts" is one edit from "notes"; read as a short form of a name, it is kept.
    assert speller.corrected("notts colaboration", frozenset({"notts"})) == "notts collaboration"
    assert speller.corrected("notts colaboration") == "notes collaboration"

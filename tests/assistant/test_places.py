"""Places typed in lower case, read from the gazetteers against one snapshot's words."""

from __future__ import annotations

from collections import Counter

from assistant.question.known import Known
from assistant.question.names import Lexicon
from assistant.question.places import places, places_in
from assistant.question.records import Vocabulary
from assistant.question.spelling import Speller
from assistant.terms import terms, words

TEXT = "Crews in Kendal and Penrith share a station with the ambulance service since 2019."


def _known(text: str) -> Known:
    vocab = Counter(words(text))
    return Known(
        lexicon=Lexicon([text], vocab),
        speller=Speller(vocab),
        vocabulary=Vocabulary(),
        words=frozenset(vocab),
        terms=Counter(terms(text)),
    )


def test_the_gazetteers_hold_towns_counties_and_countries() -> None:
    assert {"kendal", "cumbria", "newcastle upon tyne", "australia", "shetland"} <= places()


def test_a_place_the_store_never_names_is_found_and_one_it_names_is_not() -> None:
    known = _known(TEXT)
    assert places_in("do crews in whitehaven share a station", known) == ["whitehaven"]
    assert places_in("do crews in kendal share a station", known) == []


def test_the_longest_place_is_read_and_a_common_word_is_not_a_place() -> None:
    known = _known(TEXT)
    assert places_in("any shared stations in newcastle upon tyne", known) == ["newcastle upon tyne"]
    # "reading" is a town, but typed small it is the word far more often.
    assert places_in("what is the reading of the review", known) == []


def test_a_misspelt_place_and_a_county_short_form_are_places_too() -> None:
    known = _known(TEXT)
    assert places_in("any joint stations in whitehavne", known) == ["whitehavne"]
    assert places_in("what about the pembs stations", known) == ["pembs"]
    # A word the store uses, or an English one, is never read as a place.
    assert places_in("crews share a station in kendal", known) == []
    assert places_in("what about the comms", known) == []

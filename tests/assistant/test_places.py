"""Places typed in lower case, read from the gazetteers against one snapshot's words."""

from __future__ import annotations

from assistant.question.places import names_place, places, places_in, written
from assistant.question.understand import understand
from assistant.types import Ask
from tests.assistant.known import known_of

TEXT = "Crews in Kendal and Penrith share a station with the ambulance service since 2019."


def test_the_gazetteers_hold_towns_counties_and_countries() -> None:
    assert {"kendal", "cumbria", "newcastle upon tyne", "australia", "shetland"} <= places()


def test_a_place_the_store_never_names_is_found_and_one_it_names_is_not() -> None:
    known = known_of(TEXT)
    assert places_in("do crews in whitehaven share a station", known) == ["whitehaven"]
    assert places_in("do crews in kendal share a station", known) == []


def test_the_longest_place_is_read_and_a_common_word_is_not_a_place() -> None:
    known = known_of(TEXT)
    assert places_in("any shared stations in newcastle upon tyne", known) == ["newcastle upon tyne"]
    # "reading" is a town, but typed small it is the word far more often.
    assert places_in("what is the reading of the review", known) == []


def test_a_misspelt_place_and_a_county_short_form_are_places_too() -> None:
    known = known_of(TEXT)
    assert places_in("any joint stations in whitehavne", known) == ["whitehavne"]
    assert places_in("what about the pembs stations", known) == ["pembs"]
    # A word the store uses, or an English one, is never read as a place.
    assert places_in("crews share a station in kendal", known) == []
    assert places_in("what about the comms", known) == []


def test_a_name_that_is_or_holds_or_misspells_a_place_names_one_and_a_short_form_does_not() -> None:
    assert names_place("Whitehaven") and names_place("South Omagh") and names_place("whitehavne")
    # A county's short form no gazetteer lists, an initialism and a common word name no place.
    assert not any(names_place(n) for n in ("Hants", "NIFRS", "Street Triage"))


def test_a_county_is_known_without_its_compass_point() -> None:
    # ISO 3166-2 lists East, North and South Ayrshire; officers write "ayrshire".
    assert places_in("any joint control rooms in ayrshire", known_of(TEXT)) == ["ayrshire"]


def test_a_town_is_known_by_the_short_or_long_name_it_also_goes_by() -> None:
    # GeoNames lists Kingston upon Hull and Derry, with "Hull" and "Londonderry" among their
    # other names; ISO 3166-2 lists the Isle of Anglesey.
    known = known_of(TEXT)
    for place in ("hull", "londonderry", "anglesey"):
        assert places_in(f"is the {place} co-responding trial still going", known) == [place]
    # Its names in other languages and scripts are not read: "from" is one of them.
    assert not {"from", "road", "week"} & places()


def test_only_whole_lower_case_words_are_read() -> None:
    # The tail of a capitalised word is no word of its own: "heffield" of Sheffield would read
    # as a misspelt place.
    assert places_in("do crews in Sheffield share a station", known_of(TEXT)) == []


def test_a_common_word_the_store_capitalises_is_a_word_typed_small_and_a_place_stays_a_name() -> (
    None
):
    from collections import Counter

    from assistant.question.known import Known
    from assistant.question.names import Lexicon
    from assistant.question.records import Vocabulary
    from assistant.question.spelling import Speller, common_words, english_words
    from assistant.question.understand import understand
    from assistant.terms import terms, words
    from assistant.types import Ask

    text = "Members of the Panel met in Kendal, and the Panel backed the plan for Kendal."
    vocab = Counter(words(text))
    known = Known(
        lexicon=Lexicon([text], vocab, english_words(), common_words(15_000)),
        speller=Speller(vocab),
        vocabulary=Vocabulary(),
        words=frozenset(vocab),
        terms=Counter(terms(text)),
    )
    names = understand(Ask(question="what did the panel say about kendal"), known).analysis.names
    assert "kendal" in names and "panel" not in names


def test_a_place_typed_in_lower_case_is_written_as_its_name_is() -> None:
    assert written("hull") == "Hull"
    assert written("newcastle upon tyne") == "Newcastle upon Tyne"
    assert written("stratford-upon-avon") == "Stratford-upon-Avon"


def test_a_place_named_like_an_inflection_of_a_store_word_is_still_a_place_it_never_names() -> None:
    known = known_of(f"{TEXT} Budgets were pooled.")
    assert places_in("any joint stations in poole", known) == ["poole"]
    # Its word is one the store never uses, so the decision weighs it as unlinked.
    understood = understand(Ask(question="any joint stations in poole"), known)
    assert "poole" in understood.unknown and "poole" in understood.analysis.names

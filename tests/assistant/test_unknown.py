"""Words of a question the store never uses, read against one snapshot's words and terms."""

from __future__ import annotations

from assistant.question.unknown import foreign_words, unknown_words
from tests.assistant.known import known_of

TEXT = "The review concluded that the joint stations were recommended to other forces."


def test_a_word_the_store_uses_in_another_inflection_is_not_unknown() -> None:
    unknown = unknown_words("what did the review conclude and recommend", known_of(TEXT))
    assert "conclude" not in unknown and "recommend" not in unknown


def test_a_word_the_store_never_uses_in_any_form_is_unknown() -> None:
    assert "helicopters" in unknown_words("what did the review say of helicopters", known_of(TEXT))


def test_common_words_the_store_never_uses_are_told_from_shorthand_and_grammar() -> None:
    from assistant.question.unknown import common_unknown

    unknown = frozenset({"armed", "border", "weds", "haven", "got", "anything"})
    assert common_unknown(unknown) == ["armed", "border"]


def test_a_place_the_store_never_speaks_of_is_foreign() -> None:
    known = known_of(TEXT)
    assert foreign_words("do fire crews in australia share stations", known) == ("australia",)
    assert foreign_words("were other forces in the review", known) == ()


def test_a_question_word_or_quantifier_after_from_or_in_names_no_place() -> None:
    known = known_of(TEXT)
    assert foreign_words("so what did they conclude from what little there was", known) == ()
    assert foreign_words("which stations in any county were joint", known) == ()

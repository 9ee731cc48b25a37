"""Filters implied by a question come from the values the store really holds."""

from __future__ import annotations

from assistant.understand import Vocabulary, understand

VOCAB = Vocabulary(
    regions=frozenset({"Wales", "North West", "London", "East of England"}),
    themes=frozenset({"co_responding", "shared_estates", "control_rooms_999"}),
    services=frozenset({"police", "fire", "ambulance", "local_authority", "coastguard"}),
    doc_types=frozenset({"report", "project"}),
)


def test_region_services_and_theme_are_read_from_a_project_question() -> None:
    u = understand(
        "Which projects in the North West involve fire and ambulance co-responding?", VOCAB
    )
    assert u.project_lookup
    assert u.filters.region == ["North West"]
    assert u.filters.services == ["ambulance", "fire"]
    assert u.filters.theme == ["co_responding"]


def test_a_value_the_store_does_not_hold_is_not_invented() -> None:
    u = understand("Which projects are in Scotland or Yorkshire?", VOCAB)
    assert u.project_lookup and u.filters.region == []


def test_years_are_read_as_a_range() -> None:
    assert understand("which schemes started since 2016", VOCAB).filters.year_from == 2016
    between = understand("which pilots ran between 2014 and 2016", VOCAB).filters
    assert (between.year_from, between.year_to) == (2014, 2016)
    assert understand("which projects began before 2015", VOCAB).filters.year_to == 2014


def test_questions_about_one_thing_imply_no_filters() -> None:
    u = understand("What did the London Fire Brigade say about co-responding?", VOCAB)
    assert not u.project_lookup and u.filters.is_empty()


def test_england_and_wales_is_the_whole_scope_not_the_wales_region() -> None:
    u = understand("Which projects across England and Wales share control rooms?", VOCAB)
    assert u.filters.region == []

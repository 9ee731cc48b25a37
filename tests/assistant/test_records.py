"""A question about a set of project records is read as conditions over their fields, against
the values the records really hold and the everyday words a profile gives for them."""

from __future__ import annotations

from assistant.question.conditions import RecordFacts, Words
from assistant.question.records import Vocabulary, read_records
from assistant.types import Chunk

RECORDS = RecordFacts(
    regions=frozenset(
        {
            "South Vale",
            "North Vale",
            "North Moor",
            "Glenland",
            "East of Dunshire",
            "Dale and the Fen",
        }
    ),
    themes=frozenset({"shared_estates", "control_rooms_999", "co_responding"}),
    services=frozenset({"police", "fire", "ambulance", "local_authority"}),
    statuses=frozenset({"operational", "pilot", "planned", "ended"}),
)
VOCAB = Vocabulary(records=RECORDS)
WORDS = Words(
    services={"local_authority": ("council", "councils")},
    service_groups={"blue lights": ("police", "fire", "ambulance")},
    statuses={
        "operational": ("up and running", "live"),
        "ended": ("wound up",),
        "planned": ("planning",),
    },
    themes={"shared_estates": ("shared buildings",)},
    scope=("the whole kingdom",),
    aliases={"glenish": "Glenland"},
)


def _read(question: str):  # type: ignore[no-untyped-def]
    found = read_records(question, VOCAB, WORDS)
    assert found.project_lookup and found.conditions is not None, question
    return found.conditions


def test_region_services_and_theme_are_read_from_a_project_question() -> None:
    c = _read("Which projects in South Vale involve fire and ambulance co-responding?")
    assert c.regions == ("South Vale",)
    assert c.services_in == ("ambulance", "fire")
    assert c.themes == ("co_responding",)


def test_everyday_words_short_forms_and_initials_name_the_values() -> None:
    assert _read("any shared buildings schemes in SV").regions == ("South Vale",)
    assert _read("shared buildings stuff on record for east of duns").regions == (
        "East of Dunshire",
    )
    assert _read("glenish projects that are live").regions == ("Glenland",)
    assert _read("glenish projects that are live").statuses_in == ("operational",)
    assert _read("which schemes have been wound up").statuses_in == ("ended",)


def test_either_side_of_a_region_named_x_and_the_y_names_it() -> None:
    assert _read("any fire schemes in the dale").regions == ("Dale and the Fen",)
    assert _read("fen projects that are live").regions == ("Dale and the Fen",)
    assert _read("which projects are in the Dale and the Fen").regions == ("Dale and the Fen",)


def test_a_bare_compass_point_takes_every_region_it_starts() -> None:
    assert set(_read("anything in the north still at pilot stage").regions) == {
        "North Vale",
        "North Moor",
    }


def test_services_left_out_and_only_one_service() -> None:
    c = _read("schemes with the ambulance service but no fire involvement")
    assert (c.services_in, c.services_out) == (("ambulance",), ("fire",))
    only = _read("collabs that are purely fire - no police or council")
    assert only.services_in == ("fire",)
    assert set(only.services_out) == {"police", "ambulance", "local_authority"}
    assert _read("projects with all the blue lights in").services_in == (
        "ambulance",
        "fire",
        "police",
    )


def test_a_stage_not_yet_passed_is_the_stage_it_stands_at() -> None:
    c = _read("which projects haven't got past planning stage")
    assert (c.statuses_in, c.statuses_out) == (("planned",), ())
    assert _read("which projects are not pilots").statuses_out == ("pilot",)


def test_years_and_savings_are_read_as_ranges() -> None:
    assert _read("which schemes started since 2016").year_from == 2016
    between = _read("which pilots ran between 2014 and 2016")
    assert (between.year_from, between.year_to) == (2014, 2016)
    assert _read("which projects began before 2015").year_to == 2014
    money = _read("which records show savings of at least half a mil but under a mil")
    assert (money.savings_min, money.savings_max) == (500_000, 1_000_000)
    assert _read("projects saving over £250k").savings_min == 250_000


def test_a_value_the_records_do_not_hold_is_not_invented() -> None:
    assert read_records("Which projects are in Atlantis?", VOCAB, WORDS).conditions is None


def test_questions_about_one_thing_set_no_conditions() -> None:
    u = read_records("What did the South Vale fire service say about co-responding?", VOCAB, WORDS)
    assert u.conditions is None and u.filters.is_empty()


def test_what_a_source_said_about_records_is_not_a_question_for_records() -> None:
    said = read_records("what did the inspectorate say about police collabs in Glenland", VOCAB)
    assert not said.project_lookup and said.conditions is None
    assert _read("which police collabs in Glenland went ahead").services_in == ("police",)


def test_the_whole_scope_is_not_a_region() -> None:
    assert read_records("Which projects across the whole kingdom?", VOCAB, WORDS).conditions is None


def test_conditions_select_exactly_the_matching_records() -> None:
    c = _read("live schemes in South Vale with the police but no fire saving over £1m")

    def record(n: int, **fields: object) -> Chunk:
        base: dict[str, object] = dict(
            chunk_id=f"r{n}", doc_id="d", doc_hash="h", position=n, text="", source="r.csv",
            title=f"R{n}", doc_type="project", record_id=f"R{n}", region="South Vale",
            services=("police",), status="operational", savings=2e6,
        )  # fmt: skip
        return Chunk(**{**base, **fields})  # type: ignore[arg-type]

    assert c.matches(record(1))
    assert not c.matches(record(2, services=("police", "fire")))
    assert not c.matches(record(3, status="pilot"))
    assert not c.matches(record(4, savings=None))
    assert not c.matches(record(5, savings=5e5))
    assert not c.matches(record(6, region="North Vale"))


def test_a_collection_word_is_told_from_other_words() -> None:
    from assistant.question.records import collection

    assert collection("stuff") and collection("schemes")
    assert not collection("armed") and not collection("scheme")


def test_a_day_the_asker_needs_it_by_is_no_subject_of_a_record_question() -> None:
    from collections import Counter

    from assistant.question.known import Known
    from assistant.question.names import Lexicon
    from assistant.question.spelling import Speller, english_words
    from assistant.question.understand import understand
    from assistant.terms import terms, words
    from assistant.types import Ask

    text = "Fire crews in Glenland share a station with the police."
    vocab = Counter(words(text))
    known = Known(
        lexicon=Lexicon([text], vocab, english_words()),
        speller=Speller(vocab),
        vocabulary=VOCAB,
        words=frozenset(vocab),
        terms=Counter(terms(text)),
    )
    by_day = understand(Ask(question="which fire projects are in Glenland, by friday"), known)
    assert by_day.records.conditions is not None
    assert "friday" not in by_day.foreign
    # A common word the store never uses still names what no record is about.
    armed = understand(Ask(question="which fire projects in Glenland have armed crews"), known)
    assert "armed" in armed.foreign

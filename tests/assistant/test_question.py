"""Question analysis on small hand-made questions: answer types, parts, names, follow-ups."""

from __future__ import annotations

import pytest

from assistant.question.analysis import (
    analyse,
    answer_type,
    asked_concept,
    fits,
    names_in,
    split_parts,
    with_context,
)
from assistant.types import Turn


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("How much did the new station cost?", "money"),
        ("What was the total budget of the programme?", "money"),
        ("how big was the grant for the joint hub", "money"),
        ("how much capital support grant did the county lose", "money"),
        ("How much time does the transfer save per call?", "duration"),
        ("How many firefighters took part?", "count"),
        ("What percentage of call-outs needed an ambulance?", "percent"),
        ("When did the hub open?", "date"),
        ("In what year was the duty introduced?", "date"),
        ("Who chairs the working group?", "person_org"),
        ("Which organisation led the trial?", "person_org"),
        ("Where is the joint control room?", "place"),
        ("Is there a statutory duty to collaborate?", "yes_no"),
        ("Why did the trial end?", "explanation"),
        ("Compare the two control rooms", "comparison"),
        ("What did the review find about estates?", "fact"),
        # typed the way officers type: no apostrophe, a context clause first, other verbs
        ("whats the annual rent for the shared site", "money"),
        ("what's the yearly running cost of the joint depot", "money"),
        ("did the new link make dispatch quicker, by how much", "duration"),
        ("what does the scheme charge per visit", "money"),
        ("what are the wardens paid", "money"),
        ("whats the headcount at the joint centre", "count"),
        ("for the board - when did the merger go through", "date"),
        ("which contractor fitted out the station", "person_org"),
        ("whos running the joint station now", "person_org"),
        ("what was the typical attendance time in the pilot", "time"),
        ("by how much did the unit shorten waiting times", "time"),
        ("what did the union think of the merger", "opinion"),
        ("the chief's view on shared control rooms", "opinion"),
        ("What did the review say about estates?", "fact"),
    ],
)
def test_the_answer_type_follows_what_is_asked(question: str, wanted: str) -> None:
    assert answer_type(question) == wanted


def test_two_questions_in_one_are_two_parts_but_a_list_of_services_is_not() -> None:
    assert split_parts("When did the hub open and what did it cost?") == [
        "When did the hub open",
        "what did it cost",
    ]
    assert split_parts("Which projects involve fire and police?") == [
        "Which projects involve fire and police"
    ]
    parts = analyse("When did the hub open and what did it cost?").parts
    assert [p.answer_type for p in parts] == ["date", "money"]


def test_names_are_the_capitalised_runs_not_the_words_capitalised_by_position() -> None:
    assert names_in("What did the Hayle tri-service hub achieve?") == ["Hayle"]
    assert names_in(
        "Who represents the LGA on the Emergency Services Collaboration Working Group?"
    ) == [
        "LGA",
        "Emergency Services Collaboration Working Group",
    ]
    assert names_in("How many firefighters were cut between 2010 and 2015?") == []
    assert analyse("What happened in 2016?").years == ("2016",)


def test_whoever_the_asker_answers_to_is_no_name_of_the_question() -> None:
    assert names_in("the ACC wants to know when the Kent unit started") == ["Kent"]
    assert names_in("is the Hayle hub still open, as the DCC wants it by friday") == ["Hayle"]
    # Whom the asker's own work is for, in a clause before the question, is no subject either.
    assert names_in("drafting a note for the CFO - which Kent projects saved money") == ["Kent"]
    assert names_in("Funding for the PCC - who paid") == ["PCC"]
    # A body that asks something inside the question is one of its subjects.
    assert names_in("what did the Home Office say when the PCC asked the Minister") == [
        "Home Office",
        "PCC",
        "Minister",
    ]


def test_a_list_question_is_recognised() -> None:
    assert analyse("What are the main barriers to collaboration?").wants_list
    assert not analyse("What is the main barrier to collaboration?").wants_list


@pytest.mark.parametrize(
    ("kind", "text", "fits_it"),
    [
        ("money", "The hub was expected to cost about £4.4m.", True),
        ("money", "The hub opened in 2014 with three services.", False),
        ("count", "Firefighters attended more than 700 calls.", True),
        ("count", "The hub opened in 2014.", False),
        ("percent", "Barely 10% of call-outs needed an ambulance.", True),
        ("date", "It was officially opened on 18 September 2024.", True),
        ("date", "It houses three services.", False),
        ("person_org", "The group is chaired by the Police and Crime Commissioner.", True),
        ("fact", "anything at all", True),
    ],
)
def test_values_of_each_type_are_recognised_in_evidence(
    kind: str, text: str, fits_it: bool
) -> None:
    assert fits(kind, text) is fits_it


def test_a_follow_up_borrows_the_last_question_and_a_new_question_does_not() -> None:
    turns = [
        Turn(role="user", content="Tell me about the Hayle hub"),
        Turn(role="assistant", content="It opened in 2014."),
    ]
    assert (
        with_context("when did it open?", turns) == "when did it open? Tell me about the Hayle hub"
    )
    assert with_context("What are the barriers to collaboration?", turns) == (
        "What are the barriers to collaboration?"
    )


def test_a_follow_up_naming_a_person_by_pronoun_borrows_the_question_about_them() -> None:
    turns = [
        Turn(role="user", content="who chaired the working group at first"),
        Turn(role="assistant", content="The Hertfordshire commissioner."),
    ]
    assert with_context("who took over from him", turns) == (
        "who took over from him who chaired the working group at first"
    )


def test_a_chain_of_follow_ups_reaches_back_to_the_question_that_named_its_subject() -> None:
    turns = [
        Turn(role="user", content="Tell me about the Hayle hub"),
        Turn(role="assistant", content="A station shared by three services."),
        Turn(role="user", content="why was it built"),
        Turn(role="assistant", content="To replace two old stations."),
    ]
    assert with_context("and when did it open", turns) == (
        "and when did it open why was it built Tell me about the Hayle hub"
    )


def test_what_got_faster_is_the_word_after_the_comparison_not_the_scheme_named() -> None:
    part = analyse("how much quicker did crews arrive under the glen hub scheme").parts[0]
    assert (part.answer_type, part.focus) == ("duration", ("crews",))


def test_a_count_naming_nothing_counted_counts_what_the_count_before_it_did() -> None:
    parts = analyse("how many applications came in and how many were successful").parts
    assert [(p.answer_type, p.focus[:1]) for p in parts] == [
        ("count", ("applications",)),
        ("count", ("applications",)),
    ]
    own = analyse("how many engines were bought and how many crews were trained").parts
    assert own[1].focus[:1] == ("crews",)


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("what stops services collaborating", "barriers"),
        ("what's holding the police and fire back from sharing", "barriers"),
        ("any hurdles to a joint control room?", "barriers"),
        ("what helps police and fire collaboration work well", "enablers"),
        ("what made the joint training academy a success", "enablers"),
        ("when did the trial stop", "barriers"),
        ("what did the trial cost", None),
        ("where is the joint control room", None),
    ],
)
def test_what_holds_things_back_or_helps_them_along_is_asked_as_research_names_it(
    question: str, concept: str | None
) -> None:
    assert asked_concept(question) == concept


def test_a_question_opening_with_a_joining_word_follows_on_however_long() -> None:
    turns = [Turn(role="user", content="who sat on the working group")]
    long = "and who was meant to come along to the next meeting to talk the plan through"
    assert with_context(long, turns) == f"{long} who sat on the working group"
    alone = "who was meant to come along to the next meeting to talk the whole plan through"
    assert with_context(alone, turns) == alone


def test_a_bare_how_much_asks_the_amount_of_what_the_question_is_about() -> None:
    money = analyse("which minister promised the forces money for shared sites, and how much")
    assert [p.answer_type for p in money.parts] == ["person_org", "money"]
    count = analyse("when did the crews move in and how much")
    assert [p.answer_type for p in count.parts] == ["date", "count"]

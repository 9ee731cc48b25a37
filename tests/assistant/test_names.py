"""Names in a question are linked to the store's words before anything is decided."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.question.known import Known
from assistant.question.names import Lexicon
from assistant.question.records import Vocabulary
from assistant.question.spelling import Speller, common_words, english_words
from assistant.question.understand import understand
from assistant.question.unknown import COMMON_WORDS
from assistant.terms import terms, words
from assistant.types import Ask

TEXTS = [
    "Warwickshire Fire and Rescue Service shares a station with Warwickshire Police.",
    "North West Ambulance Service crews were sent with firefighters to cardiac arrests.",
    "The Joint Response Unit (JRU) pairs a paramedic with a police officer.",
    "Nottinghamshire Police moved into Sherwood Lodge with the fire service in 2021.",
    "Milton Keynes Council signed the agreement.",
    "The joint committee reported to the government.",
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    vocab = Counter(w for t in TEXTS for w in words(t))
    return Lexicon(TEXTS, vocab, english_words(), common_words(15_000))


PROFILE = {"ff": "firefighter"}


@pytest.mark.parametrize(
    ("typed", "read_as", "how"),
    [
        ("Warwickshire", "Warwickshire", "exact"),
        ("ff", "firefighter", "profile"),
        ("NWAS", "North West Ambulance Service", "initials"),
        ("jru", "Joint Response Unit", "defined"),
        ("warks", "Warwickshire", "short_form"),
        ("Notts", "Nottinghamshire", "short_form"),
        ("Nottinghamshre", "Nottinghamshire", "fuzzy"),
        ("cttee", "committee", "contraction"),
    ],
)
def test_a_name_spelt_another_way_is_read_as_the_store_writes_it(
    lexicon: Lexicon, typed: str, read_as: str, how: str
) -> None:
    link = lexicon.link(typed, PROFILE)
    assert (link.read_as, link.how) == (read_as, how)
    assert link.linked


def test_a_common_english_word_is_a_short_form_only_when_typed_as_a_name(lexicon: Lexicon) -> None:
    # "keys" has the letters of Keynes in order, but typed small it is a word.
    assert not lexicon.link("keys").linked
    assert lexicon.link("Keys").read_as == "Keynes"


def test_a_name_the_store_never_uses_stays_unlinked(lexicon: Lexicon) -> None:
    link = lexicon.link("Cumbria")
    assert (link.linked, link.reported) == (False, False)


def test_only_readings_that_change_the_name_are_reported(lexicon: Lexicon) -> None:
    assert lexicon.link("warks").reported
    assert not lexicon.link("Warwickshire").reported
    assert not lexicon.link("ff", PROFILE).reported  # the profile's everyday forms are not news
    # A definition the documents give is searched too, but the store uses the short form.
    assert lexicon.link("JRU").how == "defined" and not lexicon.link("JRU").reported


def test_initials_typed_in_lower_case_are_linked_but_english_words_are_not() -> None:
    lexicon = Lexicon(
        ["crews from North Vale Ambulance Service met the Glen Area Services Board."],
        {"north": 1, "vale": 1, "ambulance": 1, "service": 1, "glen": 1, "area": 1},
        english=frozenset({"gasb", "gas"}),
    )
    assert lexicon.link("nvas").read_as == "North Vale Ambulance Service"
    assert lexicon.link("nvas").how == "initials"
    # An English word typed in lower case stays a word, even where initials would fit it.
    assert lexicon.link("gasb").how != "initials"


def test_words_the_store_writes_as_names_are_known_as_names() -> None:
    lexicon = Lexicon(
        [
            "The joint station at Nettleham opened in 2017.",
            "Police and fire moved in, and the police said so at Sherwood Lodge.",
        ],
        {},
    )
    assert {"nettleham", "sherwood", "lodge"} <= lexicon.names
    # "Police" opens a sentence once and is written in lower case inside one: a word, not a name.
    assert "police" not in lexicon.names and "the" not in lexicon.names


def test_a_contraction_keeps_its_words_first_and_last_letters(lexicon: Lexicon) -> None:
    # Letters in order are not enough ("cmtee" skips committee's second letter), and a
    # capitalised word is a name, never a contraction.
    assert not lexicon.link("cmtee").linked
    assert lexicon.link("Cttee").how != "contraction"


def test_a_word_the_store_writes_small_is_a_short_form_when_typed_as_a_name() -> None:
    texts = ["Staffordshire Fire and Rescue Service staff moved into the police station."]
    vocab = Counter(w for t in texts for w in words(t))
    lexicon = Lexicon(texts, vocab, english_words(), common_words(15_000))
    assert lexicon.link("Staffs").read_as == "Staffordshire"
    assert lexicon.link("staffs").how == "exact"  # typed small, it is the word


def test_a_plural_of_a_fragment_or_a_name_is_read_as_the_name_it_shortens() -> None:
    # "warw" is a broken word the store holds once and "York" is a name: neither takes an "s",
    # so "warws" and "yorks" typed small shorten the county names. "hubs" is the plural of a
    # word, "pccs" of an initialism, and "maits" does not start Maintenance: all stay as typed.
    texts = [
        "Warwickshire Fire and Rescue Service and Warwickshire Police share a station.",
        "The page broke the name as warw ickshire once.",
        "North Yorkshire Police and North Yorkshire Fire share a hub near York.",
        "In York the two stations work together, and the PCC agreed.",
        "MAIT links the control rooms. Maintenance is shared.",
    ]
    vocab = Counter(w for t in texts for w in words(t))
    lexicon = Lexicon(texts, vocab, english_words(), common_words(15_000))
    assert (lexicon.link("warws").read_as, lexicon.link("warws").how) == (
        "Warwickshire",
        "short_form",
    )
    assert lexicon.link("yorks").read_as == "Yorkshire"
    for word in ("hubs", "pccs", "maits"):
        assert (lexicon.link(word).read_as, lexicon.link(word).how) == (word, "exact"), word


def test_a_short_form_of_a_common_word_the_store_writes_as_a_name_is_searched_as_it() -> None:
    # "midlands" is a common English word, but the store writes it as a name inside sentences,
    # and "Mid" is a name too (Mid Vale), so "mids" is no plural: it is read as Midlands.
    text = (
        "Services across the west Midlands share control rooms, and crews in Mid Vale and in "
        "the Midlands were trained."
    )
    known = _known(text)
    understood = understand(Ask(question="any west mids control rooms"), known)
    assert [(k.typed, k.read_as) for k in understood.links] == [("mids", "Midlands")]
    assert understood.search.endswith("Midlands")


def test_the_question_is_read_through_its_typos_but_a_question_word_never_becomes_another() -> None:
    text = (
        "Which area is the Hayle hub in? It is in the west. Crews there were trained and "
        "were praised, and their work saved 12 lives. Were they paid? Where is it?"
    )
    known = _known(text)

    def parts(question: str) -> list[tuple[str, tuple[str, ...]]]:
        analysis = understand(Ask(question=question), known).analysis
        return [(p.answer_type, p.focus) for p in analysis.parts]

    assert parts("whch area is the Hayle hub in") == [("place", ())]
    assert parts("how many lves has the Hayle hub saved") == [("count", ("lives",))]
    # "wehre" is one edit from "were" as from "where": no yes-or-no question is made of it.
    assert known.speller.correct("wehre") == "were"
    assert parts("wehre is the Hayle hub")[0][0] != "yes_no"
    # The names stay as typed.
    assert understand(Ask(question="whch area is the Hayle hub in"), known).analysis.names == (
        "Hayle",
    )


def test_a_list_asked_in_everyday_words_is_read_as_one_only_when_no_project_is_named() -> None:
    text = "The 2015 research listed six barriers. The Hayle hub trial ran into union barriers."
    known = _known(text)
    general = understand(Ask(question="what stops services working together"), known)
    assert (general.analysis.wants_list, general.analysis.listed) == (True, "barriers")
    assert general.search.endswith("barriers")
    # A named project's own record says what held it back: no list of research findings.
    named = understand(Ask(question="what stopped the Hayle hub trial"), known)
    assert named.analysis.listed != "barriers"
    assert named.search.endswith("barriers")
    # A question asking for a date keeps asking for one.
    dated = understand(Ask(question="when did services stop working together"), known)
    assert (dated.analysis.parts[0].answer_type, dated.analysis.wants_list) == ("date", False)


def _known(text: str) -> Known:
    """What a store holding only `text` knows, as understanding reads it."""
    vocab = Counter(words(text))
    return Known(
        lexicon=Lexicon([text], vocab, english_words(), common_words(COMMON_WORDS)),
        speller=Speller(vocab),
        vocabulary=Vocabulary(),
        words=frozenset(vocab),
        terms=Counter(terms(text)),
    )


def test_initials_of_a_long_name_of_its_tail_and_beside_a_word_are_read() -> None:
    texts = [
        "The South Wales Tri-Service Public Service and Joint Emergency Control Centre opened.",
        "Surrey and Sussex Emergency Services Collaboration Programme partners met.",
        "Avon Fire and Rescue headquarters moved next to the police HQ.",
    ]
    lexicon = Lexicon(texts, Counter(w for t in texts for w in words(t)), english_words())
    centre = "South Wales Tri-Service Public Service and Joint Emergency Control Centre"
    assert lexicon.link("SWTPSJECC").read_as == centre
    # "Surrey SESCP": the initialism shortens the name's tail, after the county typed in full.
    programme = "Sussex Emergency Services Collaboration Programme"
    assert lexicon.link("SESCP").read_as == programme
    assert lexicon.link("SSESCP").read_as == f"Surrey and {programme}"
    assert lexicon.link("AFR HQ").read_as == "Avon Fire and Rescue HQ"
    # A tail shorter than three letters has too many readings to be one.
    assert not lexicon.link("CP").linked


def test_a_name_whose_words_the_store_uses_only_apart_is_known_but_unphrased() -> None:
    texts = [
        "Kent Police gave the charity a room; the commission met in Maidstone.",
    ]
    lexicon = Lexicon(texts, Counter(w for t in texts for w in words(t)), english_words())
    body = lexicon.link("Charity Commission")
    assert (body.how, body.unphrased) == ("exact", True)
    assert not lexicon.link("Kent Police").unphrased
    assert not lexicon.link("Maidstone").unphrased

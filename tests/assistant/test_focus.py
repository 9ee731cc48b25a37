"""What a question asks of the names it pins is searched apart from them: a name's long form
fills the question's vector, and the sentence that answers may not repeat the name."""

from __future__ import annotations

from pathlib import Path

from assistant.answer import Assistant
from assistant.factory import build_assistant
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.store import Store
from assistant.settings import Settings
from assistant.types import Ask, Chunk, Turn
from ingest.run import ingest
from tests.conftest import CORPUS

GROUP = "Kestrel Bay Maritime Rescue Liaison Group"
# Every section but one names the group in full; the one saying when it first met does not.
WORK = [
    ("Its purpose", "planned joint searches at sea for the coastguard and the lifeboat crews"),
    ("Reporting", "reported to the harbour board every quarter on its searches"),
    ("Its plans", "wrote a joint search plan for the bay and a shared radio protocol"),
    ("Exercises", "ran two exercises with the air ambulance over the sandbanks"),
    ("Funding", "was paid for by the harbour board and the county council together"),
    ("Its end", "handed its plans to the county resilience forum when it closed"),
]
BRIEFING = (
    f"# {GROUP}: a briefing\n\n"
    + "".join(
        f"## {heading}\n\nThe {GROUP} (KBMRLG) {what}. The {GROUP} (KBMRLG) kept minutes of it.\n\n"
        for heading, what in WORK[:3]
    )
    + (
        "## How it began\n\nThe board agreed the terms of reference in the spring. The members "
        "first met on 3 May 2031 in the harbour office at Tarrowmouth, with the coxswain of the "
        "lifeboat in the chair.\n\n"
    )
    + "".join(
        f"## {heading}\n\nThe {GROUP} (KBMRLG) {what}. The {GROUP} (KBMRLG) kept minutes of it.\n\n"
        for heading, what in WORK[3:]
    )
)


def _chunk(i: int, text: str, title: str = "Report") -> Chunk:
    return Chunk(
        chunk_id=f"d:h:{i:03d}", doc_id="d", doc_hash="h", position=i, text=text,
        source="d.txt", title=title, doc_type="report",
    )  # fmt: skip


def test_the_chunks_holding_every_term_of_a_name_are_read_from_the_index() -> None:
    texts = [
        "The harbour police met the coastguard.",
        "Coastguard crews trained with the lifeboat.",
        "A harbour office opened.",
        "Police and coastguard shared a harbour base.",
    ]
    index = LexicalIndex([_chunk(i, t) for i, t in enumerate(texts)])
    assert index.holding(index.query_terms("harbour coastguard")).tolist() == [0, 3]
    assert index.holding(index.query_terms("lifeboat")).tolist() == [1]
    assert index.holding(index.query_terms("report")).tolist() == [0, 1, 2, 3]  # the title
    assert index.holding(index.query_terms("harbour helicopter")).size == 0


def _briefed(store: Store, settings: Settings, embedder: Embedder, tmp_path: Path) -> Assistant:
    """An assistant over the seed documents and the group's briefing."""
    (tmp_path / "briefing.md").write_text(BRIEFING, encoding="utf-8")
    assert not ingest([CORPUS / "seed", tmp_path], store, embedder, settings).failed
    return build_assistant(settings, store=store, embedder=embedder)


def test_a_sentence_that_answers_without_repeating_the_name_is_read_and_chosen(
    store: Store, settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    assistant = _briefed(store, settings, embedder, tmp_path)
    ask = Ask(question="where and when did the KBMRLG first meet")
    understood = assistant.understand(ask)
    assert understood.focus == "where and when did the first meet"
    assert GROUP in understood.named
    retrieval = assistant.retrieve(understood, ask)
    met = [s for s in retrieval.sentences if "first met" in s.unit.text]
    assert met and met[0].focus > met[0].similarity
    answer = assistant.answer(ask)
    # The sentence that answers opens the answer; those that only name the group follow it.
    assert answer.status == "answered"
    assert answer.answer.startswith("- The members first met on 3 May 2031")


def test_a_follow_up_asks_its_own_words_of_the_names_before_it(
    store: Store, settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    assistant = _briefed(store, settings, embedder, tmp_path)
    first = "what did the kestrel bay maritime rescue liaison group do"
    history = [
        Turn(role="user", content=first),
        Turn(role="assistant", content="It planned joint searches at sea."),
    ]
    ask = Ask(question="when did they first get together", history=history)
    understood = assistant.understand(ask)
    # Its names are the earlier turn's; what it asks of them is its own words alone.
    assert understood.focus == "when did they first get together"
    assert any("kestrel bay" in n.lower() for n in understood.named)
    met = [s for s in assistant.retrieve(understood, ask).sentences if "first met" in s.unit.text]
    assert met and met[0].focus > 0.0  # read against what the follow-up asks
    answer = assistant.answer(ask)
    assert answer.status == "answered"
    assert "3 May 2031" in answer.answer


def test_a_question_that_names_nothing_has_no_focus(
    corpus_assistant,  # type: ignore[no-untyped-def]
) -> None:
    understood = corpus_assistant.understand(Ask(question="what gets in the way of joint working"))
    assert understood.focus == "" and understood.named == ()
    retrieval = corpus_assistant.retrieve(understood, Ask(question="x"))
    assert retrieval.sentences and all(s.focus == 0.0 for s in retrieval.sentences)

"""Questions suggested with a decline are checked when the store's index is built, not while the
decline is answered: a decline asks nothing more of the store than an answer does, and a section
written later is offered once the index has reloaded."""

from __future__ import annotations

from pathlib import Path

from assistant.answer import Assistant
from assistant.factory import build_assistant
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from assistant.types import Ask
from ingest.run import ingest
from tests.conftest import CORPUS

DECLINED = "What is the annual budget of the New York Fire Department?"
NEW_SECTION = (
    "# Harbour safety pilots\n\n"
    "## Tarrowmouth harbour drone pilot\n\n"
    "The Tarrowmouth harbour drone pilot gave police, fire and coastguard crews one shared fleet "
    "of seventeen drones, flown from the lifeboat station from March 2031. The drones searched "
    "the harbour for missing people and surveyed fires on moored boats for all three services.\n"
)
NEW_SUGGESTION = "What does the evidence say about Tarrowmouth harbour drone pilot?"


def test_a_decline_searches_once_and_offers_suggestions_checked_with_the_index(
    corpus_assistant: Assistant,
) -> None:
    corpus_assistant.retriever.refresh()  # as the API does at startup: the index, then its checks
    searched: list[str] = []
    corpus_assistant.retriever.on_stage = lambda stage, _: searched.append(stage)
    try:
        answer = corpus_assistant.answer(Ask(question=DECLINED))
    finally:
        corpus_assistant.retriever.on_stage = None
    assert answer.status == "not_covered" and answer.suggestions
    assert searched.count("embed") == 1  # the question itself; no suggestion is asked now
    answerable = corpus_assistant.retriever.indexes.current().answerable
    assert set(answer.suggestions) <= answerable


def test_the_same_decline_gets_the_same_suggestions_whole_and_streamed(
    corpus_assistant: Assistant,
) -> None:
    whole = corpus_assistant.answer(Ask(question=DECLINED))
    done = dict(corpus_assistant.stream(Ask(question=DECLINED)))["done"]
    assert done["suggestions"] == whole.suggestions
    assert corpus_assistant.answer(Ask(question=DECLINED)).suggestions == whole.suggestions


def test_a_section_written_later_is_suggested_once_the_index_reloads(
    store: Store, settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    assert not ingest([CORPUS / "seed"], store, embedder, settings).failed
    assistant = build_assistant(settings, store=store, embedder=embedder)
    assert NEW_SUGGESTION not in assistant.retriever.indexes.current().answerable

    note = tmp_path / "notes" / "harbour.md"
    note.parent.mkdir()
    note.write_text(NEW_SECTION, encoding="utf-8")
    assert ingest([note.parent], store, embedder, settings).added
    assert assistant.retriever.refresh(force=True)
    assert NEW_SUGGESTION in assistant.retriever.indexes.current().answerable

"""A retriever stays in step with documents another store handle commits, without a restart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant.question.understand import understand
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.retrieve import Retrieval, Retriever
from assistant.retrieval.store import open_store
from assistant.settings import Settings
from assistant.types import Ask
from ingest.run import ingest
from tests.conftest import CORPUS

NEW_FACT = (
    "# Harbour drone pilot\n\n"
    "The Tarrowmouth harbour drone pilot gave police, fire and coastguard crews one shared fleet "
    "of seventeen drones, flown from the lifeboat station from March 2031.\n"
)
QUESTION = "How many drones did the Tarrowmouth harbour pilot share?"


def _retrieve(retriever: Retriever, question: str) -> Retrieval:
    snapshot = retriever.snapshot()
    understood = understand(Ask(question=question), snapshot.known)
    return retriever.retrieve(understood, snapshot=snapshot)


def _sources(retriever: Retriever, question: str) -> set[str]:
    # A file from outside the corpus is named by its full path: compare file names.
    return {hit.chunk.source.rsplit("/", 1)[-1] for hit in _retrieve(retriever, question).hits}


def test_retriever_reloads_when_another_handle_commits_a_document(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    writer = open_store(settings)
    ingest([CORPUS / "seed"], writer, embedder, settings)
    retriever = Retriever(open_store(settings), embedder, recheck_s=0.0)
    assert "harbour-drone-pilot.md" not in _sources(retriever, QUESTION)
    assert retriever.reloads == 1

    note = tmp_path / "harbour-drone-pilot.md"
    note.write_text(NEW_FACT)
    ingest([note], writer, embedder, settings)

    assert "harbour-drone-pilot.md" in _sources(retriever, QUESTION)
    assert retriever.reloads == 2


def test_retriever_does_not_reload_while_the_store_is_unchanged(
    settings: Settings, embedder: Embedder
) -> None:
    ingest([CORPUS / "seed"], open_store(settings), embedder, settings)
    retriever = Retriever(open_store(settings), embedder, recheck_s=0.0)

    for _ in range(3):
        _retrieve(retriever, "Who represents the LGA on the working group?")

    assert retriever.reloads == 1


def test_queries_answer_from_the_current_index_while_another_thread_rebuilds(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    writer = open_store(settings)
    ingest([CORPUS / "seed"], writer, embedder, settings)
    retriever = Retriever(open_store(settings), embedder, recheck_s=0.0)
    retriever.refresh()
    note = tmp_path / "harbour-drone-pilot.md"
    note.write_text(NEW_FACT)
    ingest([note], writer, embedder, settings)

    with ThreadPoolExecutor(1) as pool, retriever.indexes._lock:  # as if a rebuild were under way
        during = pool.submit(_sources, retriever, QUESTION).result(timeout=60)

    assert "harbour-drone-pilot.md" not in during, "answered from the index it had, at once"
    assert "harbour-drone-pilot.md" in _sources(retriever, QUESTION)
    assert retriever.reloads == 2

"""Two API worker processes share one Chroma server; a document another process ingests reaches
both without a restart (each worker's lexical index follows the store's version token)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.retrieval.store import open_store
from tests.conftest import CORPUS, ChromaServer, stop
from tests.scale.conftest import ApiWorker, run_bluelight, start_api_worker
from tests.scale.test_reload import NEW_FACT, QUESTION

pytestmark = [pytest.mark.server, pytest.mark.slow]

NOTE = "harbour-drone-pilot.md"
# Workers recheck the store's version at most once a second; the rebuild itself takes longer.
RELOAD_WAIT_S = 60.0


def _cites(answer: dict, source: str) -> bool:
    # A file from outside the corpus is named by its full path (ingest/files.py).
    return any(
        c["source"] == source or c["source"].endswith(f"/{source}") for c in answer["citations"]
    )


@pytest.fixture
def shared(chroma_server: ChromaServer, tmp_path: Path) -> Iterator[tuple[dict, list[ApiWorker]]]:
    """A collection on the server, filled by one `bluelight ingest` process, and two workers."""
    settings = chroma_server.settings(tmp_path / "ingest")
    env = chroma_server.env(settings)
    done = run_bluelight(["ingest", str(CORPUS / "seed")], env)
    assert done.returncode == 0, done.stderr
    workers: list[ApiWorker] = []
    try:
        for name in ("a", "b"):
            worker_env = {**env, "BLUELIGHT_DATA_DIR": str(tmp_path / f"worker-{name}")}
            workers.append(start_api_worker(worker_env, tmp_path / f"worker-{name}.log"))
        yield env, workers
    finally:
        for worker in workers:
            stop(worker.proc)


def test_both_workers_answer_from_a_document_ingested_by_another_process(
    shared: tuple[dict, list[ApiWorker]], chroma_server: ChromaServer, tmp_path: Path
) -> None:
    env, workers = shared
    store = open_store(chroma_server.settings(tmp_path / "reader", env["BLUELIGHT_COLLECTION"]))
    for worker in workers:
        ready = httpx.get(f"{worker.url}/readyz", timeout=10).json()
        assert (ready["chunks"], ready["documents"]) == (store.count(), len(store.manifest()))
        first = worker.ask("Who represents the LGA on the working group?")
        assert _cites(first, "seed/lga-escwg-paper.txt")
        assert not _cites(worker.ask(QUESTION), NOTE)

    note = tmp_path / "notes" / NOTE
    note.parent.mkdir()
    note.write_text(NEW_FACT)
    done = run_bluelight(["ingest", str(note)], env)
    assert done.returncode == 0, done.stderr
    assert "added 1" in done.stdout

    for worker in workers:
        deadline = time.monotonic() + RELOAD_WAIT_S
        answer = worker.ask(QUESTION)
        while not _cites(answer, NOTE) and time.monotonic() < deadline:
            time.sleep(0.5)
            answer = worker.ask(QUESTION)
        assert _cites(answer, NOTE), f"worker on port {worker.port} never saw {NOTE}"
        assert "seventeen" in answer["answer"]
        assert worker.proc.poll() is None, "answered by the same process, not a restarted one"

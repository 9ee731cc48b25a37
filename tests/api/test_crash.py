"""A server killed (SIGKILL) while an upload job writes to the store, then started again: the job
says it failed and why, and the half-written document is gone from the store."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from ingest.split import doc_id_for
from tests.api.conftest import API_KEY, Server, start_server
from tests.api.test_uploads import finished, upload
from tests.conftest import ChromaServer

pytestmark = [pytest.mark.server, pytest.mark.slow]

# More records than the store writes in one call (assistant/retrieval/store.py WRITE_BATCH,
# 2,000), so the write takes several calls, and a kill between them lands mid-document.
RECORDS = 2_300


def many_records(n: int) -> bytes:
    towns = ["Exeter", "Truro", "Taunton", "Bodmin", "Barnstaple", "Newquay", "Yeovil", "Bude"]
    lines = [
        json.dumps(
            {
                "id": f"K{i:05d}",
                "title": f"{towns[i % len(towns)]} shared station {i}",
                "services": ["police", "fire"],
                "region": "South West",
                "theme": "shared_estate",
                "status": "operational",
                "start_year": 2010 + i % 12,
                "summary": f"Crews in {towns[i % len(towns)]} share station number {i}.",
            }
        )
        for i in range(n)
    ]
    return "\n".join(lines).encode()


def written(data_dir: Path, doc_id: str) -> tuple[int, bool]:
    """How many of a document's chunks the store holds, and whether it is committed.

    Read from Chroma's own file, read-only: while a write runs, the server answers no request
    until it is over (the write holds the interpreter), so it cannot be asked mid-write.
    """
    path = data_dir / "chroma" / "chroma.sqlite3"
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as db:
        chunks = db.execute(
            "SELECT COUNT(*) FROM embeddings WHERE embedding_id LIKE ?", (f"{doc_id}:%",)
        ).fetchone()[0]
        committed = db.execute(
            "SELECT COUNT(*) FROM embeddings WHERE embedding_id = ?", (doc_id,)
        ).fetchone()[0]
    return int(chunks), bool(committed)


def chunks_in_store(client: httpx.Client) -> int:
    return int(client.get("/readyz").json()["chunks"])


def test_a_job_killed_mid_write_is_failed_and_its_half_document_removed(
    tmp_path: Path,
) -> None:
    settings = {"api_key": API_KEY, "max_upload_bytes": 3_000_000}
    server = start_server(tmp_path / "data", tmp_path, **settings)
    try:
        with server.client(API_KEY) as client:
            r = upload(client, "stations.jsonl", many_records(RECORDS))
            assert r.status_code == 202, r.text
            job = r.json()
            # Kill once some of its chunks are stored and its manifest entry is not: mid-write.
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                chunks, committed = written(tmp_path / "data", doc_id_for("uploads/stations.jsonl"))
                if chunks or committed:
                    break
                time.sleep(0.01)
            assert chunks and not committed, f"not mid-write: {chunks} chunks, {committed=}"
            server.proc.send_signal(signal.SIGKILL)
            assert server.proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        server.stop()

    again = start_server(tmp_path / "data", tmp_path, **settings)
    try:
        with again.client(API_KEY) as client:
            failed = client.get(f"/v1/jobs/{job['job_id']}").json()
            assert failed["status"] == "failed", failed
            assert failed["error"]["code"] == "upload_interrupted"
            assert failed["error"]["message"] == (
                "uploads/stations.jsonl: the server stopped before this upload was stored, and "
                "nothing of it was kept; upload the file again"
            )
            assert client.get("/v1/documents").json()["total"] == 0
            assert chunks_in_store(client) == 0  # the half-written chunks were removed
            lines = [line for line in again.log_lines() if line.get("recovered")]
            assert [line["message"] for line in lines] == [
                "recovered 1 interrupted document write(s)"
            ]
            # The store takes new writes after recovery.
            r = upload(client, "small.txt", b"Small note.\n\nThe Bude station is shared.\n")
            assert finished(client, r.json())["status"] == "done"
            assert client.get("/v1/documents").json()["total"] == 1
    finally:
        again.stop()


def test_a_live_workers_jobs_are_not_failed_by_another_starting(
    tmp_path: Path, chroma_server: ChromaServer
) -> None:
    """Two servers on one database and one Chroma server, as workers share them: the second
    starting leaves the first's unfinished job alone, and the first finishes it."""
    store = chroma_server.settings(tmp_path / "data")
    settings = {
        "api_key": API_KEY,
        "max_upload_bytes": 3_000_000,
        "chroma_host": store.chroma_host,
        "chroma_port": store.chroma_port,
        "collection": store.collection,
    }
    first = start_server(tmp_path / "data", tmp_path, **settings)
    second: Server | None = None
    try:
        with first.client(API_KEY) as client:
            job = upload(client, "stations.jsonl", many_records(RECORDS)).json()
            second = start_server(tmp_path / "data", tmp_path, **settings)
            status = client.get(f"/v1/jobs/{job['job_id']}").json()["status"]
            assert status in ("queued", "running"), "the job ended before the second server began"
            done = finished(client, job, timeout_s=600)
            assert done["status"] == "done", done
            assert done["result"]["chunks"] == RECORDS
    finally:
        first.stop()
        if second is not None:
            second.stop()

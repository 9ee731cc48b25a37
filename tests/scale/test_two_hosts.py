"""Two hosts, as behind a load balancer: two API processes with data folders of their own, on one
Chroma server and one PostgreSQL database. Jobs and feedback are one state, whichever host is
asked; a host killed mid-upload fails its job with the reason when it comes back."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import API_KEY, Server, start_server
from tests.api.test_crash import many_records
from tests.api.test_uploads import finished, upload
from tests.conftest import ChromaServer
from tests.postgres import Cluster
from tests.scale.test_reload import NEW_FACT, QUESTION

pytestmark = [pytest.mark.server, pytest.mark.slow]

# Enough that embedding them keeps the job running while the test kills its host.
RECORDS = 600
# Hosts recheck the store's version at most once a second; the rebuild itself takes longer.
RELOAD_WAIT_S = 60.0


@pytest.fixture
def host_settings(
    chroma_server: ChromaServer, postgres: Cluster, tmp_path: Path
) -> dict[str, object]:
    store = chroma_server.settings(tmp_path / "unused")
    return {
        "api_key": API_KEY,
        "max_upload_bytes": 3_000_000,
        "chroma_host": store.chroma_host,
        "chroma_port": store.chroma_port,
        "collection": store.collection,
        "database_url": postgres.new_database(),
    }


@pytest.fixture
def hosts(host_settings: dict[str, object], tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            started.append(start_server(tmp_path / f"host-{name}", tmp_path, **host_settings))
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()


def test_an_upload_accepted_by_one_host_is_polled_to_done_and_answered_by_the_other(
    hosts: tuple[Server, Server],
) -> None:
    a, b = hosts
    with a.client(API_KEY) as to_a, b.client(API_KEY) as to_b:
        r = upload(to_a, "harbour-drone-pilot.md", NEW_FACT.encode())
        assert r.status_code == 202, r.text
        job = finished(to_b, r.json())
        assert job["status"] == "done", job
        assert job["result"]["source"] == "uploads/harbour-drone-pilot.md"
        deadline = time.monotonic() + RELOAD_WAIT_S
        answer = to_b.post("/v1/answer", json={"question": QUESTION}).json()
        while not answer["citations"] and time.monotonic() < deadline:
            time.sleep(0.5)
            answer = to_b.post("/v1/answer", json={"question": QUESTION}).json()
        assert "seventeen" in answer["answer"], answer
        assert {c["source"] for c in answer["citations"]} == {"uploads/harbour-drone-pilot.md"}


def test_feedback_sent_to_both_hosts_is_listed_once_and_whole_from_either(
    hosts: tuple[Server, Server],
) -> None:
    a, b = hosts
    sent = []
    with a.client(API_KEY) as to_a, b.client(API_KEY) as to_b:
        for i, client in enumerate([to_a, to_b, to_a, to_b]):
            body = {"answer_id": f"answer-{i}", "rating": "up" if i % 2 else "down"}
            r = client.post("/v1/feedback", json={**body, "comment": f"comment {i}"})
            assert r.status_code == 201, r.text
            sent.append(r.json())
        lists = [c.get("/v1/feedback").json() for c in (to_a, to_b)]
    assert lists[0] == lists[1]
    assert lists[0]["total"] == 4
    assert lists[0]["feedback"] == sorted(sent, key=lambda f: f["id"], reverse=True)
    assert [f["comment"] for f in reversed(lists[0]["feedback"])] == [
        f"comment {i}" for i in range(4)
    ]


def test_a_host_killed_mid_upload_fails_its_job_for_every_host_once_it_restarts(
    host_settings: dict[str, object], tmp_path: Path
) -> None:
    a = start_server(tmp_path / "host-a", tmp_path, **host_settings)
    b = start_server(tmp_path / "host-b", tmp_path, **host_settings)
    again: Server | None = None
    try:
        with a.client(API_KEY) as to_a, b.client(API_KEY) as to_b:
            r = upload(to_a, "stations.jsonl", many_records(RECORDS))
            assert r.status_code == 202, r.text
            job = r.json()
            deadline = time.monotonic() + 120
            while to_b.get(f"/v1/jobs/{job['job_id']}").json()["status"] != "running":
                assert time.monotonic() < deadline, "the job never started"
                time.sleep(0.05)
            a.proc.send_signal(signal.SIGKILL)
            assert a.proc.wait(timeout=30) == -signal.SIGKILL
            # Host B does not fail a job its host may still hold: only that host knows.
            assert to_b.get(f"/v1/jobs/{job['job_id']}").json()["status"] == "running"

            again = start_server(tmp_path / "host-a", tmp_path, **host_settings)
            failed = to_b.get(f"/v1/jobs/{job['job_id']}").json()
            assert failed["status"] == "failed", failed
            assert failed["error"] == {
                "code": "upload_interrupted",
                "message": "uploads/stations.jsonl: the server stopped before this upload was "
                "stored, and nothing of it was kept; upload the file again",
            }
            assert to_b.get("/v1/documents").json()["total"] == 0

            # Sent again through B, it is stored once: no chunk of the killed try is left over.
            done = finished(to_b, upload(to_b, "stations.jsonl", many_records(RECORDS)).json(), 600)
            assert done["status"] == "done", done
            for client in (to_b, again.client(API_KEY)):
                documents = client.get("/v1/documents").json()
                assert [d["source"] for d in documents["documents"]] == ["uploads/stations.jsonl"]
                assert client.get("/readyz").json()["chunks"] == RECORDS
    finally:
        for server in (a, b, again):
            if server is not None:
                server.stop()

"""SIGTERM while an upload job is embedding: the process exits within a bounded time instead of
waiting for the job, and the job is failed with its reason, as after a crash."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from api.db import SQLiteRecords
from tests.api.conftest import API_KEY, start_server
from tests.api.test_crash import RECORDS, many_records
from tests.api.test_uploads import upload

pytestmark = [pytest.mark.server, pytest.mark.slow]

WAIT_S = 2
# The wait for the job, then closing the model's threads and the log: well under the minute
# the whole upload takes to embed on one core.
EXIT_WITHIN_S = WAIT_S + 10


def test_sigterm_during_an_upload_exits_promptly_and_fails_the_job(tmp_path: Path) -> None:
    server = start_server(
        tmp_path / "data",
        tmp_path,
        api_key=API_KEY,
        max_upload_bytes=3_000_000,
        shutdown_upload_wait_s=WAIT_S,
    )
    try:
        with server.client(API_KEY) as client:
            r = upload(client, "stations.jsonl", many_records(RECORDS))
            assert r.status_code == 202, r.text
            job = r.json()
            deadline = time.monotonic() + 120
            while client.get(f"/v1/jobs/{job['job_id']}").json()["status"] != "running":
                assert time.monotonic() < deadline, "the job never started"
                time.sleep(0.05)
        start = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        code = server.proc.wait(timeout=120)
        elapsed = time.monotonic() - start
    finally:
        server.stop()
    assert code in (0, -signal.SIGTERM)
    assert elapsed < EXIT_WITHIN_S, f"took {elapsed:.1f} s to stop"
    stopped = SQLiteRecords(tmp_path / "data" / "bluelight.sqlite3").get_job(job["job_id"])
    assert stopped is not None
    assert stopped["status"] == "failed", stopped
    assert stopped["error"] == {
        "code": "upload_interrupted",
        "message": "uploads/stations.jsonl: the server stopped before this upload was stored, "
        "and nothing of it was kept; upload the file again",
    }
    assert "Application shutdown complete" in server.log_text()

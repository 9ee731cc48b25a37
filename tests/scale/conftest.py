"""Fixtures for the scale-out tests: a real `chroma run` server and real API worker processes.

Every process is started on a free loopback port, waited for through its own health endpoint,
and stopped at the end (terminate, then kill if it lingers).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.launch import start_api
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import open_store
from assistant.settings import Settings
from ingest.run import ingest
from tests.conftest import CORPUS, ROOT, ChromaServer

BIN = Path(sys.executable).parent
API_STARTUP_S = 180.0  # each API worker loads the model and builds its lexical index first


@pytest.fixture(scope="session")
def server_corpus(
    chroma_server: ChromaServer, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Settings:
    """The shipped corpus ingested through the server once. Read-only for tests."""
    settings = chroma_server.settings(tmp_path_factory.mktemp("server-corpus"), "corpus-shared")
    report = ingest([CORPUS], open_store(settings), embedder, settings)
    assert not report.failed, report.failed
    return settings


@dataclass
class ApiWorker:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ask(self, question: str) -> dict:
        response = httpx.post(f"{self.url}/v1/answer", json={"question": question}, timeout=60)
        response.raise_for_status()
        return response.json()


def start_api_worker(env: dict[str, str], log: Path) -> ApiWorker:
    """A separate API process (api/launch.py, the one way tests start it), ready when /readyz
    says so; a worker that dies first fails with the end of its log."""
    api = start_api(env, log, ready_s=API_STARTUP_S)
    return ApiWorker(int(api.url.rsplit(":", 1)[1]), api.proc, log)


def run_bluelight(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`bluelight ...` as its own process, as an operator would run it."""
    return subprocess.run(
        [sys.executable, "-m", "bluelight.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

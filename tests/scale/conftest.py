"""Fixtures for the scale-out tests: a real `chroma run` server and real API worker processes.

Every process is started on a free loopback port, waited for through its own health endpoint,
and stopped at the end (terminate, then kill if it lingers).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.embedder import Embedder
from assistant.settings import Settings
from assistant.store import open_store
from ingest.run import ingest
from tests.conftest import CORPUS, ROOT, free_port

BIN = Path(sys.executable).parent
STARTUP_S = 60.0  # a cold `chroma run` answers in about a second; CI machines can be slower
API_STARTUP_S = 180.0  # each API worker loads the model and builds its lexical index first


@dataclass(frozen=True)
class ChromaServer:
    host: str
    port: int
    path: Path
    log: Path

    def settings(self, data_dir: Path, collection: str | None = None) -> Settings:
        """Settings that point bluelight at this server, in a collection of its own."""
        return Settings(
            data_dir=data_dir,
            corpus_dir=CORPUS,
            chroma_host=self.host,
            chroma_port=self.port,
            collection=collection or f"test-{uuid.uuid4().hex[:12]}",
        )

    def env(self, settings: Settings) -> dict[str, str]:
        """Environment for a bluelight process that should use this server and collection."""
        return {
            **os.environ,
            "BLUELIGHT_CHROMA_HOST": self.host,
            "BLUELIGHT_CHROMA_PORT": str(self.port),
            "BLUELIGHT_COLLECTION": settings.collection,
            "BLUELIGHT_DATA_DIR": str(settings.data_dir),
            "BLUELIGHT_CORPUS_DIR": str(CORPUS),
            "PYTHONUNBUFFERED": "1",
        }


def chroma_executable() -> str:
    found = BIN / "chroma"
    if found.exists():
        return str(found)
    which = shutil.which("chroma")
    if which is None:
        pytest.fail("the `chroma` command (installed with chromadb) is not on this machine")
    return which


def wait_until(ok: Callable[[], bool], timeout_s: float, what: str, proc: subprocess.Popen) -> None:
    """Poll `ok` until it holds; fail with the process's log if it dies or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with code {proc.returncode} before it was ready")
        try:
            if ok():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"{what} was not ready after {timeout_s:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One real Chroma server for the session; each test uses collections of its own."""
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    server = ChromaServer("127.0.0.1", port, root / "db", root / "chroma.log")
    with server.log.open("wb") as log:
        command = [chroma_executable(), "run", "--path", str(server.path)]
        proc = subprocess.Popen(
            [*command, "--host", server.host, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://{server.host}:{port}/api/v2/heartbeat"
        wait_until(lambda: httpx.get(url, timeout=2).status_code == 200, STARTUP_S, "chroma", proc)
        yield server
    finally:
        stop(proc)


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
    """A separate `uvicorn api.app:create_app --factory` process, ready when /readyz says so."""
    port = free_port()
    with log.open("wb") as out:
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    worker = ApiWorker(port, proc, log)
    try:
        wait_until(
            lambda: httpx.get(f"{worker.url}/readyz", timeout=5).status_code == 200,
            API_STARTUP_S,
            f"API worker on port {port} (log: {log})",
            proc,
        )
    except BaseException:
        stop(proc)
        raise
    return worker


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

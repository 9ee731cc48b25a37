"""Real uvicorn servers on loopback for the API tests, each on its own store.

- `api_server`: the shipped corpus (read-only: the session's corpus store, linked in), a key set.
- `write_server`: an empty store of its own for uploads and deletes; reads need the key too, and
  a request body that stalls for BODY_TIMEOUT_S is refused.
- `keyless_server`: no key configured, and an answer limit too short for any answer.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from api.launch import ApiProcess, free_port, start_api
from assistant.settings import Settings

API_KEY = "test-key-0123456789"
ORIGIN = "http://chat.example.test"
READY_S = 120
BODY_TIMEOUT_S = 2


@dataclass
class Server(ApiProcess):
    """An API process (see api/launch.py) over its own data dir, with helpers for the tests."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.url

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60)

    def log_lines(self) -> list[dict[str, object]]:
        """The JSON lines of the server's log (uvicorn's own plain lines skipped)."""
        return [json.loads(line) for line in self.log_text().splitlines() if line.startswith("{")]


def start_server(data_dir: Path, log_dir: Path, **settings: object) -> Server:
    """Start a server whose only BLUELIGHT_* variables are the data dir and `settings`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLUELIGHT_")}
    env["BLUELIGHT_DATA_DIR"] = str(data_dir)
    for name, value in settings.items():
        env[f"BLUELIGHT_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    log = log_dir / f"server-{port}.log"
    api = start_api(
        env, log, port=port, ready_s=READY_S, extra_args=["--timeout-graceful-shutdown", "20"]
    )
    return Server(api.url, api.proc, api.log, data_dir, env)


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
        root / "data",
        root,
        api_key=API_KEY,
        read_requires_key=True,
        max_upload_bytes=200_000,
        body_read_timeout_s=BODY_TIMEOUT_S,
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

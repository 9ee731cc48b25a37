"""Killing ingest (kill -9) at any moment, then running it again, gives what one clean run gives."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.retrieval.store import open_store
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.ingest.helpers import snapshot

BLUELIGHT = str(Path(sys.executable).parent / "bluelight")


def _run(folder: Path, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BLUELIGHT_DATA_DIR": str(data), "BLUELIGHT_EMBED_BATCH_SIZE": "8"}
    return subprocess.Popen(
        [BLUELIGHT, "ingest", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kill") / "docs"
    root.mkdir()
    for name in ("current-picture-2014.pdf", "control-rooms-999-and-mait.pdf"):
        shutil.copy(CORPUS / "reports" / name, root / name)
    shutil.copy(CORPUS / "records" / "projects.jsonl", root / "projects.jsonl")
    return root


@pytest.fixture(scope="module")
def clean(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    data = tmp_path_factory.mktemp("clean")
    assert _run(folder, data).wait(timeout=600) == 0
    return snapshot(open_store(Settings(data_dir=data)))


def _chroma_writes(data: Path) -> int:
    """Bytes in the store's folder: grows as chunks and manifest entries are written."""
    return sum(p.stat().st_size for p in data.rglob("*") if p.is_file())


@pytest.mark.slow
@pytest.mark.parametrize("growth", [1, 400_000], ids=["first-write", "mid-run"])
def test_kill_during_ingest_then_rerun_matches_a_clean_run(
    growth: int, folder: Path, clean: dict[str, object], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    proc = _run(folder, data)
    start = None
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        size = _chroma_writes(data) if data.exists() else 0
        start = size if start is None and size else start
        if start is not None and size - start >= growth:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"

    # Whatever the kill left, readers never see a half-written document.
    store = open_store(Settings(data_dir=data))
    for doc in store.manifest().values():
        assert len(store.document_chunks(doc.doc_id)) == doc.chunks

    assert _run(folder, data).wait(timeout=600) == 0
    assert snapshot(open_store(Settings(data_dir=data))) == clean

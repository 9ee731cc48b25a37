"""`bluelight ingest --watch` keeps a folder in step as files are added, changed and removed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.retrieval.store import open_store
from assistant.settings import Settings

BLUELIGHT = str(Path(sys.executable).parent / "bluelight")
# The watcher loads the embedding model before its first pass; a busy CI machine is slow at it.
TIMEOUT_S = 180


def _until(check: Callable[[], bool], what: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for `check`, failing at once with the watcher's own output if it stops."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if check():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the watcher stopped before {what}:\n{_tail(log)}")
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}; the watcher said:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])


def _texts(data: Path) -> dict[str, str]:
    store = open_store(Settings(data_dir=data))
    return {c.source: c.text for c in store.iter_chunks()}


@pytest.mark.slow
def test_watch_follows_files_added_changed_and_removed(tmp_path: Path) -> None:
    folder, data = tmp_path / "notes", tmp_path / "data"
    folder.mkdir()
    (folder / "first.md").write_text("# First\n\nThe Amberley hub opened in spring.\n")
    env = {**os.environ, "BLUELIGHT_DATA_DIR": str(data)}
    log = tmp_path / "watch.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [BLUELIGHT, "ingest", "--watch", str(folder)], env=env, stdout=out, stderr=out
        )
    first, second = (folder / "first.md").as_posix(), (folder / "second.txt").as_posix()
    try:
        _until(lambda: data.exists() and first in _texts(data), "the first file", proc, log)

        (folder / "second.txt").write_text("The Brookfield control room merged in 2019.\n")
        _until(lambda: second in _texts(data), "an added file", proc, log)

        (folder / "first.md").write_text("# First\n\nThe Amberley hub closed in winter.\n")
        _until(lambda: "closed in winter" in _texts(data).get(first, ""), "a change", proc, log)

        (folder / "second.txt").unlink()
        _until(lambda: second not in _texts(data), "a removal", proc, log)
        assert proc.poll() is None, "the watcher stopped"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

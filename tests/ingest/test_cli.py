"""`bluelight ingest` exits 1 when any file failed, 0 when every file was taken care of."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.retrieval.store import open_store
from assistant.settings import Settings

BLUELIGHT = str(Path(sys.executable).parent / "bluelight")


def _ingest(*args: str, data: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLUELIGHT_DATA_DIR": str(data)}
    return subprocess.run(
        [BLUELIGHT, "ingest", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_exit_status_is_1_when_any_file_failed_and_0_otherwise(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "hub.md").write_text("# Hub\n\nThe Ashdown tri-service hub opened in 2019.\n")
    (bad / "fake.pdf").write_text("this is not a PDF at all")
    data = tmp_path / "data"

    mixed = _ingest("good", "bad", "missing", data=data, cwd=tmp_path)

    assert mixed.returncode == 1, mixed.stderr
    lines = mixed.stdout.splitlines()
    assert lines[0].startswith("added 1, updated 0, unchanged 0, duplicate 0, removed 0, failed 2")
    assert f"  failed: {(bad / 'fake.pdf').as_posix()}: not a PDF (no %PDF header); " in (
        mixed.stdout
    )
    assert "  failed: missing: no such file or folder" in lines
    sources = [d.source for d in open_store(Settings(data_dir=data)).manifest().values()]
    assert sources == [(good / "hub.md").as_posix()], "the good file went in all the same"

    clean = _ingest("good", data=data, cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    head = "added 0, updated 0, unchanged 1, duplicate 0, removed 0, failed 0;"
    assert clean.stdout.startswith(head)


def test_the_exit_status_is_documented_in_the_help() -> None:
    shown = subprocess.run(
        [BLUELIGHT, "ingest", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "exit status: 0 when every file was stored" in " ".join(shown.split())
    assert "1 when any file failed" in " ".join(shown.split())


def test_a_dry_run_reports_a_file_the_real_run_refuses_as_failed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hub.md").write_text("# Hub\n\nThe Ashdown tri-service hub opened in 2019.\n")
    (folder / "fake.pdf").write_text("this is not a PDF at all")
    data = tmp_path / "data"

    dry = _ingest("--dry-run", "in", data=data, cwd=tmp_path)
    real = _ingest("in", data=data, cwd=tmp_path)

    assert (dry.returncode, real.returncode) == (1, 1), (dry.stderr, real.stderr)
    assert dry.stdout.splitlines()[0].startswith("would be added 1")
    assert "failed 1" in dry.stdout.splitlines()[0]
    failed = [line for line in real.stdout.splitlines() if "fake.pdf" in line]
    assert failed and all(line in dry.stdout.splitlines() for line in failed)


def test_an_invalid_setting_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    env = {**os.environ, "BLUELIGHT_DATA_DIR": str(tmp_path), "BLUELIGHT_CHUNK_TOKENS": "9999"}
    done = subprocess.run(
        [BLUELIGHT, "ingest"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: invalid setting BLUELIGHT_CHUNK_TOKENS=9999: "
        "Input should be less than or equal to 254"
    ]
    assert done.stdout == ""

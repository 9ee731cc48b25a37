"""Every command the README shows works on a fresh checkout, from its root, with default settings.

The tracked files are copied to a folder of their own (no store, no data, no environment
settings), and each command runs there as a separate process with this project's interpreter.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port

QUESTION = "What barriers to collaboration did the 2015 research find?"
SERVE_STARTUP_S = 180.0


def _readme_commands() -> list[str]:
    """The `.venv/bin/bluelight ...` lines of the README's command block, comments removed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("After setup the\ncommand line is `.venv/bin/bluelight`:", 1)[1]
    block = block.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracked files as a fresh clone has them: no data folder, no evaluation runs."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    root = tmp_path_factory.mktemp("fresh") / "bluelight"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in this working tree is not copied
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return root


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    """The environment of a fresh shell: no BLUELIGHT_ setting, so every default applies."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BLUELIGHT_")}
    return {**clean, "PYTHONUNBUFFERED": "1"}


def bluelight(*args: str) -> list[str]:
    """`.venv/bin/bluelight ARGS` for the copy: this interpreter, with the copy's code."""
    return [sys.executable, "-m", "bluelight.cli", *args]


def run(checkout: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        bluelight(*args), cwd=checkout, env=env, capture_output=True, text=True, timeout=1200
    )


def test_the_readme_shows_the_commands_tested_here() -> None:
    assert _readme_commands() == [
        ".venv/bin/bluelight ingest corpus",
        f'.venv/bin/bluelight ask "{QUESTION}"',
        ".venv/bin/bluelight serve --port 8000 --workers 2",
        ".venv/bin/bluelight eval --gate",
    ]


@pytest.fixture(scope="module")
def ingested(checkout: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    where = subprocess.run(
        [sys.executable, "-c", "import ingest, bluelight.cli; print(ingest.__file__)"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(checkout), "the copy's code must run"
    return run(checkout, env, "ingest", "corpus")


@pytest.mark.slow
def test_ingest_corpus(ingested: subprocess.CompletedProcess[str], checkout: Path) -> None:
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    head = ingested.stdout.splitlines()[0]
    assert re.fullmatch(r"added \d+, updated 0, unchanged 0, duplicate \d+, .*failed 0; .*", head)
    assert "Traceback" not in ingested.stderr
    assert (checkout / "data" / "chroma").is_dir(), "the store goes in ./data by default"


@pytest.mark.slow
def test_ask(
    ingested: subprocess.CompletedProcess[str], checkout: Path, env: dict[str, str]
) -> None:
    asked = run(checkout, env, "ask", QUESTION)
    assert asked.returncode == 0, asked.stdout + asked.stderr
    answer, _, sources = asked.stdout.partition("\nSources:\n")
    assert answer.strip() and "[1]" in answer
    assert re.search(r"^  \[1\] .+\(reports/.+\.pdf, p\. \d+\)$", sources, re.M), sources


@pytest.fixture
def served(checkout: Path, env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    log = (checkout / "serve.log").open("w")
    proc = subprocess.Popen(
        bluelight("serve", "--port", str(port), "--workers", "2"),
        cwd=checkout,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.close()


@pytest.mark.slow
@pytest.mark.server
def test_serve_then_readyz(
    ingested: subprocess.CompletedProcess[str],
    served: tuple[str, subprocess.Popen],
    checkout: Path,
) -> None:
    url, proc = served
    deadline = time.monotonic() + SERVE_STARTUP_S
    status = None
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            status = httpx.get(f"{url}/readyz", timeout=5).status_code
        except httpx.HTTPError:
            status = None
        if status == 200:
            break
        time.sleep(0.5)
    log = (checkout / "serve.log").read_text()
    assert status == 200, f"/readyz answered {status}; exit {proc.poll()}\n{log[-3000:]}"


@pytest.mark.slow
def test_eval_gate(
    ingested: subprocess.CompletedProcess[str], checkout: Path, env: dict[str, str]
) -> None:
    evaluated = run(checkout, env, "eval", "--gate")
    output = evaluated.stdout + evaluated.stderr
    assert "Traceback" not in output, output[-4000:]
    assert evaluated.returncode == 0, output[-4000:]
    assert "recall@5" in evaluated.stdout
    reports = list((checkout / "evals" / "runs").glob("*/report.md"))
    assert len(reports) == 1, "the report is written under evals/runs/"

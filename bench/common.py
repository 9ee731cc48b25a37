"""What the benchmarks share: the shipped corpus's store, the questions, percentiles, the machine
and how results are written (bench/results/<name>.json and .md, each with its command)."""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.retrieve import Retriever

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
STORE = ROOT / "bench" / "out" / "store"
DATASETS = ROOT / "evals" / "datasets"
# Asked before any clock starts, so loading the model and building the index count nowhere.
WARM_UP = [
    "What is the duty to collaborate?",
    "Which projects share a control room?",
    "What are the barriers to collaboration?",
]


def questions(names: tuple[str, ...] = ("dev", "extended")) -> list[str]:
    """The eval questions (dev, then extended), each once."""
    found: dict[str, None] = {}
    for name in names:
        for line in (DATASETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.setdefault(json.loads(line)["question"], None)
    return list(found)


def ensure_store(data_dir: Path = STORE, tree: Path = ROOT) -> None:
    """Ingest the shipped corpus into `data_dir` (a no-op for files already stored unchanged),
    with the code and corpus of `tree` (this checkout, or another version's worktree)."""
    # The tree's own packages come first, ahead of whatever install the interpreter has.
    path = os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))
    env = {
        **os.environ,
        "BLUELIGHT_DATA_DIR": str(data_dir),
        "BLUELIGHT_CORPUS_DIR": "corpus",
        "PYTHONPATH": path,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bluelight.cli", "ingest", str(tree / "corpus")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ingest in {tree} failed:\n{done.stdout}\n{done.stderr}")


class StageTimes:
    """Seconds in each of the retriever's inner stages (embed, dense, lexical, fuse), summed
    since `now` was last emptied, as the retriever reports them through its `on_stage` hook."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.now: dict[str, float] = {}

    def _add(self, stage: str, seconds: float) -> None:
        self.now[stage] = self.now.get(stage, 0.0) + seconds

    @contextmanager
    def recording(self) -> Iterator[StageTimes]:
        self.retriever.on_stage = self._add
        try:
            yield self
        finally:
            self.retriever.on_stage = None


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def ms(seconds: list[float]) -> dict[str, float]:
    """p50, p95 and the count of a list of durations in seconds, as milliseconds."""
    values = [s * 1000 for s in seconds]
    return {"p50": round(pct(values, 50), 2), "p95": round(pct(values, 95), 2), "n": len(values)}


def ratio(a: float, b: float) -> float:
    """a / b to two decimals, or to two significant figures below 0.1."""
    if not b:
        return float("nan")
    r = a / b
    return round(r, 2) if abs(r) >= 0.1 or r == 0 else float(f"{r:.2g}")


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": version("torch"),
        "onnxruntime": version("onnxruntime"),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def command(module: str, argv: list[str]) -> str:
    return shlex.join([".venv/bin/python", "-m", module, *argv])


def write(name: str, result: dict[str, Any], markdown: str, out: Path = RESULTS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / f"{name}.md").write_text(markdown.rstrip() + "\n", encoding="utf-8")
    print(f"written to {out / name}.json and .md", flush=True)


def table(head: list[str], rows: list[list[Any]]) -> str:
    """A markdown table; numbers right-aligned."""
    align = ["---" if i == 0 else "---:" for i in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)

"""Warm answer latency of this checkout against another revision, alternated on one machine.

`python -m bench.versions --against REV`: checks REV out into a temporary worktree, ingests the
shipped corpus into a store of each version's own (their stores may differ), then times the
same questions (dev and officer) through each version's answer path, in process, in turn for
several rounds, so both see the same load. Each round is a fresh process per version: a warm-up
pass, then timed passes. Prints each round's warm p50 and the median of the per-round ratios,
and writes bench/results/versions.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, command, ensure_store, machine, questions, ratio, table, write

# Run inside each version's own tree: only the answer entry points both sides have.
_TIMER = """
import json, os, sys, time
from assistant.factory import build_assistant
from assistant.settings import Settings
from assistant.types import Ask
questions = json.loads(sys.stdin.read())
assistant = build_assistant(Settings())
for q in questions:
    assistant.answer(Ask(question=q))
times = []
for _ in range(int(os.environ["BENCH_PASSES"])):
    for q in questions:
        start = time.perf_counter()
        assistant.answer(Ask(question=q))
        times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.versions", description=__doc__)
    parser.add_argument("--against", required=True, help="the git revision to compare with")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the two versions")
    parser.add_argument("--passes", type=int, default=3, help="warm passes per round")
    args = parser.parse_args(argv)
    asked = questions(("dev", "officer"))
    with tempfile.TemporaryDirectory(prefix="bluelight-versions-") as tmp:
        other = Path(tmp) / "tree"
        added = subprocess.run(
            ["git", "worktree", "add", "--detach", str(other), args.against],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if added.returncode != 0:
            raise SystemExit(f"cannot check {args.against} out: {added.stderr.strip()}")
        try:
            trees = {"this checkout": ROOT, args.against: other}
            stores = {name: Path(tmp) / f"store-{i}" for i, name in enumerate(trees)}
            for name, tree in trees.items():
                ensure_store(stores[name], tree)
            p50: dict[str, list[float]] = {name: [] for name in trees}
            for round_ in range(args.rounds):
                for name, tree in trees.items():
                    seconds = _time(tree, stores[name], asked, args.passes)
                    p50[name].append(statistics.median(seconds) * 1000)
                    print(f"round {round_ + 1}: {name} warm p50 {p50[name][-1]:.1f} ms", flush=True)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False
            )
            # Whatever remove left behind, the folder goes with the temporary one.
            subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=False)
    ours, theirs = p50["this checkout"], p50[args.against]
    ratios = [ratio(a, b) for a, b in zip(ours, theirs, strict=True)]
    result = {
        "against": args.against,
        "questions": len(asked),
        "passes": args.passes,
        "warm_p50_ms": {name: [round(v, 2) for v in values] for name, values in p50.items()},
        "ratios": ratios,
        "median_ratio": statistics.median(ratios),
        "machine": machine(),
        "command": command("bench.versions", argv if argv is not None else sys.argv[1:]),
    }
    rows = [
        [f"round {i + 1}", f"{a:.1f}", f"{b:.1f}", r]
        for i, (a, b, r) in enumerate(zip(ours, theirs, ratios, strict=True))
    ]
    markdown = "\n\n".join(
        [
            f"# Warm answer p50: this checkout against {args.against}",
            f"`{result['command']}`: {len(asked)} dev and officer questions, {args.passes} warm "
            "passes per round, the two versions alternated on one machine.",
            table(["", "this checkout ms", f"{args.against} ms", "ratio"], rows),
            f"Median ratio: **{result['median_ratio']}**.",
        ]
    )
    print(f"median ratio {result['median_ratio']}")
    write("versions", result, markdown)
    return 0


def _time(tree: Path, store: Path, asked: list[str], passes: int) -> list[float]:
    env = {
        **os.environ,
        "BLUELIGHT_DATA_DIR": str(store),
        "PYTHONPATH": str(tree),
        "BENCH_PASSES": str(passes),
    }
    done = subprocess.run(
        [sys.executable, "-c", _TIMER],
        cwd=tree,
        env=env,
        input=json.dumps(asked),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"timing in {tree} failed:\n{done.stderr[-2000:]}")
    seconds: list[float] = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())

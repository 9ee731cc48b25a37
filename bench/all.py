"""Every benchmark figure the README states, regenerated on the shipped corpus by one command.

Runs each benchmark in its own process, one after another (they would skew each other if run
together), each writing bench/results/<name>.json and .md, then writes bench/results/summary.md
with the headline figures, the command behind each, and its ratio to the floor or baseline
measured in the same run, then the service's targets, each met or missed. Never asserts a timing.

    .venv/bin/python -m bench.all                     # ingest, latency, load, scale
    .venv/bin/python -m bench.all --skip scale        # the 100k-chunk scale run takes longest
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

from bench.common import RESULTS, ROOT, machine, ratio, table

STEPS: dict[str, list[str]] = {
    "ingest": ["bench.ingest_speed"],
    "latency": ["bench.latency"],
    "load": ["bench.load"],
    "scale": ["bench.scale"],
}


def run(name: str) -> float:
    started = time.perf_counter()
    print(f"== {name}: {' '.join(STEPS[name])}", flush=True)
    subprocess.run([sys.executable, "-m", *STEPS[name]], cwd=ROOT, check=True)
    return time.perf_counter() - started


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def summary(took: dict[str, float]) -> str:
    rows: list[list[Any]] = []
    lat = load("latency")
    if lat:
        a, cmd = lat["answers"], f"`{lat['command']}`"
        floor = a["floor"]["p50"]
        rows += [
            ["floor: torch query embedding + Chroma k=5, p50", f"{floor} ms", "1.00", cmd],
            [
                "warm answer p50",
                f"{a['warm']['wall']['p50']} ms",
                f"{ratio(a['warm']['wall']['p50'], floor)} × floor",
                cmd,
            ],
            [
                "first-seen answer p95",
                f"{a['first_seen']['wall']['p95']} ms",
                f"{ratio(a['first_seen']['wall']['p95'], a['warm']['wall']['p95'])} × warm p95",
                cmd,
            ],
        ]
        b = lat["backends"]
        for name in ("onnx", "onnx-int8"):
            rows.append(
                [
                    f"query embedding p50, {name}",
                    f"{b[name]['ms']['p50']} ms",
                    f"{ratio(b[name]['ms']['p50'], b['torch']['ms']['p50'])} × torch",
                    cmd,
                ]
            )
        s = lat["spelling"]["first_seen"]
        rows.append(
            ["spelling correction per question, p95", f"{s['p95']} ms", "", cmd],
        )
        if "http" in lat:
            h = lat["http"]
            rows.append(
                [
                    "answer over HTTP p50",
                    f"{h['http']['p50']} ms",
                    f"{ratio(h['http']['p50'], h['in_process']['p50'])} × in process",
                    cmd,
                ]
            )
    ld = load("load")
    if ld:
        one = {r["concurrency"]: r["throughput_rps"] for r in ld["results"] if r["workers"] == 1}
        for r in ld["results"]:
            rows.append(
                [
                    f"throughput, {r['workers']} worker(s), concurrency {r['concurrency']}",
                    f"{r['throughput_rps']} answers/s",
                    f"{ratio(r['throughput_rps'], one[r['concurrency']])} × 1 worker",
                    f"`{ld['command']}`",
                ]
            )
    ing = load("ingest")
    if ing:
        rows.append(
            [
                f"ingest of the corpus ({ing['chunks']} chunks, {ing['texts_embedded']} texts)",
                f"{ing['pipeline_s']} s",
                f"{ing['pipeline_over_its_own_embedding']} × its model calls "
                f"({ing['pipeline_over_bare']} × them replayed bare)",
                f"`{ing['command']}`",
            ]
        )
    sc = load("scale")
    if sc:
        at = {(r["store"], r["chunks"]): r for r in sc["rows"]}
        top = max(r["chunks"] for r in sc["rows"])
        low = min(r["chunks"] for r in sc["rows"])
        cmd = f"`{sc['command']}`"
        for store in ("embedded", "server"):
            q, q_low = at[store, top]["query"], at[store, low]["query"]
            p95 = max(q["unfiltered"]["p95_ms"], q["filtered"]["p95_ms"])
            p95_low = max(q_low["unfiltered"]["p95_ms"], q_low["filtered"]["p95_ms"])
            rows.append(
                [
                    f"retrieval p95 at {top:,} chunks, {store} store (worse of filtered or not)",
                    f"{p95:.1f} ms",
                    f"{ratio(p95, p95_low)} × at {low:,} chunks",
                    cmd,
                ]
            )
        for store in ("embedded", "server"):
            api = at[store, top]["api"]
            rows.append(
                [
                    f"API memory at {top:,} chunks, {store} store: peak (serving)",
                    f"{api['rss_peak_mb']:,.0f} ({api['rss_after_answers_mb']:,.0f}) MB",
                    f"{ratio(api['rss_peak_mb'], sc['targets']['api_rss_mb'])} × 1,536 MB",
                    cmd,
                ]
            )
    m = machine()
    checks = targets(lat, sc)
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "Made by `.venv/bin/python -m bench.all` on the shipped corpus; each figure's own "
            f"command and file are beside it. Machine: {m['cpus']} CPUs, Python {m['python']}, "
            f"torch {m['torch']}, onnxruntime {m['onnxruntime']}."
            + (" Minutes per step: " if took else "")
            + ", ".join(f"{k} {v / 60:.1f}" for k, v in took.items())
            + ("." if took else ""),
            "",
            table(["figure", "value", "ratio (same run)", "command"], rows),
            "",
            *(["Targets, from the figures above:", "", *checks, ""] if checks else []),
            "Details: `latency.md`, `load.md`, `ingest.md`, `scale.md`.",
        ]
    )


def targets(lat: dict[str, Any] | None, sc: dict[str, Any] | None) -> list[str]:
    """The service's targets, each met or missed, from this run's figures: memory and filtered
    retrieval at the largest scale, and first-seen answers (declines too) against warm ones."""
    out: list[str] = []

    def check(name: str, value: float, limit: float, unit: str, inclusive: bool) -> None:
        met = value <= limit if inclusive else value < limit
        sign = "≤" if inclusive else "<"
        mark = "met" if met else "**MISSED**"
        shown = f"{value:.2f}" if unit == "×" else f"{value:,.1f}"
        out.append(f"- {name}: {shown}{unit} against {sign} {limit:,g}{unit}: {mark}")

    if sc:
        top = max(r["chunks"] for r in sc["rows"])
        for r in sc["rows"]:
            if r["chunks"] == top and r["store"] == "embedded":
                check(
                    f"API memory peak at {top:,} chunks, embedded store",
                    r["api"]["rss_peak_mb"],
                    sc["targets"]["api_rss_mb"],
                    " MB",
                    True,
                )
                q = r["query"]
                check(
                    f"retrieval p95 at {top:,} chunks with filters, embedded store",
                    q["filtered"]["p95_ms"],
                    sc["targets"]["embedded_p95_ms"],
                    " ms",
                    False,
                )
    if lat:
        a = lat["answers"]
        check(
            "first-seen answer p95 over warm answer p95",
            a["first_seen"]["wall"]["p95"] / a["warm"]["wall"]["p95"],
            1.3,
            "×",
            True,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.all", description=__doc__.splitlines()[0])
    parser.add_argument("--skip", nargs="*", default=[], choices=list(STEPS))
    parser.add_argument("--summary-only", action="store_true", help="rewrite summary.md only")
    args = parser.parse_args(argv)
    timing = RESULTS / "summary.json"
    took: dict[str, float] = {}
    if args.summary_only and timing.exists():
        took = json.loads(timing.read_text(encoding="utf-8"))["seconds_per_step"]
    if not args.summary_only:
        for name in STEPS:
            if name not in args.skip:
                took[name] = run(name)
        timing.write_text(json.dumps({"seconds_per_step": took}, indent=2) + "\n")
    text = summary(took)
    (RESULTS / "summary.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

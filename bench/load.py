"""Load test of POST /v1/answer on loopback: throughput and latency for 1 and 2 uvicorn workers.

Starts the server itself (`bluelight serve`) on the shipped corpus, ingesting it first into
bench/out/store if needed, sends a fixed number of requests at a fixed concurrency with a rotating
list of real questions, stops the server, and prints a table. Results go to
bench/results/load.json. Bounded: it never runs longer than its request count allows.

    .venv/bin/python -m bench.load                      # 2,000 requests at concurrency 32
    .venv/bin/python -m bench.load --requests 200 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from api.launch import free_port

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "evals" / "datasets" / "dev.jsonl"
FALLBACK_QUESTIONS = [
    "What is the duty to collaborate?",
    "Which projects share a control room?",
    "What are the barriers to collaboration?",
    "How much did the Kent control room merger save?",
]
STARTUP_S = 180


def questions(path: Path = QUESTIONS, limit: int = 40) -> list[str]:
    if not path.exists():
        return FALLBACK_QUESTIONS
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:limit]


def ensure_store(data_dir: Path) -> None:
    """Ingest the shipped corpus (a no-op for files already stored unchanged)."""
    env = {**os.environ, "BLUELIGHT_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "bluelight.cli", "ingest", str(ROOT / "corpus")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed:\n{done.stdout}\n{done.stderr}")


def start_server(data_dir: Path, workers: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BLUELIGHT_DATA_DIR": str(data_dir),
        "BLUELIGHT_HOST": "127.0.0.1",  # loopback only
    }
    cmd = [sys.executable, "-m", "bluelight.cli", "serve", "--port", str(port)]
    cmd += ["--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(base: str, workers: int, proc: subprocess.Popen[bytes]) -> None:
    """Ready when every worker has answered: the pid in /metrics tells them apart."""
    pids: set[str] = set()
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}; see its log")
        try:
            with httpx.Client(timeout=5) as client:  # a new connection each time
                text = client.get(f"{base}/metrics").text
            pids |= {
                line.split('pid="')[1].split('"')[0]
                for line in text.splitlines()
                if line.startswith("bluelight_worker_info")
            }
            if len(pids) >= workers:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server was not ready within {STARTUP_S} s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def run_load(
    base: str, qs: list[str], requests: int, concurrency: int
) -> tuple[list[float], list[float], list[str], float]:
    """Send `requests` answers with `concurrency` in flight; latencies (s), server totals (ms)."""
    latencies: list[float] = []
    server_ms: list[float] = []
    errors: list[str] = []
    counter = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            for i in counter:
                body = {"question": qs[i % len(qs)]}
                started = time.perf_counter()
                try:
                    r = await client.post("/v1/answer", json=body)
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                latencies.append(time.perf_counter() - started)
                if r.status_code != 200:
                    errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
                else:
                    server_ms.append(r.json()["timings_ms"]["total"])

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, server_ms, errors, wall


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(
    data_dir: Path, workers: int, args: argparse.Namespace, qs: list[str]
) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = ROOT / "bench" / "out" / f"server-{workers}w.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    proc = start_server(data_dir, workers, port, log)
    try:
        wait_ready(base, workers, proc)
        asyncio.run(run_load(base, qs, args.warmup, args.concurrency))
        load_before = os.getloadavg()[0]
        lat, server_ms, errors, wall = asyncio.run(
            run_load(base, qs, args.requests, args.concurrency)
        )
    finally:
        stop_server(proc)
    return {
        "workers": workers,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "errors": len(errors),
        "error_samples": errors[:5],
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(lat) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(lat, 0.50) * 1000, 1),
        "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
        "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
        "server_total_p50_ms": round(statistics.median(server_ms), 1) if server_ms else None,
        "loadavg_1m_before": round(load_before, 2),
        "loadavg_1m_after": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=64, help="unmeasured requests first")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "out" / "store")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args(argv)

    ensure_store(args.data_dir)
    qs = questions()
    rows = [measure(args.data_dir, w, args, qs) for w in args.workers]

    head = ("workers", "answers/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    print(" ".join(f"{h:>9}" for h in head))
    for r in rows:
        cells = (r["workers"], r["throughput_rps"], r["p50_ms"], r["p95_ms"], r["p99_ms"])
        print(" ".join(f"{c:>9}" for c in (*cells, r["errors"])))
    result = {
        "command": "python -m bench.load " + " ".join(argv or sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "questions": len(qs),
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Load test of POST /v1/answer on loopback: throughput and latency by uvicorn workers and
concurrency, and where the CPU went.

Starts the server itself (`bluelight serve`) on the shipped corpus, ingesting it first into
bench/out/store if needed, sends a fixed number of requests at each concurrency with a rotating
list of real questions, stops the server, and prints a table. The CPU time of the server's
processes, of this client and of the whole machine is taken over each measured run, so the table
says whether a second worker had a core to run on. Results go to bench/results/load.{json,md}.
Bounded: it never runs longer than its request counts allow.

    .venv/bin/python -m bench.load          # 1,000 requests at 8 and 32, by 1 and 2 workers
    .venv/bin/python -m bench.load --requests 200 --workers 2 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from api.launch import free_port
from bench.common import RESULTS, ROOT, STORE, command, ensure_store, machine, questions, table
from bench.common import write as write_results

STARTUP_S = 180


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


class CpuClock:
    """CPU seconds spent by the server's processes, by this client and by the whole machine."""

    def __init__(self, server_pid: int) -> None:
        self.server = psutil.Process(server_pid)
        self.client = psutil.Process()

    def _server_cpu(self) -> float:
        procs = [self.server, *self.server.children(recursive=True)]
        total = 0.0
        for proc in procs:
            try:
                t = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += t.user + t.system
        return total

    def read(self) -> dict[str, float]:
        client = self.client.cpu_times()
        machine_times = psutil.cpu_times()
        busy = sum(machine_times) - machine_times.idle - getattr(machine_times, "iowait", 0.0)
        return {
            "server": self._server_cpu(),
            "client": client.user + client.system,
            "machine_busy": busy,
            "wall": time.monotonic(),
        }


def measure(
    data_dir: Path, workers: int, args: argparse.Namespace, qs: list[str]
) -> list[dict[str, Any]]:
    """One server with `workers` workers, loaded at each of args.concurrency in turn."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = ROOT / "bench" / "out" / f"server-{workers}w.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    proc = start_server(data_dir, workers, port, log)
    rows = []
    try:
        wait_ready(base, workers, proc)
        clock = CpuClock(proc.pid)
        for concurrency in args.concurrency:
            asyncio.run(run_load(base, qs, args.warmup, concurrency))
            before = clock.read()
            lat, server_ms, errors, wall = asyncio.run(
                run_load(base, qs, args.requests, concurrency)
            )
            after = clock.read()
            rows.append(row(workers, concurrency, args.requests, lat, server_ms, errors, wall))
            rows[-1] |= cores({k: after[k] - before[k] for k in before}, len(lat))
    finally:
        stop_server(proc)
    return rows


def row(
    workers: int,
    concurrency: int,
    requests: int,
    lat: list[float],
    server_ms: list[float],
    errors: list[str],
    wall: float,
) -> dict[str, Any]:
    return {
        "workers": workers,
        "requests": requests,
        "concurrency": concurrency,
        "errors": len(errors),
        "error_samples": errors[:5],
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(lat) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(lat, 0.50) * 1000, 1),
        "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
        "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
        "server_total_p50_ms": round(statistics.median(server_ms), 1) if server_ms else None,
    }


def cores(cpu: dict[str, float], answered: int) -> dict[str, float]:
    """Cores busy on average over a run (server, client, the rest), and CPU ms per answer."""
    answered = max(answered, 1)
    other = cpu["machine_busy"] - cpu["server"] - cpu["client"]
    return {
        "server_cores": round(cpu["server"] / cpu["wall"], 2),
        "client_cores": round(cpu["client"] / cpu["wall"], 2),
        "other_cores": round(other / cpu["wall"], 2),
        "machine_busy_share": round(cpu["machine_busy"] / (cpu["wall"] * (os.cpu_count() or 1)), 2),
        "server_cpu_ms_per_answer": round(1000 * cpu["server"] / answered, 1),
        "client_cpu_ms_per_answer": round(1000 * cpu["client"] / answered, 1),
    }


def averaged(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from the same cell's rounds: numbers averaged, errors summed."""
    out = dict(rounds[0])
    for key, value in rounds[0].items():
        if isinstance(value, float) and key != "wall_s":
            out[key] = round(statistics.mean(r[key] for r in rounds), 2)
    out["errors"] = sum(r["errors"] for r in rounds)
    out["rounds"] = len(rounds)
    out["throughput_rps_by_round"] = [r["throughput_rps"] for r in rounds]
    return out


def markdown(result: dict[str, Any]) -> str:
    rows = result["results"]
    base = {r["concurrency"]: r["throughput_rps"] for r in rows if r["workers"] == 1}
    head = ["workers", "concurrency", "answers/s", "vs 1 worker", "p50 ms", "p95 ms", "errors"]
    head += ["server cores", "client cores", "other cores", "server CPU ms/answer"]
    body = [
        [
            r["workers"],
            r["concurrency"],
            r["throughput_rps"],
            round(r["throughput_rps"] / base[r["concurrency"]], 2)
            if base.get(r["concurrency"])
            else "",
            r["p50_ms"],
            r["p95_ms"],
            r["errors"],
            r["server_cores"],
            r["client_cores"],
            r["other_cores"],
            r["server_cpu_ms_per_answer"],
        ]
        for r in rows
    ]
    m = result["machine"]
    return "\n".join(
        [
            "# Load",
            "",
            f"`{result['command']}`: {rows[0]['requests']} `POST /v1/answer` requests per row "
            f"and round ({rows[0]['rounds']} rounds, worker order alternating, averaged) "
            f"over loopback, {result['questions']} eval questions in rotation, against "
            "`bluelight serve`. "
            f"{m['cpus']} CPUs, load {m['loadavg_1m']} at the start. Cores: CPU seconds per second "
            "of the run, for the server's processes, this load client, and everything else on the "
            "machine; the ratio is against 1 worker at the same concurrency in the same run.",
            "",
            table(head, body),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--warmup", type=int, default=64, help="unmeasured requests first")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2, help="worker orders, alternating")
    parser.add_argument("--data-dir", type=Path, default=STORE)
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    args = parser.parse_args(argv)

    ensure_store(args.data_dir)
    qs = questions()
    cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for r in range(args.rounds):
        # A B then B A: load from other work drifts, and each order meets it once.
        for workers in args.workers if r % 2 == 0 else args.workers[::-1]:
            for got in measure(args.data_dir, workers, args, qs):
                cells.setdefault((got["workers"], got["concurrency"]), []).append(got)
                print(
                    f"round {r + 1}, workers {workers}, concurrency {got['concurrency']}: "
                    f"{got['throughput_rps']} answers/s, p50 {got['p50_ms']} ms, server "
                    f"{got['server_cores']} cores, client {got['client_cores']}, "
                    f"other {got['other_cores']}",
                    flush=True,
                )
    rows = [averaged(cells[key]) for key in sorted(cells)]
    result = {
        "command": command("bench.load", argv if argv is not None else []),
        "machine": machine(),
        "questions": len(qs),
        "results": rows,
    }
    md = markdown(result)
    print(md)
    write_results("load", result, md, args.out)
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Scale bench: the embedded store against a Chroma server at 1k, 10k and 100k chunks.

For each size, in one run and on the very same chunks and vectors (bench/synthetic.py): write
throughput through Store.write, the lexical index build, query latency through the real Retriever
(dense + BM25 + fusion) with and without filters, the memory of a real API process
(`uvicorn api.app:create_app`) serving that store, and the store's size on disk. The real model's
embedding throughput is measured separately on a sample of corpus chunks. Writes
bench/results/scale.md, scale.json and scale.png. Medians and percentiles are reported, never
asserted; about 15 minutes at the default sizes on the 2-core dev machine.

    .venv/bin/python -m bench.scale                       # --sizes 1000,10000,100000
    .venv/bin/python -m bench.scale --sizes 1000,10000    # quicker
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from assistant.question.understand import understand
from assistant.retrieval.embedder import Embedder, make_embedder
from assistant.retrieval.retrieve import Retriever
from assistant.retrieval.store import Store, open_store
from assistant.settings import Settings
from assistant.types import Ask, Filters
from bench.common import StageTimes
from bench.synthetic import CHUNKS_PER_DOC, Pool, Synthesizer, corpus_chunks
from ingest.split import embed_text

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"embedded_p95_ms": 100.0, "server_p95_ms": 150.0, "api_rss_mb": 1536.0}
EMBED_BATCH_SIZES = (16, 32, 64)
COLLECTION = "scale"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, ascending")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "scale")
    parser.add_argument("--questions", type=Path, default=ROOT / "evals" / "datasets" / "dev.jsonl")
    parser.add_argument("--passes", type=int, default=2, help="times each question is asked")
    parser.add_argument("--api-questions", type=int, default=8, help="answers asked of each API")
    parser.add_argument("--embed-sample", type=int, default=192, help="chunks for the model rate")
    parser.add_argument("--report", type=Path, help="only re-render the report from this JSON")
    args = parser.parse_args(argv)
    if args.report:
        results = json.loads(args.report.read_text())
        write_report(results, args.out)
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    if any(s % CHUNKS_PER_DOC for s in sizes):
        parser.error(f"sizes must be multiples of {CHUNKS_PER_DOC} (chunks per document)")
    import psutil  # noqa: F401  (fail now, not after ten minutes, if it is missing)

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    args.out.mkdir(parents=True, exist_ok=True)
    base = Settings(corpus_dir=ROOT / "corpus", data_dir=args.work / "unused")
    embedder = make_embedder(base)
    questions = [json.loads(line)["question"] for line in args.questions.open() if line.strip()]

    log("loading the corpus and embedding its sentences once")
    real = corpus_chunks(ROOT / "corpus", base, embedder)
    pool = Pool.build(real, embedder, ROOT / "bench" / "out")
    synth = Synthesizer(pool)
    embedding = embedding_rate(embedder, real, args.embed_sample)
    log(f"model on {embedder.device}: {embedding['best_chunks_per_s']:.1f} chunks/s")

    results: dict[str, Any] = {
        "command": " ".join(["python -m bench.scale", *(sys.argv[1:] if argv is None else argv)]),
        "machine": machine(),
        "sizes": sizes,
        "chunks_per_document": CHUNKS_PER_DOC,
        "pool": {"corpus_chunks": len(real), "sentences": len(pool.sentences)},
        "embedding": embedding,
        "targets": TARGETS,
        "rows": [],
    }
    filters = filter_sets(synth)
    # Queries run as an API worker runs them: one intra-op thread (api/batching.py says why).
    import torch

    torch.set_num_threads(1)
    with chroma_server(args.work / "server-db", args.work / "chroma.log") as port:
        kinds = {
            "embedded": Settings(
                corpus_dir=base.corpus_dir, data_dir=args.work / "embedded", collection=COLLECTION
            ),
            "server": Settings(
                corpus_dir=base.corpus_dir,
                data_dir=args.work / "server",
                chroma_host="127.0.0.1",
                chroma_port=port,
                collection=COLLECTION,
            ),
        }
        disk = {"embedded": kinds["embedded"].chroma_path, "server": args.work / "server-db"}
        stores = {kind: open_store(s) for kind, s in kinds.items()}
        have = 0
        for size in sizes:
            batch = list(synth.documents(have // CHUNKS_PER_DOC, size // CHUNKS_PER_DOC))
            for kind, store in stores.items():
                log(f"{kind}: writing {size - have} chunks (to {size})")
                row: dict[str, Any] = {"store": kind, "chunks": size}
                row["documents"] = size // CHUNKS_PER_DOC
                row["write"] = write(store, batch)
                row["disk_mb"] = du(disk[kind]) / 2**20
                log(f"{kind} @ {size}: queries")
                row["load_before"] = os.getloadavg()[0]
                row["query"] = queries(store, embedder, questions, filters, args.passes)
                row["load_after"] = os.getloadavg()[0]
                log(f"{kind} @ {size}: API process")
                api_log = args.work / f"api-{kind}-{size}.log"
                row["api"] = api_memory(kinds[kind], questions[: args.api_questions], api_log)
                results["rows"].append(row)
                log(summary(row))
            have = size
            del batch
            gc.collect()

    write_report(results, args.out)
    return 0


def write_report(results: dict[str, Any], out: Path) -> None:
    results["verdict"] = verdict(results)
    (out / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "scale.md").write_text(markdown(results))
    plot(results, out / "scale.png")
    print(markdown(results))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- embedding ------------------------------------------------------------------------------


def embedding_rate(embedder: Embedder, chunks: list[Any], sample: int) -> dict[str, Any]:
    """The real model's throughput on corpus chunks, as ingest embeds them, per batch size."""
    step = max(1, len(chunks) // sample)
    texts = [embed_text(c.title, c.section, c.text) for c in chunks[::step][:sample]]
    embedder.embed_array(texts[:8])  # load the weights and warm up
    rates: dict[str, float] = {}
    original = embedder.batch_size
    for size in EMBED_BATCH_SIZES:
        embedder.batch_size = size
        started = time.perf_counter()
        embedder.embed_array(texts)
        rates[str(size)] = len(texts) / (time.perf_counter() - started)
    embedder.batch_size = original
    tokens = embedder.token_counts(texts)
    return {
        "device": embedder.device,
        "sample_chunks": len(texts),
        "mean_tokens": float(np.mean(tokens)),
        "chunks_per_s_by_batch": rates,
        "best_chunks_per_s": max(rates.values()),
    }


# -- writing --------------------------------------------------------------------------------


def write(store: Store, batch: list[tuple[Any, np.ndarray]]) -> dict[str, float]:
    """Write documents through Store.write (pending mark, chunks, manifest commit, version)."""
    started = time.perf_counter()
    for doc, vectors in batch:
        store.write(doc, vectors, origin=doc.source)
    seconds = time.perf_counter() - started
    chunks = sum(len(doc.chunks) for doc, _ in batch)
    return {"chunks": chunks, "seconds": seconds, "chunks_per_s": chunks / seconds}


def du(path: Path) -> int:
    """Bytes allocated on disk under path, as du counts them."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with suppress(FileNotFoundError):  # a file the server is replacing right now
                total += os.stat(os.path.join(root, name)).st_blocks * 512
    return total


# -- querying -------------------------------------------------------------------------------


def filter_sets(synth: Synthesizer) -> list[Filters]:
    """Explicit filters of the kinds the API takes, on values the records really hold."""

    def common(values: list[Any]) -> Any:
        values = [v for v in values if v]
        return max(set(values), key=values.count)

    records = synth.records
    region = common([c.region for c in records])
    theme = common([c.theme for c in records])
    service = common([s for c in records for s in c.services])
    return [
        Filters(doc_type=["project"]),
        Filters(region=[region]),
        Filters(services=[service]),
        Filters(year_from=2015),
        Filters(theme=[theme], region=[region]),
        Filters(doc_type=["report"]),
    ]


def _retrieve(retriever: Retriever, question: str, filters: Filters | None = None) -> None:
    """One question understood against the store and retrieved, as the assistant does it."""
    snapshot = retriever.snapshot()
    understood = understand(Ask(question=question), snapshot.known)
    retriever.retrieve(understood, filters, snapshot=snapshot)


def queries(
    store: Store, embedder: Embedder, questions: list[str], filters: list[Filters], passes: int
) -> dict[str, Any]:
    retriever = Retriever(store, embedder, recheck_s=1e9)
    started = time.perf_counter()
    retriever.refresh(force=True)
    out: dict[str, Any] = {"index_build_s": time.perf_counter() - started}
    for question in questions[:3]:
        _retrieve(retriever, question)  # warm caches
    stages = StageTimes(retriever)
    samples: dict[str, list[dict[str, float]]] = {"unfiltered": [], "filtered": []}
    with stages.recording():
        for _ in range(passes):
            for i, question in enumerate(questions):
                for mode, chosen in (("unfiltered", None), ("filtered", filters[i % len(filters)])):
                    stages.now = {}
                    cpu = time.process_time()
                    started = time.perf_counter()
                    _retrieve(retriever, question, chosen)
                    total = time.perf_counter() - started
                    cpu = time.process_time() - cpu
                    samples[mode].append({"total": total, "cpu": cpu, **stages.now})
    for mode, rows in samples.items():
        totals = np.array([r["total"] for r in rows]) * 1000
        out[mode] = {
            "n": len(rows),
            "p50_ms": float(np.percentile(totals, 50)),
            "p95_ms": float(np.percentile(totals, 95)),
            # CPU time of this process: less swayed than wall time when the machine is shared
            # (a server-mode query also spends time in the Chroma server, not counted here).
            "cpu_p50_ms": float(np.percentile([r["cpu"] for r in rows], 50) * 1000),
            "cpu_p95_ms": float(np.percentile([r["cpu"] for r in rows], 95) * 1000),
            "stages_p50_ms": {
                stage: float(np.percentile([r.get(stage, 0.0) for r in rows], 50) * 1000)
                for stage in ("embed", "dense", "lexical")
            },
            "stages_p95_ms": {
                stage: float(np.percentile([r.get(stage, 0.0) for r in rows], 95) * 1000)
                for stage in ("embed", "dense", "lexical")
            },
        }
    del retriever
    gc.collect()
    return out


# -- processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen, timeout_s: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} not ready after {timeout_s:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def chroma_server(path: Path, log_path: Path) -> Iterator[int]:
    port = free_port()
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_ready(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, 60, "chroma run")
        yield port
    finally:
        stop(proc)


def api_memory(settings: Settings, questions: list[str], log_path: Path) -> dict[str, float]:
    """Resident memory of a real API process serving this store, before and after answering."""
    import psutil

    env = {
        **os.environ,
        "BLUELIGHT_DATA_DIR": str(settings.data_dir),
        "BLUELIGHT_CORPUS_DIR": str(settings.corpus_dir),
        "BLUELIGHT_COLLECTION": settings.collection,
    }
    env.pop("BLUELIGHT_CHROMA_HOST", None)
    if settings.chroma_host:
        env["BLUELIGHT_CHROMA_HOST"] = settings.chroma_host
        env["BLUELIGHT_CHROMA_PORT"] = str(settings.chroma_port)
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        ready_s = wait_ready(f"{url}/readyz", proc, 1200, f"API process (log: {log_path})")
        process = psutil.Process(proc.pid)
        rss_ready = process.memory_info().rss
        latencies = []
        for question in questions:
            started = time.perf_counter()
            response = httpx.post(f"{url}/v1/answer", json={"question": question}, timeout=300)
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)
        rss_after = process.memory_info().rss
        peak = _peak_rss(proc.pid) or max(rss_ready, rss_after)
    finally:
        stop(proc)
    return {
        "ready_s": ready_s,
        "rss_ready_mb": rss_ready / 2**20,
        "rss_after_answers_mb": rss_after / 2**20,
        "rss_peak_mb": peak / 2**20,
        "answers": len(latencies),
        "answer_p50_ms": float(np.percentile(latencies, 50) * 1000),
    }


def _peak_rss(pid: int) -> int | None:
    """The kernel's high-water mark of resident memory (VmHWM), where /proc has it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


# -- report ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import chromadb
    import torch

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "chromadb": chromadb.__version__,
        "torch": torch.__version__,
        "date": time.strftime("%Y-%m-%d"),
        "load_average_at_start": os.getloadavg()[0],
    }


def summary(row: dict[str, Any]) -> str:
    q = row["query"]
    return (
        f"{row['store']} @ {row['chunks']}: write {row['write']['chunks_per_s']:.0f}/s, "
        f"index {q['index_build_s']:.1f} s, p95 {q['unfiltered']['p95_ms']:.1f} ms "
        f"(filtered {q['filtered']['p95_ms']:.1f} ms), API RSS {row['api']['rss_peak_mb']:.0f} MB, "
        f"disk {row['disk_mb']:.0f} MB"
    )


def verdict(results: dict[str, Any]) -> dict[str, Any]:
    """The targets at the largest size measured."""
    largest = max(results["sizes"])
    out: dict[str, Any] = {"chunks": largest}
    for row in results["rows"]:
        if row["chunks"] != largest:
            continue
        p95 = max(row["query"]["unfiltered"]["p95_ms"], row["query"]["filtered"]["p95_ms"])
        target = TARGETS[f"{row['store']}_p95_ms"]
        out[f"{row['store']}_p95_ms"] = {"value": p95, "target": target, "met": p95 < target}
        memory = (("api_rss_mb", "rss_after_answers_mb"), ("api_peak_mb", "rss_peak_mb"))
        for key, measure in memory:
            value = row["api"][measure]
            out[f"{row['store']}_{key}"] = {
                "value": value,
                "target": TARGETS["api_rss_mb"],
                "met": value < TARGETS["api_rss_mb"],
            }
    return out


def markdown(results: dict[str, Any]) -> str:
    m, e = results["machine"], results["embedding"]
    lines = [
        "# Scale: embedded store against a Chroma server",
        "",
        f"Command: `{results['command']}`  ",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB; Python {m['python']}, "
        f"chromadb {m['chromadb']}, torch {m['torch']}; {m['date']}.",
        "",
        "| store | chunks | write chunks/s | index build s | p50 / p95 ms | "
        "filtered p50 / p95 ms | CPU p50 / p95 ms | API RSS MB (serving / peak) | answer p50 ms "
        "| disk MB | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["rows"]:
        q, a = row["query"], row["api"]
        lines.append(
            f"| {row['store']} | {row['chunks']:,} | {row['write']['chunks_per_s']:,.0f} "
            f"| {q['index_build_s']:.1f} "
            f"| {q['unfiltered']['p50_ms']:.1f} / {q['unfiltered']['p95_ms']:.1f} "
            f"| {q['filtered']['p50_ms']:.1f} / {q['filtered']['p95_ms']:.1f} "
            f"| {q['unfiltered']['cpu_p50_ms']:.1f} / {q['unfiltered']['cpu_p95_ms']:.1f} "
            f"| {a['rss_after_answers_mb']:,.0f} / {a['rss_peak_mb']:,.0f} "
            f"| {a['answer_p50_ms']:.0f} "
            f"| {row['disk_mb']:,.1f} | {row['load_before']:.1f} |"
        )
    v = results["verdict"]
    lines += [
        "",
        f"Targets at {v['chunks']:,} chunks (p95: the worse of filtered and not; api_rss: while "
        "serving, after the answers; api_peak: the high-water mark, reached while the lexical "
        "index is built at startup or after a store change):",
        "",
    ]
    for key, check in v.items():
        if isinstance(check, dict):
            mark = "met" if check["met"] else "MISSED"
            lines.append(f"- {key}: {check['value']:.1f} against < {check['target']:.0f}: {mark}")
    best = e["best_chunks_per_s"]
    lines += [
        "",
        f"Embedding with the real model on {e['device']} ({e['sample_chunks']} corpus chunks, "
        f"{e['mean_tokens']:.0f} word pieces on average): "
        + ", ".join(f"batch {b}: {r:.1f} chunks/s" for b, r in e["chunks_per_s_by_batch"].items())
        + ".",
        "",
        "Stage medians (ms) at the largest size — embed the question, dense query, lexical:",
        "",
    ]
    for row in results["rows"]:
        if row["chunks"] == v["chunks"]:
            for mode in ("unfiltered", "filtered"):
                s = row["query"][mode]["stages_p50_ms"]
                lines.append(
                    f"- {row['store']}, {mode}: embed {s['embed']:.1f}, dense {s['dense']:.1f}, "
                    f"lexical {s['lexical']:.1f}"
                )
    lines += [
        "",
        "How it was measured:",
        "",
        f"- Chunks are synthetic: {results['pool']['sentences']:,} distinct sentences of the "
        f"shipped corpus ({results['pool']['corpus_chunks']} chunks) recombined, 3 to 8 to a "
        f"chunk, {results['chunks_per_document']} chunks to a document, with real titles, "
        "sections and project-record metadata. Each sentence is embedded once with the real "
        "model and a chunk's vector is the normalised mean of its sentences' vectors; the same "
        "chunks and vectors go to both stores. Write throughput is therefore Store.write alone "
        f"(no model); with the model on this machine ingest runs at about {best:.0f} chunks/s, "
        "so embedding, not the store, bounds it.",
        "- Queries: every dev question "
        f"({results['rows'][0]['query']['unfiltered']['n'] // 2 if results['rows'] else 0}), "
        "asked twice, through Retriever.retrieve (question embedding, Chroma query, BM25, fusion); "
        "filtered runs add an explicit filter (document type, region, service, year, theme with "
        "region) in turn.",
        "- API memory: a fresh `uvicorn api.app:create_app --factory` process per row, serving "
        "that store; its RSS after "
        f"{results['rows'][0]['api']['answers'] if results['rows'] else 0} answers, and its "
        "peak (VmHWM) since it started.",
        "- Disk: bytes allocated under the embedded store's folder, or the server's --path.",
        "- CPU: this process's CPU time per unfiltered query (a server-mode query also spends "
        "time in the Chroma server). Load: the 1-minute load average when the row's queries "
        f"began (it was {m['load_average_at_start']:.1f} at the start; the machine is shared, and "
        f"a load above {m['cpus']} means other processes competed for its cores).",
        "- Questions are embedded by the query backend the settings name (ONNX by default), on "
        "one thread, as API workers run.",
        "",
    ]
    return "\n".join(lines)


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    colours = {"embedded": "tab:blue", "server": "tab:orange"}
    for kind, colour in colours.items():
        rows = [r for r in results["rows"] if r["store"] == kind]
        if not rows:
            continue
        x = [r["chunks"] for r in rows]
        axes[0, 0].plot(x, [r["write"]["chunks_per_s"] for r in rows], "o-", c=colour, label=kind)
        for mode, style in (("unfiltered", "o-"), ("filtered", "s--")):
            axes[0, 1].plot(
                x,
                [r["query"][mode]["p95_ms"] for r in rows],
                style,
                c=colour,
                label=f"{kind}, {mode}",
            )
        axes[1, 0].plot(x, [r["api"]["rss_peak_mb"] for r in rows], "o-", c=colour, label=kind)
        axes[1, 0].plot(
            x,
            [r["api"]["rss_after_answers_mb"] for r in rows],
            "s--",
            c=colour,
            label=f"{kind}, serving",
        )
        axes[1, 1].plot(x, [r["disk_mb"] for r in rows], "o-", c=colour, label=kind)
    axes[0, 0].axhline(
        results["embedding"]["best_chunks_per_s"], c="grey", ls=":", label="real model (cpu)"
    )
    axes[0, 1].axhline(TARGETS["embedded_p95_ms"], c="tab:blue", ls=":", lw=1)
    axes[0, 1].axhline(TARGETS["server_p95_ms"], c="tab:orange", ls=":", lw=1)
    axes[1, 0].axhline(TARGETS["api_rss_mb"], c="grey", ls=":", label="target")
    titles = [
        ("Write throughput (chunks/s)", axes[0, 0]),
        ("Query p95 (ms), targets dotted", axes[0, 1]),
        ("API process RSS (MB): peak, and while serving", axes[1, 0]),
        ("Store on disk (MB)", axes[1, 1]),
    ]
    for title, ax in titles:
        ax.set_title(title)
        ax.set_xscale("log")
        ax.set_xlabel("chunks")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0, 0].set_yscale("log")
    fig.suptitle(f"bluelight scale bench ({results['machine']['cpus']} CPUs)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    raise SystemExit(main())

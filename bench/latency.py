"""Answer latency on the shipped corpus, stage by stage, against a floor measured in the same run.

The floor is the least an answer can cost: one torch MiniLM query embedding and one Chroma k=5
query. Every warm answer is measured next to a floor sample (alternating which goes first), so
both see the same machine load; first-seen questions are the eval questions asked once each
after the model and index are warm, warm ones the same asked again. Also: the query embedding
backends against torch (time, cosine, top-5 overlap), spelling correction per question, and one
answer over HTTP (real uvicorn, api/launch.py) beside one in process. Medians and ratios only.

    .venv/bin/python -m bench.latency                 # bench/results/latency.{json,md}
    .venv/bin/python -m bench.latency --passes 1 --no-http
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from assistant.answer import Assistant
from assistant.factory import build_assistant
from assistant.question.spelling import Speller
from assistant.retrieval.embedder import Embedder, make_embedder
from assistant.retrieval.store import Store, open_store
from assistant.settings import Settings
from assistant.types import Ask
from bench.common import (
    RESULTS,
    ROOT,
    STORE,
    WARM_UP,
    StageTimes,
    command,
    ensure_store,
    machine,
    ms,
    questions,
    ratio,
    table,
    write,
)

BACKENDS = ("torch", "onnx", "onnx-int8")
# Stages the retriever reports from inside retrieve.
INNER = ("embed", "dense", "lexical", "focus", "fuse")


def answer_once(assistant: Assistant, stages: StageTimes, question: str) -> dict[str, float]:
    """One answer's wall time and stages, in seconds (serialize: the answer as JSON)."""
    stages.now = {}
    started = time.perf_counter()
    answer = assistant.answer(Ask(question=question))
    answered = time.perf_counter()
    answer.model_dump_json()
    done = time.perf_counter()
    row = {k: v / 1000 for k, v in answer.timings_ms.items()}
    row |= stages.now
    if "retrieve" in row:
        row["retrieve (rest)"] = row["retrieve"] - sum(stages.now.values())
    row["serialize"] = done - answered
    row["wall"] = done - started
    return row


def floor_once(torch_embedder: Embedder, store: Store, question: str) -> float:
    started = time.perf_counter()
    store.nearest(torch_embedder.embed_query(question), 5)
    return time.perf_counter() - started


def answers(
    assistant: Assistant, torch_embedder: Embedder, qs: list[str], passes: int
) -> dict[str, Any]:
    store = assistant.retriever.store
    stages = StageTimes(assistant.retriever)
    for q in WARM_UP:
        assistant.answer(Ask(question=q))
        floor_once(torch_embedder, store, q)
    first: list[dict[str, float]] = []
    warm: list[dict[str, float]] = []
    floor: list[float] = []
    with stages.recording():
        # Pass 0 asks each question for the first time; the floor is sampled beside every answer.
        for p in range(passes + 1):
            rows = first if p == 0 else warm
            for i, q in enumerate(qs):
                if (i + p) % 2:
                    floor.append(floor_once(torch_embedder, store, q))
                    rows.append(answer_once(assistant, stages, q))
                else:
                    rows.append(answer_once(assistant, stages, q))
                    floor.append(floor_once(torch_embedder, store, q))
    keys = list(dict.fromkeys(k for row in first + warm for k in row))
    return {
        "first_seen": {k: ms([r.get(k, 0.0) for r in first]) for k in keys},
        "warm": {k: ms([r.get(k, 0.0) for r in warm]) for k in keys},
        "floor": ms(floor),
        "stages": keys,
        "timed_inside_retrieve": list(INNER),
    }


def backends(settings: Settings, store: Store, qs: list[str], passes: int) -> dict[str, Any]:
    """Each query backend's time per question, interleaved, and its agreement with torch."""
    embedders = {
        b: make_embedder(settings.model_copy(update={"query_backend": b})) for b in BACKENDS
    }
    for e in embedders.values():
        e.embed_query(WARM_UP[0])
    times: dict[str, list[float]] = {b: [] for b in BACKENDS}
    for p in range(passes):
        for i, q in enumerate(qs):
            order = BACKENDS[(i + p) % 3 :] + BACKENDS[: (i + p) % 3]
            for b in order:
                started = time.perf_counter()
                embedders[b].embed_query(q)
                times[b].append(time.perf_counter() - started)
    vectors = {b: np.asarray([embedders[b].embed_query(q) for q in qs]) for b in BACKENDS}
    top = {b: [{c for c, _ in store.nearest(v, 5)} for v in vectors[b]] for b in BACKENDS}
    out: dict[str, Any] = {}
    for b in BACKENDS:
        cosine = (vectors[b] * vectors["torch"]).sum(axis=1)
        overlap = [len(a & t) / 5 for a, t in zip(top[b], top["torch"], strict=True)]
        out[b] = {
            "ms": ms(times[b]),
            "cosine_to_torch_min": round(float(cosine.min()), 4),
            "cosine_to_torch_mean": round(float(cosine.mean()), 4),
            "top5_overlap_mean": round(float(np.mean(overlap)), 3),
            "top5_identical_share": round(float(np.mean([o == 1.0 for o in overlap])), 3),
        }
    return out


def spelling(assistant: Assistant, qs: list[str]) -> dict[str, Any]:
    """A fresh speller over the store's words: its build, then each question cold and cached."""
    vocab = assistant.retriever.index.vocab
    started = time.perf_counter()
    speller = Speller(vocab)
    build = time.perf_counter() - started
    cold, cached = [], []
    for q in qs:
        started = time.perf_counter()
        speller.corrected(q)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        speller.corrected(q)
        cached.append(time.perf_counter() - started)
    return {
        "vocabulary_words": len(vocab),
        "build_ms": round(build * 1000, 1),
        "first_seen": ms(cold) | {"max": round(max(cold) * 1000, 3)},
        "cached": ms(cached),
    }


def http_vs_in_process(
    assistant: Assistant, settings: Settings, qs: list[str], passes: int
) -> dict[str, Any]:
    """One request at a time to a real uvicorn on loopback, beside the same answer in process."""
    from api.launch import start_api

    env = {
        **os.environ,
        "BLUELIGHT_DATA_DIR": str(settings.data_dir),
        "BLUELIGHT_CORPUS_DIR": str(settings.corpus_dir),
        "BLUELIGHT_QUERY_BACKEND": settings.query_backend,
    }
    log = ROOT / "bench" / "out" / "latency-api.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    api = start_api(env, log, ready_s=300)
    http: list[float] = []
    local: list[float] = []
    try:
        with httpx.Client(base_url=api.url, timeout=60) as client:

            def over_http(q: str) -> None:
                started = time.perf_counter()
                client.post("/v1/answer", json={"question": q}).raise_for_status()
                http.append(time.perf_counter() - started)

            def in_process(q: str) -> None:
                started = time.perf_counter()
                assistant.answer(Ask(question=q)).model_dump_json()
                local.append(time.perf_counter() - started)

            for q in qs:
                client.post("/v1/answer", json={"question": q})  # each question seen once
            for p in range(passes):
                for i, q in enumerate(qs):
                    first, second = (
                        (over_http, in_process) if (i + p) % 2 else (in_process, over_http)
                    )
                    first(q)
                    second(q)
    finally:
        api.stop()
    return {"http": ms(http), "in_process": ms(local)}


def markdown(r: dict[str, Any], cmd: str) -> str:
    a = r["answers"]
    floor = a["floor"]["p50"]
    lines = [
        "# Answer latency",
        "",
        f"`{cmd}` on the shipped corpus ({r['questions']} eval questions, query backend "
        f"`{r['query_backend']}`, {r['torch_threads']} torch thread). Machine: "
        f"{r['machine']['cpus']} CPUs, load {r['machine']['loadavg_1m']} at the start. "
        "Milliseconds; each ratio is against a baseline measured in the same run.",
        "",
        "## The floor and the whole answer",
        "",
        table(
            ["measure", "p50 ms", "p95 ms", "ratio"],
            [
                ["floor: torch query embedding + Chroma k=5", floor, a["floor"]["p95"], "1.00"],
                [
                    "warm answer (wall, with serialization)",
                    a["warm"]["wall"]["p50"],
                    a["warm"]["wall"]["p95"],
                    f"{ratio(a['warm']['wall']['p50'], floor)} × floor (p50)",
                ],
                [
                    "first-seen answer (wall)",
                    a["first_seen"]["wall"]["p50"],
                    a["first_seen"]["wall"]["p95"],
                    f"{ratio(a['first_seen']['wall']['p95'], a['warm']['wall']['p95'])}"
                    " × warm (p95)",
                ],
            ],
        ),
        "",
        "## Stage by stage",
        "",
        "Stages are `Answer.timings_ms` plus, inside retrieve, the steps the retriever reports "
        f"({', '.join(a['timed_inside_retrieve'])}); serialize is the answer as JSON.",
        "",
        table(
            ["stage", "warm p50", "warm p95", "first-seen p50", "first-seen p95"],
            [
                [k, *(a[when][k][p] for when in ("warm", "first_seen") for p in ("p50", "p95"))]
                for k in a["stages"]
            ],
        ),
    ]
    b = r.get("backends")
    if b:
        torch_p50 = b["torch"]["ms"]["p50"]
        lines += [
            "",
            "## Query embedding backends",
            "",
            "One question at a time, the three backends interleaved; top-5 overlap is of Chroma's "
            "five nearest chunks (stored vectors are torch's) against torch's.",
            "",
            table(
                ["backend", "p50 ms", "p95 ms", "ratio to torch", "cosine min / mean", "top-5"],
                [
                    [
                        name,
                        v["ms"]["p50"],
                        v["ms"]["p95"],
                        ratio(v["ms"]["p50"], torch_p50),
                        f"{v['cosine_to_torch_min']} / {v['cosine_to_torch_mean']}",
                        f"{v['top5_overlap_mean']} ({v['top5_identical_share']} identical)",
                    ]
                    for name, v in b.items()
                ],
            ),
        ]
    s = r.get("spelling")
    if s:
        lines += [
            "",
            "## Spelling correction",
            "",
            f"A speller over the store's {s['vocabulary_words']} words builds in "
            f"{s['build_ms']} ms. Per question, first seen: p50 {s['first_seen']['p50']} ms, "
            f"p95 {s['first_seen']['p95']} ms, max {s['first_seen']['max']} ms "
            f"(p95 {100 * s['first_seen']['p95'] / floor:.2f}% of the floor's p50); "
            f"cached: p50 {s['cached']['p50']} ms.",
        ]
    h = r.get("http")
    if h:
        lines += [
            "",
            "## Over HTTP and in process",
            "",
            table(
                ["path", "p50 ms", "p95 ms", "ratio"],
                [
                    [
                        "in process (answer + JSON)",
                        h["in_process"]["p50"],
                        h["in_process"]["p95"],
                        "1.00",
                    ],
                    [
                        "HTTP, one uvicorn worker, loopback",
                        h["http"]["p50"],
                        h["http"]["p95"],
                        ratio(h["http"]["p50"], h["in_process"]["p50"]),
                    ],
                ],
            ),
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.latency", description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3, help="warm passes over the questions")
    parser.add_argument("--no-http", action="store_true", help="skip the uvicorn comparison")
    parser.add_argument("--data-dir", type=Path, default=STORE)
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    args = parser.parse_args(argv)
    import torch

    ensure_store(args.data_dir)
    settings = Settings(data_dir=args.data_dir, corpus_dir=ROOT / "corpus")
    torch.set_num_threads(settings.torch_threads)  # as each API worker runs it
    store = open_store(settings)
    assistant = build_assistant(settings, store=store)
    torch_embedder = make_embedder(settings.model_copy(update={"query_backend": "torch"}))
    qs = questions()
    result: dict[str, Any] = {
        "command": command("bench.latency", argv if argv is not None else []),
        "machine": machine(),
        "questions": len(qs),
        "query_backend": settings.query_backend,
        "torch_threads": settings.torch_threads,
        "chunks": store.count(),
    }
    print(f"answers: {len(qs)} first-seen, then {args.passes} warm passes", flush=True)
    result["answers"] = answers(assistant, torch_embedder, qs, args.passes)
    print("query backends", flush=True)
    result["backends"] = backends(settings, store, qs, args.passes)
    result["spelling"] = spelling(assistant, qs)
    if not args.no_http:
        print("HTTP against in-process", flush=True)
        result["http"] = http_vs_in_process(assistant, settings, qs, max(1, args.passes - 1))
    md = markdown(result, result["command"])
    print(md)
    write("latency", result, md, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

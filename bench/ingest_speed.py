"""Ingest benchmark: the whole pipeline beside bare embedding of exactly the texts it embedded.

Each repeat ingests the shipped corpus into a fresh temporary store (read, structure, chunk,
embed chunks and sentences, write) with an embedder that records every batch of texts it is
given (ingest.load.embed_inputs of each document, batched across small documents), then the
same model embeds those very batches again, bare, with the same batch size, in the same process.
The ratio is what the pipeline costs over the model. Because a shared machine's load drifts
between the two runs, the time the pipeline itself spent inside those embedding calls is given
too: the pipeline over that is the same ratio, measured at the same moment. An unchanged
re-ingest is timed as well, and samples of the chunk and sentence texts are embedded in batches
by torch and by the ONNX export (interleaved, same threads and batch size).

    .venv/bin/python -m bench.ingest_speed                 # bench/results/ingest.{json,md}
    .venv/bin/python -m bench.ingest_speed --repeats 1
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.embedder import Embedder, make_embedder
from assistant.retrieval.onnx_model import OnnxEncoder
from assistant.retrieval.store import open_store
from assistant.settings import Settings
from bench.common import RESULTS, ROOT, command, machine, ratio, table, write
from ingest.run import ingest
from ingest.split import embed_text


class Recording(Embedder):
    """The real model (weights shared), keeping every list of texts ingest asked it to embed."""

    def __init__(self, real: Embedder) -> None:
        super().__init__(real.folder, real.device, real.batch_size)
        self.__dict__.update(
            {k: v for k, v in real.__dict__.items() if k in ("model", "tokenizer")}
        )
        self.calls: list[list[str]] = []
        self.seconds = 0.0

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        started = time.perf_counter()
        try:
            return super().embed_array(texts)
        finally:
            self.seconds += time.perf_counter() - started


def batch_backends(real: Embedder, texts: list[str], rounds: int = 3) -> dict[str, Any]:
    """Texts per second in batches: torch (sentence-transformers) and the fp32 ONNX export, each
    given the same threads, batch size and length-sorted batches, interleaved."""
    import torch

    onnx = OnnxEncoder(real.folder, Settings().models_dir, "onnx", torch.get_num_threads())
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # as sentence-transformers

    def by_onnx() -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), real.batch_size):
            rows = order[start : start + real.batch_size]
            out[rows] = onnx.encode([texts[i] for i in rows])
        return out

    runs: dict[str, list[float]] = {"torch": [], "onnx": []}
    vectors: dict[str, np.ndarray] = {}
    for r in range(rounds):
        for name in ("torch", "onnx") if r % 2 == 0 else ("onnx", "torch"):
            started = time.perf_counter()
            vectors[name] = real.embed_array(texts) if name == "torch" else by_onnx()
            runs[name].append(time.perf_counter() - started)
    t, o = statistics.median(runs["torch"]), statistics.median(runs["onnx"])
    return {
        "texts": len(texts),
        "threads": torch.get_num_threads(),
        "torch_texts_per_s": round(len(texts) / t, 1),
        "onnx_texts_per_s": round(len(texts) / o, 1),
        "onnx_time_over_torch": ratio(o, t),
        "cosine_min": round(float((vectors["torch"] * vectors["onnx"]).sum(axis=1).min()), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.ingest_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    args = parser.parse_args(argv)

    base = Settings(corpus_dir=args.corpus)
    real = make_embedder(base)
    real.embed_array(["warm up the model before any clock starts"])
    pipeline, bare, unchanged, inside = [], [], [], []
    chunk_texts: set[str] = set()
    report: Any = None
    calls: list[list[str]] = []
    counts: dict[str, int] = {}
    for _ in range(args.repeats):
        recording = Recording(real)
        with tempfile.TemporaryDirectory() as tmp:
            settings = base.model_copy(update={"data_dir": Path(tmp)})
            store = open_store(settings)
            started = time.perf_counter()
            report = ingest([args.corpus], store, recording, settings)
            pipeline.append(time.perf_counter() - started)
            inside.append(recording.seconds)
            started = time.perf_counter()
            again = ingest([args.corpus], store, recording, settings)
            unchanged.append(time.perf_counter() - started)
            assert again.chunks_written == 0
            counts = {"documents": len(store.manifest()), "chunks": store.count()}
            chunk_texts = {embed_text(c.title, c.section, c.text) for c in store.iter_chunks()}
        calls = recording.calls
        started = time.perf_counter()
        for texts in calls:  # the same batches, the same model, nothing else
            real.embed_array(texts)
        bare.append(time.perf_counter() - started)

    texts = sum(len(c) for c in calls)
    everything = [t for c in calls for t in c]
    chunks = [t for t in everything if t in chunk_texts]
    sentences = [t for t in everything if t not in chunk_texts]
    batches = {
        "chunks": batch_backends(real, chunks[:: max(1, len(chunks) // 128)][:128]),
        "sentences": batch_backends(real, sentences[:: max(1, len(sentences) // 256)][:256]),
    }
    p, b, u, i = (statistics.median(x) for x in (pipeline, bare, unchanged, inside))
    own = statistics.median(t / e for t, e in zip(pipeline, inside, strict=True))
    result = {
        "command": command("bench.ingest_speed", argv if argv is not None else []),
        "machine": machine(),
        **counts,
        "texts_embedded": texts,
        "embed_calls": len(calls),
        "batch_size": real.batch_size,
        "failed": len(report.failed) if report else 0,
        "repeats": args.repeats,
        "pipeline_s": round(p, 2),
        "bare_embedding_s": round(b, 2),
        "pipeline_texts_per_s": round(texts / p, 1),
        "bare_texts_per_s": round(texts / b, 1),
        "pipeline_over_bare": ratio(p, b),
        "embedding_inside_pipeline_s": round(i, 2),
        "pipeline_over_its_own_embedding": round(own, 2),
        "unchanged_reingest_s": round(u, 3),
        "batch_backends": batches,
    }
    md = "\n".join(
        [
            "# Ingest",
            "",
            f"`{result['command']}`: the shipped corpus ({counts.get('documents')} documents, "
            f"{counts.get('chunks')} chunks) into a fresh store; {texts} texts embedded (chunks "
            f"with their context, then quotable sentences) in {len(calls)} calls of batch size "
            f"{real.batch_size}. The model's time is taken at its calls inside the pipeline (the "
            "same texts, model and batches, at the same moment), and again replayed bare "
            f"afterwards, which the shared machine's drifting load can sway. Medians of "
            f"{args.repeats}; {machine()['cpus']} CPUs.",
            "",
            table(
                ["", "seconds", "texts/s", "ratio"],
                [
                    [
                        "the model, at the pipeline's own embedding calls",
                        round(i, 2),
                        round(texts / i, 1),
                        "1.00",
                    ],
                    [
                        "pipeline (read, chunk, embed, write)",
                        round(p, 2),
                        round(texts / p, 1),
                        f"{round(own, 2)} × the model's calls",
                    ],
                    [
                        "the same calls replayed bare afterwards",
                        round(b, 2),
                        round(texts / b, 1),
                        f"pipeline {ratio(p, b)} × this",
                    ],
                    ["unchanged re-ingest", round(u, 3), "", ratio(u, i)],
                ],
            ),
            "",
            f"In batches (batch size {real.batch_size}, the same threads, length-sorted, "
            "interleaved), torch against the fp32 ONNX export that embeds questions:",
            "",
            table(
                ["sample", "texts", "torch texts/s", "ONNX texts/s", "ONNX time", "cosine min"],
                [
                    [
                        kind,
                        v["texts"],
                        v["torch_texts_per_s"],
                        v["onnx_texts_per_s"],
                        f"{v['onnx_time_over_torch']} × torch",
                        v["cosine_min"],
                    ]
                    for kind, v in batches.items()
                ],
            ),
        ]
    )
    print(md)
    write("ingest", result, md, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

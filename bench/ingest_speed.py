"""Ingest benchmark: the pipeline's chunks per second beside bare embedding of the same chunks.

Usage: .venv/bin/python bench/ingest_speed.py [--repeats 3] [--corpus corpus]

Each repeat ingests the corpus into a fresh temporary store (loading, chunking, embedding,
writing), then embeds the very same chunk texts with the bare model, in the same process, so the
ratio shows what the pipeline costs over the model. An unchanged re-ingest is timed too.
Timings are printed as medians and written to bench/results/ingest.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant.embedder import make_embedder
from assistant.settings import Settings
from assistant.store import open_store
from ingest.run import ingest, walk
from ingest.split import embed_text

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()

    base = Settings(corpus_dir=args.corpus)
    embedder = make_embedder(base)
    embedder.embed(["warm up the model before any clock starts"])

    files, _ = walk([args.corpus], args.corpus)
    inputs: list[str] = []

    pipeline, bare, unchanged, chunks = [], [], [], 0
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            settings = base.model_copy(update={"data_dir": Path(tmp)})
            store = open_store(settings)
            t0 = time.perf_counter()
            report = ingest([args.corpus], store, embedder, settings)
            pipeline.append(time.perf_counter() - t0)
            chunks = report.chunks_written
            # The bare model gets exactly the texts the pipeline embedded for these chunks.
            inputs = [embed_text(c.title, c.section, c.text) for c in store.iter_chunks()]
            assert len(inputs) == chunks
            t0 = time.perf_counter()
            again = ingest([args.corpus], store, embedder, settings)
            unchanged.append(time.perf_counter() - t0)
            assert again.chunks_written == 0
        t0 = time.perf_counter()
        embedder.embed(inputs)
        bare.append(time.perf_counter() - t0)

    p, b, u = statistics.median(pipeline), statistics.median(bare), statistics.median(unchanged)
    result = {
        "files": len(files),
        "chunks": chunks,
        "pipeline_s": round(p, 3),
        "bare_embedding_s": round(b, 3),
        "pipeline_chunks_per_s": round(chunks / p, 1),
        "bare_chunks_per_s": round(len(inputs) / b, 1),
        "overhead_ratio": round(p / b, 3),
        "unchanged_reingest_s": round(u, 3),
        "repeats": args.repeats,
        "command": "python bench/ingest_speed.py --repeats " + str(args.repeats),
    }
    print(f"files {len(files)}, chunks {chunks}, repeats {args.repeats} (medians)")
    print(f"pipeline       {p:7.2f} s   {chunks / p:7.1f} chunks/s")
    print(f"bare embedding {b:7.2f} s   {len(inputs) / b:7.1f} chunks/s")
    print(f"ratio pipeline/bare {p / b:.3f}  (overhead {100 * (p / b - 1):+.1f}%)")
    print(f"unchanged re-ingest {u:.3f} s")
    out = ROOT / "bench" / "results" / "ingest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

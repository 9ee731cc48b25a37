"""Embedding throughput of the real model by device and batch size: the ceiling of ingest's embed
stage (the store writes about a thousand chunks a second; see bench/results/scale.md).

Texts are the shipped corpus's chunks exactly as ingest embeds them (title, section, text), or a
JSON list given with --texts. Prints a table and writes JSON; never asserts a timing.

    .venv/bin/python -m bench.embedding                               # cpu, batches 16..256
    python -m bench.embedding --devices cpu,cuda --texts texts.json --repeat 8
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from assistant.retrieval.embedder import make_embedder
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def corpus_texts() -> list[str]:
    from bench.synthetic import corpus_chunks
    from ingest.split import embed_text

    settings = Settings(corpus_dir=ROOT / "corpus")
    chunks = corpus_chunks(ROOT / "corpus", settings, make_embedder(settings))
    return [embed_text(c.title, c.section, c.text) for c in chunks]


def measure(device: str, batch_size: int, texts: list[str], repeat: int) -> dict[str, Any]:
    embedder = make_embedder(Settings(device=device, embed_batch_size=batch_size))
    embedder.embed_array(texts[: batch_size * 2])  # load, warm up kernels and allocator
    work = texts * repeat
    started = time.perf_counter()
    vectors = embedder.embed_array(work)
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    return {
        "device": device,
        "batch_size": batch_size,
        "texts": len(work),
        "seconds": seconds,
        "chunks_per_s": len(work) / seconds,
        "dim": int(vectors.shape[1]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.embedding", description=__doc__.splitlines()[0])
    parser.add_argument("--devices", default="cpu")
    parser.add_argument("--batch-sizes", default="16,32,64,128,256")
    parser.add_argument("--texts", type=Path, help="a JSON list of texts (default: the corpus)")
    parser.add_argument("--repeat", type=int, default=1, help="times the texts are embedded")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "embedding.json")
    args = parser.parse_args(argv)
    texts = json.loads(args.texts.read_text()) if args.texts else corpus_texts()
    rows = []
    for device in args.devices.split(","):
        for size in (int(b) for b in args.batch_sizes.split(",")):
            rows.append(measure(device, size, texts, args.repeat))
            print(
                f"{device:>6}  batch {size:>4}  {rows[-1]['chunks_per_s']:>9.1f} chunks/s",
                flush=True,
            )
    import torch

    result = {
        "rows": rows,
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

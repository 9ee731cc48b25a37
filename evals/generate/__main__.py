"""`python -m evals.generate`: write the challenge sets generated from a store.

    python -m evals.generate                                # the store BLUELIGHT_DATA_DIR names
    python -m evals.generate --corpus evals/corpora/flood-resilience --prefix flood-generated
    python -m evals.generate.officer                        # only the officers'-wording twins

Each set is written with its officers'-wording twin (<prefix>-<split>-officer.jsonl, see
evals/generate/officer.py). An empty store is first filled from the corpus folder
(BLUELIGHT_CORPUS_DIR, or --corpus, which gets its own store as `python -m evals.cli --corpus`
does).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from assistant.errors import BluelightError
from assistant.settings import Settings

DATASETS = Path(__file__).resolve().parents[1] / "datasets"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.generate", description=__doc__)
    parser.add_argument("--out", type=Path, default=DATASETS, help="folder for the JSONL files")
    parser.add_argument("--prefix", default="generated", help="files <prefix>-tune/-test.jsonl")
    parser.add_argument("--seed", type=int, help="seed for the choice of wording")
    parser.add_argument("--corpus", type=Path, help="generate from this corpus folder's own store")
    args = parser.parse_args(argv)
    try:
        return _run(args, Settings())
    except BluelightError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.embedder import make_embedder
    from assistant.retrieval.store import open_store
    from evals.cli import corpus_settings
    from evals.generate import SEED, generate, write
    from evals.generate.officer import write_twins
    from evals.runner import ensure_corpus

    if args.corpus is not None:
        settings = corpus_settings(args.corpus, settings)
    store = open_store(settings)
    if store.count() == 0:
        print(f"the store is empty: ingesting {settings.corpus_dir}", file=sys.stderr)
        ensure_corpus(settings, store, make_embedder(settings))
    rows = generate(store.iter_chunks(), seed=SEED if args.seed is None else args.seed)
    for path in [*write(rows, args.out, args.prefix), *write_twins(args.out, args.prefix)]:
        print(f"wrote {path}")
    table = Counter((r["split"], r["expected_status"]) for r in rows)
    for split in ("tune", "test"):
        counts = ", ".join(f"{s} {n}" for (sp, s), n in sorted(table.items()) if sp == split)
        print(f"  {split}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

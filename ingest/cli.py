"""The ingest command: progress bar, the run, the report; --watch keeps a folder in step."""

from __future__ import annotations

import argparse
import sys

from assistant.embedder import make_embedder
from assistant.settings import Settings
from assistant.store import open_store
from ingest.run import ingest, walk


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    updates = {"device": args.device, "embed_batch_size": args.batch_size}
    settings = settings.model_copy(update={k: v for k, v in updates.items() if v})
    paths = args.paths or [settings.corpus_dir]
    store = open_store(settings)
    embedder = make_embedder(settings)

    def once() -> int:
        from tqdm import tqdm

        files, _ = walk(paths, settings.corpus_dir)
        bar = tqdm(total=len(files), desc="ingest", unit="file", file=sys.stderr, leave=False)
        report = ingest(
            paths,
            store,
            embedder,
            settings,
            prune=args.prune or args.watch,
            dry_run=args.dry_run,
            password=args.password,
            progress=lambda _name: bar.update(1),
            workers=args.workers,
        )
        bar.close()
        print(report.summary())
        return (
            1 if report.failed and not (report.added or report.updated or report.unchanged) else 0
        )

    code = once()
    if not args.watch:
        return code
    from watchfiles import watch

    print(f"watching {', '.join(str(p) for p in paths)} (Ctrl+C to stop)", file=sys.stderr)
    for _changes in watch(*paths, debounce=800, raise_interrupt=False):
        once()
    return 0
